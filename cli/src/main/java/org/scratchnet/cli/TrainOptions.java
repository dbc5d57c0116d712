package org.scratchnet.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.scratchnet.core.Augmentation;
import org.scratchnet.core.InvalidSettingException;
import org.scratchnet.core.MomentumStyle;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.Optimizer;
import org.scratchnet.core.Schedule;
import org.scratchnet.core.TrainingConfig;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The network and optimiser options of {@code train}: hidden layers, epochs, batch, learning rate, optimiser and
 * momentum, seed, validation split, schedule, weight decay, dropout, early stopping, data augmentation.
 * {@link #validate()} checks every value before any work starts: the layers and the augmentation here, the training
 * settings by building core's {@link TrainingConfig}, whose checks become one usage error naming the option.
 *
 * <p>{@code --optimizer} names core's {@link Optimizer} ({@code momentum}, the default, {@code sgd} or {@code adam});
 * {@code --momentum} and {@code --momentum-style} are the parameters of {@code momentum}, and {@code --momentum 0}
 * turns it into plain SGD. {@code --schedule} names core's {@link Schedule} with its default parameters.
 */
final class TrainOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--layers", split = ",", splitSynopsisLabel = ",", paramLabel = "N",
            description = "Hidden layer sizes, comma-separated and given once; the 784 inputs and the output layer "
                    + "of 10 are implied (default: ${DEFAULT-VALUE}).",
            defaultValue = "100,50")
    List<Integer> layers = new ArrayList<>(List.of(100, 50));

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "20",
            description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128",
            description = "Mini-batch size; 60000 is full-batch gradient descent (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "ALPHA", defaultValue = "0.5",
            description = "Learning rate alpha (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", paramLabel = "momentum|sgd|adam", defaultValue = "momentum",
            converter = OptimizerName.class, completionCandidates = OptimizerName.class,
            description = "momentum: SGD with momentum (--momentum, --momentum-style); sgd: plain SGD, W -= alpha*g; "
                    + "adam: beta1 0.9, beta2 0.999 (default: ${DEFAULT-VALUE}).")
    Optimizer optimizer;

    @Option(names = "--momentum", paramLabel = "BETA", defaultValue = "0.9",
            description = "Momentum coefficient of --optimizer momentum (beta of ema, mu of classical/nesterov); 0 "
                    + "turns momentum off: plain SGD (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--momentum-style", paramLabel = "ema|classical|nesterov", defaultValue = "ema",
            converter = MomentumStyleName.class, completionCandidates = MomentumStyleName.class,
            description = "ema: V = b*V + (1-b)*g (the original's form); classical: V = m*V + g; nesterov "
                    + "(default: ${DEFAULT-VALUE}).")
    MomentumStyle momentumStyle;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the initial weights and the shuffles (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0",
            description = "Fraction of the training set held out for validation, e.g. 0.1 (default: none).")
    double validation;

    @Option(names = "--schedule", paramLabel = "constant|step|cosine", defaultValue = "constant",
            converter = ScheduleName.class, completionCandidates = ScheduleName.class,
            description = "Learning-rate schedule: constant, step (x0.1 every 10 epochs) or cosine (down to 0) "
                    + "(default: ${DEFAULT-VALUE}).")
    Schedule schedule;

    @Option(names = "--weight-decay", paramLabel = "LAMBDA", defaultValue = "0",
            description = "L2 weight decay on the weights, not the biases (default: none).")
    double weightDecay;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0",
            description = "Dropout probability on hidden layers during training (default: none).")
    double dropout;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "0",
            description = "Early stopping after N epochs without better validation accuracy, keeping the best "
                    + "weights; needs --validation (default: off).")
    int patience;

    @Option(names = "--augment", paramLabel = "SPEC", defaultValue = "none",
            description = "Move each training image by a random transformation drawn afresh every epoch: "
                    + "shift:N (up to N pixels along each axis), rotate:DEGREES (up to that angle) or both, "
                    + "e.g. shift:2,rotate:10; the validation split is never transformed (default: ${DEFAULT-VALUE}).")
    String augment;

    private Augmentation augmentation = Augmentation.NONE;
    private TrainingConfig training;

    /** {@code --optimizer}: a name of core's {@link Optimizer#NAMES} to that rule with its defaults. */
    static final class OptimizerName implements ITypeConverter<Optimizer>, Iterable<String> {
        @Override
        public Optimizer convert(String value) {
            try {
                return Optimizer.named(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected " + String.join(", ", Optimizer.NAMES) + ", found '"
                        + value + "'");
            }
        }

        @Override
        public Iterator<String> iterator() {
            return Optimizer.NAMES.iterator();
        }
    }

    /** {@code --schedule}: a name of core's {@link Schedule#NAMES} to that schedule with its defaults. */
    static final class ScheduleName implements ITypeConverter<Schedule>, Iterable<String> {
        @Override
        public Schedule convert(String value) {
            try {
                return Schedule.named(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected " + String.join(", ", Schedule.NAMES) + ", found '"
                        + value + "'");
            }
        }

        @Override
        public Iterator<String> iterator() {
            return Schedule.NAMES.iterator();
        }
    }

    /** {@code --momentum-style}: one of core's {@link MomentumStyle}s, named in any case. */
    static final class MomentumStyleName implements ITypeConverter<MomentumStyle>, Iterable<String> {
        @Override
        public MomentumStyle convert(String value) {
            for (MomentumStyle style : MomentumStyle.values()) {
                if (style.name().equalsIgnoreCase(value)) {
                    return style;
                }
            }
            throw new TypeConversionException("expected " + String.join(", ", this) + ", found '" + value + "'");
        }

        @Override
        public Iterator<String> iterator() {
            return Stream.of(MomentumStyle.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toList()).iterator();
        }
    }

    /** Checks every value; a bad one is a usage error naming the option, the expectation and the value found. */
    void validate() {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        if (pr != null && pr.hasMatchedOption("--layers")
                && pr.matchedOption("--layers").originalStringValues().size() > 1) {
            throw new ParameterException(spec.commandLine(), "--layers given " + pr.matchedOption("--layers")
                    .originalStringValues().size() + " times: list the hidden layers once, comma-separated, e.g. "
                    + "--layers " + String.join(",", pr.matchedOption("--layers").originalStringValues())
                    + " (sweep is the command that takes --layers once per network)");
        }
        try {
            augmentation = Augmentation.parse(augment);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--augment': " + e.getMessage());
        }
        if (layers.isEmpty()) {
            throw bad("--layers", "at least one hidden layer size", "none");
        }
        for (int size : layers) {
            if (size < 1) {
                throw bad("--layers", "layer sizes >= 1", Integer.toString(size));
            }
        }
        if (patience > 0 && validation == 0) {
            throw new ParameterException(spec.commandLine(),
                    "--patience " + patience + " needs a validation split: add --validation, e.g. 0.1");
        }
        try {
            training = build();
        } catch (InvalidSettingException e) {
            throw usageError(e);
        }
    }

    /**
     * The update rule: {@code --optimizer}, with {@code --momentum-style} and {@code --momentum} for momentum, which
     * {@code --momentum 0} turns into plain SGD. The momentum values are checked whichever rule is chosen.
     */
    private Optimizer rule() {
        Optimizer givenMomentum = momentum == 0 ? new Optimizer.Sgd() : new Optimizer.Momentum(momentumStyle, momentum);
        return optimizer instanceof Optimizer.Momentum ? givenMomentum : optimizer;
    }

    private TrainingConfig build() {
        return TrainingConfig.builder().epochs(epochs).batchSize(batch).learningRate(lr).optimizer(rule())
                .schedule(schedule).seed(seed).validationFraction(validation).weightDecay(weightDecay)
                .dropout(dropout).patience(patience).build();
    }

    /** The option that gives a setting, and whether its value is the setting's value itself. */
    private record Source(String option, boolean direct) {
    }

    private static Source source(InvalidSettingException.Setting setting) {
        return switch (setting) {
            case EPOCHS -> new Source("--epochs", true);
            case BATCH_SIZE -> new Source("--batch", true);
            case LEARNING_RATE -> new Source("--lr", true);
            case WEIGHT_DECAY -> new Source("--weight-decay", true);
            case DROPOUT -> new Source("--dropout", true);
            case VALIDATION_FRACTION -> new Source("--validation", true);
            case PATIENCE -> new Source("--patience", true);
            case MOMENTUM_COEFFICIENT -> new Source("--momentum", true);
            case ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON -> new Source("--optimizer", false);
            case STEP_EVERY, STEP_GAMMA, COSINE_MIN_RATE -> new Source("--schedule", false);
        };
    }

    /**
     * Core's refusal of a setting as a usage error naming the option that gives it, with the value as the user typed
     * it when the command line gave it.
     */
    ParameterException usageError(InvalidSettingException e) {
        Source source = source(e.setting());
        String found = e.found();
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        if (source.direct() && pr != null && pr.hasMatchedOption(source.option())) {
            List<String> typed = pr.matchedOption(source.option()).originalStringValues();
            found = typed.get(typed.size() - 1);
        }
        return bad(source.option(), (source.direct() ? "a number " : e.setting().label() + " ") + e.expected(),
                found);
    }

    private ParameterException bad(String option, String expected, String found) {
        return new ParameterException(spec.commandLine(),
                "Invalid value for option '" + option + "': expected " + expected + ", found " + found);
    }

    /** The transformations of {@code --augment} (valid after {@link #validate()}). */
    Augmentation augmentation() {
        return augmentation;
    }

    /** The network: {@code inputs}, the hidden layers, {@code classes}. */
    NetworkConfig network(int inputs, int classes) {
        int[] sizes = new int[layers.size() + 2];
        sizes[0] = inputs;
        for (int i = 0; i < layers.size(); i++) {
            sizes[i + 1] = layers.get(i);
        }
        sizes[sizes.length - 1] = classes;
        return NetworkConfig.of(sizes);
    }

    /** The training configuration these options describe (checked by {@link #validate()}). */
    TrainingConfig training() {
        return training != null ? training : build();
    }
}
