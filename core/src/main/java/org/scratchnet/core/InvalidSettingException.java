package org.scratchnet.core;

import java.util.Objects;

/**
 * A training setting out of its range, thrown by the canonical constructors of {@link TrainingConfig}, the
 * {@link Optimizer}s and the {@link Schedule}s. Beside the message ({@code learning rate must be > 0 and finite, got
 * -0.5}) it carries its parts, so that a front end can say the same in its own terms and name its own option:
 * {@link #setting()}, {@link #expected()} (the rule) and {@link #found()} (the value).
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Every setting that is checked, with the name the messages give it. */
    public enum Setting {
        /** {@link TrainingConfig#epochs()}. */
        EPOCHS("epochs"),
        /** {@link TrainingConfig#batchSize()}. */
        BATCH_SIZE("batch size"),
        /** {@link TrainingConfig#learningRate()}. */
        LEARNING_RATE("learning rate"),
        /** {@link TrainingConfig#weightDecay()}. */
        WEIGHT_DECAY("weight decay"),
        /** {@link TrainingConfig#dropout()}. */
        DROPOUT("dropout"),
        /** {@link TrainingConfig#validationFraction()}. */
        VALIDATION_FRACTION("validation fraction"),
        /** {@link TrainingConfig#patience()}. */
        PATIENCE("patience"),
        /** {@link Optimizer.Momentum#coefficient()}. */
        MOMENTUM_COEFFICIENT("momentum coefficient"),
        /** {@link Optimizer.Adam#beta1()}. */
        ADAM_BETA1("Adam beta1"),
        /** {@link Optimizer.Adam#beta2()}. */
        ADAM_BETA2("Adam beta2"),
        /** {@link Optimizer.Adam#epsilon()}. */
        ADAM_EPSILON("Adam epsilon"),
        /** {@link Schedule.Step#every()}. */
        STEP_EVERY("step schedule interval"),
        /** {@link Schedule.Step#gamma()}. */
        STEP_GAMMA("step schedule factor"),
        /** {@link Schedule.Cosine#minRate()}. */
        COSINE_MIN_RATE("cosine schedule's minimum rate");

        private final String label;

        Setting(String label) {
            this.label = label;
        }

        /** The name the messages give the setting, e.g. {@code learning rate}. */
        public String label() {
            return label;
        }
    }

    private final Setting setting;
    private final String expected;
    private final String found;

    /**
     * A setting that breaks its rule; the message is {@code "<label> must be <expected>, got <found>"}.
     *
     * @param setting  the setting
     * @param expected what it must be, e.g. {@code > 0 and finite}
     * @param found    the value it had
     */
    public InvalidSettingException(Setting setting, String expected, String found) {
        this(setting, expected, found, setting.label() + " must be " + expected + ", got " + found);
    }

    /**
     * A setting that breaks a rule involving another setting, with a message of its own.
     *
     * @param setting  the setting
     * @param expected what it must be, e.g. {@code 0 without a validation split}
     * @param found    the value it had
     * @param message  the whole message
     */
    public InvalidSettingException(Setting setting, String expected, String found, String message) {
        super(message);
        this.setting = Objects.requireNonNull(setting, "setting");
        this.expected = expected;
        this.found = found;
    }

    /** Throws for {@code setting} unless {@code ok}. */
    static void require(boolean ok, Setting setting, String expected, double found) {
        if (!ok) {
            throw new InvalidSettingException(setting, expected, Double.toString(found));
        }
    }

    /** Throws for {@code setting} unless {@code ok}. */
    static void require(boolean ok, Setting setting, String expected, long found) {
        if (!ok) {
            throw new InvalidSettingException(setting, expected, Long.toString(found));
        }
    }

    /** The setting out of range. */
    public Setting setting() {
        return setting;
    }

    /** What the setting must be, e.g. {@code > 0 and finite} or {@code in [0, 1)}. */
    public String expected() {
        return expected;
    }

    /** The value the setting had, as Java prints it. */
    public String found() {
        return found;
    }
}
