package org.scratchnet.core;

import static org.scratchnet.core.InvalidSettingException.require;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.scratchnet.core.InvalidSettingException.Setting;

/**
 * Everything that determines a training run besides the network shape and the data. Build one with
 * {@link #builder()}; every option beyond epochs, batch size, learning rate and seed is off by default (plain SGD, no
 * weight decay, no dropout, constant rate, no validation split, no early stopping).
 *
 * <ul>
 *   <li>Optimiser: an {@link Optimizer} (plain SGD, momentum in a {@link MomentumStyle}, or Adam) with its own
 *       parameters.</li>
 *   <li>L2 weight decay λ: the gradient of each weight matrix becomes g + λ·W before the optimiser sees it (the loss
 *       gains λ/2·ΣW²; biases are not decayed; with Adam this is coupled L2, not AdamW).</li>
 *   <li>Dropout p on hidden layers (inverted): during training each hidden activation is kept with probability 1−p and
 *       scaled by 1/(1−p), so inference uses the weights unchanged. Never on the input or output.</li>
 *   <li>Schedule: a {@link Schedule} of the learning rate per epoch, starting from {@code learningRate}.</li>
 *   <li>Validation: a fraction of the training set, chosen by the seed, is held out and never trained on; its accuracy
 *       is reported per epoch. Early stopping ({@code patience} &gt; 0, needs a validation split) stops after that
 *       many epochs without a better validation accuracy and restores the best weights.</li>
 *   <li>Batch size: from 1 up to the whole training set; a larger value is clamped to the training-set size. The last
 *       batch of an epoch holds the remaining examples when the size does not divide evenly; its gradient is averaged
 *       over its own rows.</li>
 * </ul>
 *
 * @param epochs             epochs to train; &gt;= 1
 * @param batchSize          examples per mini-batch; &gt;= 1
 * @param learningRate       α, the learning rate (the starting rate under a schedule); &gt; 0 and finite
 * @param optimizer          the update rule
 * @param schedule           the learning rate per epoch
 * @param weightDecay        L2 weight decay λ; &gt;= 0 and finite
 * @param dropout            dropout probability p of hidden activations; in [0, 1)
 * @param seed               seed of the initial weights, the shuffles, dropout and the validation split
 * @param validationFraction share of the training set held out for validation; in [0, 1)
 * @param patience           epochs without a better validation accuracy before stopping early; 0 turns it off
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, Optimizer optimizer, Schedule schedule,
                             double weightDecay, double dropout, long seed, double validationFraction, int patience) {

    /** @throws InvalidSettingException naming the first value out of range */
    public TrainingConfig {
        require(epochs >= 1, Setting.EPOCHS, ">= 1", epochs);
        require(batchSize >= 1, Setting.BATCH_SIZE, ">= 1", batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), Setting.LEARNING_RATE, "> 0 and finite",
                learningRate);
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), Setting.WEIGHT_DECAY, ">= 0 and finite",
                weightDecay);
        require(dropout >= 0 && dropout < 1, Setting.DROPOUT, "in [0, 1)", dropout);
        require(validationFraction >= 0 && validationFraction < 1, Setting.VALIDATION_FRACTION, "in [0, 1)",
                validationFraction);
        require(patience >= 0, Setting.PATIENCE, ">= 0", patience);
        if (patience > 0 && validationFraction == 0) {
            throw new InvalidSettingException(Setting.PATIENCE, "0 without a validation split",
                    Integer.toString(patience), "early stopping (patience " + patience + ") needs a validation split "
                            + "(validation fraction > 0)");
        }
        if (schedule instanceof Schedule.Cosine cosine && cosine.minRate() > learningRate) {
            throw new InvalidSettingException(Setting.COSINE_MIN_RATE, "at most the learning rate " + learningRate,
                    Double.toString(cosine.minRate()));
        }
    }

    /** A builder with the defaults: 20 epochs, batch 128, learning rate 0.5, plain SGD, seed 1, all options off. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.optimizer = optimizer;
        b.schedule = schedule;
        b.weightDecay = weightDecay;
        b.dropout = dropout;
        b.seed = seed;
        b.validationFraction = validationFraction;
        b.patience = patience;
        return b;
    }

    /** The scheduled learning rate of 0-based epoch {@code epoch} (see {@link Schedule}). */
    public double rateAt(int epoch) {
        return schedule.rate(learningRate, epoch, epochs);
    }

    /** One human line: the optimiser and the options that are on. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(epochs).append(" epochs, batch ").append(batchSize).append(", alpha ").append(learningRate)
                .append(", ").append(optimizer.describe());
        if (weightDecay > 0) {
            sb.append(", weight decay ").append(weightDecay);
        }
        if (dropout > 0) {
            sb.append(", dropout ").append(dropout);
        }
        if (!(schedule instanceof Schedule.Constant)) {
            sb.append(", ").append(schedule.describe());
        }
        if (validationFraction > 0) {
            sb.append(", validation ").append(validationFraction);
        }
        if (patience > 0) {
            sb.append(", patience ").append(patience);
        }
        return sb.append(", seed ").append(seed).toString();
    }

    /**
     * All settings as ordered key/value strings (the form stored in model files); {@link #fromMap} reads it back. The
     * optimiser and the schedule write their own keys ({@link Optimizer#toMap}, {@link Schedule#toMap}): the keys the
     * first model files wrote, each only where it applies, so older readers, which take absent keys as their
     * defaults, read these files too.
     */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("epochs", Integer.toString(epochs));
        m.put("batchSize", Integer.toString(batchSize));
        m.put("learningRate", Double.toString(learningRate));
        m.putAll(optimizer.toMap());
        m.put("weightDecay", Double.toString(weightDecay));
        m.put("dropout", Double.toString(dropout));
        m.putAll(schedule.toMap());
        m.put("seed", Long.toString(seed));
        m.put("validationFraction", Double.toString(validationFraction));
        m.put("patience", Integer.toString(patience));
        return m;
    }

    /**
     * Reads the form written by {@link #toMap}, and that of the first model files, which wrote every optimiser's and
     * every schedule's keys whichever was chosen; keys that are absent keep their defaults, unknown keys are ignored.
     *
     * @throws IllegalArgumentException if a value does not parse or is out of range
     */
    public static TrainingConfig fromMap(Map<String, String> m) {
        try {
            Builder b = builder();
            b.epochs = integer(m, "epochs", b.epochs);
            b.batchSize = integer(m, "batchSize", b.batchSize);
            b.learningRate = number(m, "learningRate", b.learningRate);
            b.optimizer = Optimizer.fromMap(m);
            b.schedule = Schedule.fromMap(m);
            b.weightDecay = number(m, "weightDecay", b.weightDecay);
            b.dropout = number(m, "dropout", b.dropout);
            b.seed = m.containsKey("seed") ? Long.parseLong(m.get("seed")) : b.seed;
            b.validationFraction = number(m, "validationFraction", b.validationFraction);
            b.patience = integer(m, "patience", b.patience);
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad training configuration value: " + e.getMessage(), e);
        }
    }

    /** The number under {@code key}, or {@code fallback} when there is none. */
    static double number(Map<String, String> m, String key, double fallback) {
        String v = m.get(key);
        return v == null ? fallback : Double.parseDouble(v);
    }

    /** The integer under {@code key}, or {@code fallback} when there is none. */
    static int integer(Map<String, String> m, String key, int fallback) {
        String v = m.get(key);
        return v == null ? fallback : Integer.parseInt(v);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private int epochs = 20;
        private int batchSize = 128;
        private double learningRate = 0.5;
        private Optimizer optimizer = new Optimizer.Sgd();
        private Schedule schedule = new Schedule.Constant();
        private double weightDecay;
        private double dropout;
        private long seed = 1;
        private double validationFraction;
        private int patience;

        private Builder() {
        }

        /** Epochs to train. */
        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        /** Examples per mini-batch. */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** α, the learning rate (the starting rate under a schedule). */
        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        /** The update rule, e.g. {@code new Optimizer.Momentum(MomentumStyle.EMA, 0.9)}. */
        public Builder optimizer(Optimizer v) {
            optimizer = v;
            return this;
        }

        /** The learning rate per epoch, e.g. {@code new Schedule.Cosine(0.001)}. */
        public Builder schedule(Schedule v) {
            schedule = v;
            return this;
        }

        /** L2 weight decay λ; 0 turns it off. */
        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** Dropout probability of hidden activations; 0 turns it off. */
        public Builder dropout(double v) {
            dropout = v;
            return this;
        }

        /** Seed of the initial weights, the shuffles, dropout and the validation split. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Share of the training set held out for validation; 0 for none. */
        public Builder validationFraction(double v) {
            validationFraction = v;
            return this;
        }

        /** Early stopping after {@code v} epochs without improvement of validation accuracy; 0 turns it off. */
        public Builder patience(int v) {
            patience = v;
            return this;
        }

        /** @throws InvalidSettingException naming the first value out of range */
        public TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, learningRate, optimizer, schedule, weightDecay, dropout, seed,
                    validationFraction, patience);
        }
    }
}
