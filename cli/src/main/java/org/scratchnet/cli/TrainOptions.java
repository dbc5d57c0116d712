package org.scratchnet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scratchnet.core.Augmentation;
import org.scratchnet.core.MomentumStyle;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.Schedule;
import org.scratchnet.core.TrainingConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The network and optimiser options of {@code train}: hidden layers, epochs, batch, learning rate, momentum,
 * optimiser, seed, validation split, schedule, weight decay, dropout, early stopping, data augmentation.
 * {@link #validate()} checks every value before any work starts.
 */
final class TrainOptions {

    /** How the weights are updated; {@code sgd} with {@code --momentum} > 0 is momentum SGD. */
    enum OptimizerName { sgd, adam }

    /** The three forms of momentum (see core's {@link MomentumStyle}). */
    enum MomentumStyleName { ema, classical, nesterov }

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--layers", split = ",", splitSynopsisLabel = ",", paramLabel = "N",
            description = "Hidden layer sizes, comma-separated and given once; the 784 inputs and the output layer "
                    + "of 10 are implied (default: ${DEFAULT-VALUE}).", defaultValue = "100,50")
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

    @Option(names = "--momentum", paramLabel = "BETA", defaultValue = "0.9",
            description = "Momentum coefficient (beta of ema, mu of classical/nesterov); 0 turns momentum off "
                    + "(default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--momentum-style", paramLabel = "ema|classical|nesterov", defaultValue = "ema",
            description = "ema: V = b*V + (1-b)*g (the original's form); classical: V = m*V + g; nesterov "
                    + "(default: ${DEFAULT-VALUE}).")
    MomentumStyleName momentumStyle;

    @Option(names = "--optimizer", paramLabel = "sgd|adam", defaultValue = "sgd",
            description = "sgd (with momentum unless --momentum 0) or adam (beta1 0.9, beta2 0.999) "
                    + "(default: ${DEFAULT-VALUE}).")
    OptimizerName optimizer;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the initial weights and the shuffles (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0",
            description = "Fraction of the training set held out for validation, e.g. 0.1 (default: none).")
    double validation;

    /** Learning-rate schedules (see core's {@link Schedule}). */
    enum ScheduleName { constant, step, cosine }

    @Option(names = "--schedule", paramLabel = "constant|step|cosine", defaultValue = "constant",
            description = "Learning-rate schedule: constant, step (x0.1 every 10 epochs) or cosine (down to 0) "
                    + "(default: ${DEFAULT-VALUE}).")
    ScheduleName schedule;

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
        if (epochs < 1) {
            throw bad("--epochs", "a number >= 1", Integer.toString(epochs));
        }
        if (batch < 1) {
            throw bad("--batch", "a number >= 1", Integer.toString(batch));
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw bad("--lr", "a number > 0", fmt(lr));
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw bad("--momentum", "a number in [0, 1)", fmt(momentum));
        }
        if (!(validation >= 0 && validation < 1)) {
            throw bad("--validation", "a fraction in [0, 1)", fmt(validation));
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw bad("--weight-decay", "a number >= 0", fmt(weightDecay));
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw bad("--dropout", "a probability in [0, 1)", fmt(dropout));
        }
        if (patience < 0) {
            throw bad("--patience", "a number >= 0", Integer.toString(patience));
        }
        if (patience > 0 && validation == 0) {
            throw new ParameterException(spec.commandLine(),
                    "--patience " + patience + " needs a validation split: add --validation, e.g. 0.1");
        }
    }

    private ParameterException bad(String option, String expected, String found) {
        return new ParameterException(spec.commandLine(),
                "Invalid value for option '" + option + "': expected " + expected + ", found " + found);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
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

    /** The training configuration these options describe. */
    TrainingConfig training() {
        TrainingConfig.Builder b = TrainingConfig.builder().epochs(epochs).batchSize(batch).learningRate(lr).seed(seed)
                .validationFraction(validation).weightDecay(weightDecay).dropout(dropout).patience(patience)
                .schedule(Schedule.valueOf(schedule.name().toUpperCase(Locale.ROOT)));
        if (optimizer == OptimizerName.adam) {
            b.adam(0.9, 0.999, 1e-8);
        } else if (momentum > 0) {
            b.momentum(MomentumStyle.valueOf(momentumStyle.name().toUpperCase(Locale.ROOT)), momentum);
        }
        return b.build();
    }
}
