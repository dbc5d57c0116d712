package org.scratchnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.scratchnet.core.Augmentation;
import org.scratchnet.core.AugmentedBatchSource;
import org.scratchnet.core.BatchSource;
import org.scratchnet.core.Checkpoint;
import org.scratchnet.core.DivergenceException;
import org.scratchnet.core.EpochStats;
import org.scratchnet.core.Evaluation;
import org.scratchnet.core.ModelFile;
import org.scratchnet.core.Network;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.Optimizer;
import org.scratchnet.core.StopReason;
import org.scratchnet.core.Trainer;
import org.scratchnet.core.TrainingConfig;
import org.scratchnet.core.TrainingResult;
import org.scratchnet.io.AtomicFile;
import org.scratchnet.kernels.Kernels;
import org.scratchnet.mnist.DatasetFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code scratchnet train}: trains a network on MNIST (or Fashion-MNIST), one line per epoch on stdout and a summary;
 * optionally saves the model and the per-epoch history. Ctrl-C stops after the batch in progress, writes a checkpoint
 * of the last completed epoch (atomically) and prints the command that resumes it.
 *
 * <p>{@code --preset NAME} fills in a {@link Preset}'s flags wherever the command line does not give them, and prints
 * them first. {@code --test end} evaluates the test set once, after training, and {@code --test never} not at all, for
 * the protocol that chooses settings on a validation split ({@code --validation}) and looks at the test set last.
 *
 * <p>Every output location is checked before the data is loaded (see {@link Outputs}); after training the model is
 * written first, then the history. A run that diverges writes nothing, so an existing {@code --save} file keeps its
 * model. A checkpoint records the SHA-256 of the training files, and {@code --resume} refuses other data.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a network; one line per epoch and a summary on stdout, a progress bar on stderr.")
final class TrainCommand implements Callable<Integer> {

    /** Exit code after Ctrl-C, as a shell reports a process ended by SIGINT. */
    static final int EXIT_INTERRUPTED = 130;

    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Mixin
    DataOptions data;

    @Mixin
    KernelOptions kernelOptions;

    /** When the test set is evaluated. */
    enum TestSchedule {
        EACH_EPOCH("each-epoch"), END("end"), NEVER("never");

        final String flag;

        TestSchedule(String flag) {
            this.flag = flag;
        }

        static TestSchedule of(String flag) {
            for (TestSchedule t : values()) {
                if (t.flag.equalsIgnoreCase(flag)) {
                    return t;
                }
            }
            return null;
        }
    }

    @Option(names = "--preset", paramLabel = "best",
            description = "Start from a named set of flags (printed first); any flag given here overrides the "
                    + "preset's. best: the best-accuracy settings, chosen on a validation split.")
    Preset preset;

    @Option(names = "--test", paramLabel = "each-epoch|end|never", defaultValue = "each-epoch",
            description = "When to evaluate the test set: after each epoch, once after training, or never (to choose "
                    + "settings on --validation alone) (default: ${DEFAULT-VALUE}).")
    String testWhen;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model here (e.g. model.snet).")
    Path save;

    @Option(names = "--history", paramLabel = "FILE", description = "Write the per-epoch statistics here as CSV.")
    Path history;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue the run saved in this checkpoint (network and settings come from it; "
                    + "--epochs may extend or shorten it).")
    Path resume;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Where Ctrl-C writes the checkpoint (default: the --save file with .ckpt, "
                    + "else scratchnet.ckpt).")
    Path checkpointFile;

    /** When the test set is evaluated, from {@code --test} (set by {@link #validate}). */
    private TestSchedule testSchedule;

    /** Where Ctrl-C writes the checkpoint (set by {@link #validate}). */
    private Path ckpt;

    /** The data a run trains and tests on. */
    private record TrainingData(DataOptions.Loaded loaded, DatasetBatchSource train, DatasetBatchSource test) {
    }

    /**
     * Validates everything, loads the checkpoint and the data, prints the run's line, trains, and writes the model,
     * the summary and the history, or after Ctrl-C the checkpoint.
     */
    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        validate(out);
        Checkpoint checkpoint = loadCheckpoint();
        TrainingData sets = loadData();
        Trainer trainer = checkpoint == null ? newTrainer(sets) : resumedTrainer(checkpoint, sets);
        TrainingConfig cfg = trainer.config();
        BatchSource trainSource = augmented(sets.train(), cfg);
        out.println(runLine(trainer.network().config(), cfg, sets));
        LOG.info("kernels: {}", Provenance.backend());
        if (trainer.epochsCompleted() >= cfg.epochs()) {
            throw new UserException("nothing to train: the checkpoint's run has completed all " + cfg.epochs()
                    + " epochs (add --epochs N to extend it)");
        }
        return trainAndWrite(trainer, trainSource, sets, out);
    }

    /**
     * Parses and checks before any work: the preset, the kernel options, every training option, {@code --test} and
     * the output locations; then prints the preset's line.
     */
    private void validate(PrintWriter out) {
        String presetLine = applyPreset();
        kernelOptions.apply();
        options.validate();
        testSchedule = TestSchedule.of(testWhen);
        if (testSchedule == null) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--test': expected "
                    + "each-epoch, end or never, found '" + testWhen + "'");
        }
        ckpt = checkpointPath();
        outputs().check();
        if (checkpointFile == null) {
            try { // where Ctrl-C writes: a warning only, as nothing is written there unless training is interrupted
                new Outputs().file("the checkpoint file", ckpt).check();
            } catch (UserException e) {
                LOG.warn("Ctrl-C could not save a checkpoint: {} (give --checkpoint FILE)", e.getMessage());
            }
        }
        if (presetLine != null) {
            out.println(presetLine);
            out.flush();
        }
    }

    /** The files this run writes, for checking them before the work. */
    private Outputs outputs() {
        return new Outputs().file("--save", save).file("--history", history).file("--checkpoint", checkpointFile);
    }

    /**
     * The {@code --resume} checkpoint, checked against the outputs, with a warning for the options it makes unused;
     * without {@code --resume} null, with a warning for the options the optimiser does not use.
     */
    private Checkpoint loadCheckpoint() throws IOException {
        if (resume == null) {
            String ignored = ignoredByOptimizer();
            if (ignored != null) {
                LOG.warn(ignored);
            }
            return null;
        }
        Checkpoint checkpoint = ModelFile.loadCheckpoint(resume);
        new Outputs().file("--save", save).file("--history", history)
                .checkNotAnyOf("the checkpoint given to --resume", List.of(resume));
        warnIgnoredWithResume();
        return checkpoint;
    }

    /** Loads the training and test sets, after checking that no output would overwrite them. */
    private TrainingData loadData() throws IOException {
        DatasetFiles files = data.files();
        outputs().checkNotAnyOf("a data file", files.all());
        DataOptions.Loaded loaded = new DataOptions.Loaded(data.dataset.name(), files, files.loadTrain(),
                files.loadTest());
        return new TrainingData(loaded, new DatasetBatchSource(loaded.train()), new DatasetBatchSource(loaded.test()));
    }

    /** A new run of the options' network and training configuration. */
    private Trainer newTrainer(TrainingData d) {
        NetworkConfig net = options.network(d.train().features(), d.train().classes());
        TrainingConfig cfg = options.training();
        return new Trainer(Network.create(net, cfg.seed()), cfg);
    }

    /** The checkpoint's run, on the same data, to its epochs or to {@code --epochs} when given. */
    private Trainer resumedTrainer(Checkpoint checkpoint, TrainingData d) throws IOException {
        checkFits(checkpoint.networkConfig(), d.train());
        checkSameData(checkpoint, d.loaded().files());
        boolean epochsGiven = spec.commandLine().getParseResult().hasMatchedOption("--epochs");
        Trainer trainer = epochsGiven ? Trainer.resume(checkpoint, options.epochs) : Trainer.resume(checkpoint);
        LOG.info("resuming {} after epoch {} of {}", resume, checkpoint.epochsCompleted(), trainer.config().epochs());
        return trainer;
    }

    /** The first line on stdout: the network, the settings, the augmentation, the data, when the test set is used. */
    private String runLine(NetworkConfig net, TrainingConfig cfg, TrainingData d) {
        return "network " + net.describe() + " (" + String.format(Locale.ROOT, "%,d", net.parameterCount())
                + " parameters), " + cfg.describe()
                + (options.augmentation().isNone() ? "" : ", augment " + options.augmentation().describe())
                + ", " + d.loaded().name() + " " + d.train().size() + " train / " + d.test().size() + " test"
                + switch (testSchedule) {
                    case EACH_EPOCH -> "";
                    case END -> " (test set evaluated once, after training)";
                    case NEVER -> " (test set not evaluated)";
                };
    }

    /**
     * Trains with a progress display and Ctrl-C handling, then writes the results ({@link #writeResults}) and returns
     * 0, or after Ctrl-C the checkpoint ({@link #writeCheckpoint}) and returns {@link #EXIT_INTERRUPTED}.
     */
    private int trainAndWrite(Trainer trainer, BatchSource trainSource, TrainingData d, PrintWriter out)
            throws IOException {
        long flopPerExample = trainer.network().config().trainingFlopPerExample();
        FmaPeakCache.Peak peak = FmaPeakCache.peak(Kernels.threads());
        TrainingProgress progress = new TrainingProgress(out, flopPerExample, peak);
        int firstEpoch = trainer.epochsCompleted() + 1;
        CtrlC ctrlC = new CtrlC(trainer);
        try {
            TrainingResult result = train(trainer, trainSource,
                    testSchedule == TestSchedule.EACH_EPOCH ? d.test() : null, progress);
            if (result.stopReason() == StopReason.STOP_REQUESTED) {
                return writeCheckpoint(result, d.loaded().files());
            }
            writeResults(result, trainer.config(), d.test(), firstEpoch, flopPerExample, peak, out);
            return 0;
        } finally {
            ctrlC.release();
        }
    }

    /**
     * From its creation until {@link #release()}, Ctrl-C asks the trainer to stop after the batch in progress and holds
     * the JVM's exit (up to 60 s) until the release, so that the checkpoint is written first.
     */
    private static final class CtrlC {
        private final CountDownLatch finished = new CountDownLatch(1);
        private final AtomicBoolean interrupted = new AtomicBoolean();
        private final Thread hook;

        CtrlC(Trainer trainer) {
            hook = new Thread(() -> {
                interrupted.set(true);
                trainer.requestStop();
                try {
                    // give the training thread time to finish its batch and write the checkpoint
                    finished.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "scratchnet-ctrl-c");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        /** Lets an exit that Ctrl-C started go on; without one, removes the hook. */
        void release() {
            finished.countDown();
            if (!interrupted.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    /** Trains; a divergence is one line that writes nothing, so an existing {@code --save} file keeps its model. */
    private TrainingResult train(Trainer trainer, BatchSource trainSource, BatchSource test,
                                 TrainingProgress progress) {
        try {
            return trainer.train(trainSource, test, progress);
        } catch (DivergenceException e) {
            throw new UserException(e.getMessage().replaceFirst("; kept the weights of epoch \\d+", "")
                    .replace("try a lower learning rate (it was ", "try a smaller --lr than ")
                    .replaceFirst("\\)$", "") + (save != null ? "; " + save + " was not written" : ""));
        } finally {
            progress.close();
        }
    }

    /** After Ctrl-C: the checkpoint of the last completed epoch, the command that resumes it, and the history. */
    private int writeCheckpoint(TrainingResult result, DatasetFiles files) {
        PrintWriter err = spec.commandLine().getErr();
        write("the checkpoint", ckpt, () -> ModelFile.saveCheckpoint(ckpt,
                result.checkpoint().withTrainingData(DataOptions.trainingData(files))));
        err.println("interrupted: checkpoint of epoch " + result.checkpoint().epochsCompleted() + " written to "
                + ckpt);
        err.println("resume with: ./scratchnet " + resumeArguments(ckpt));
        err.flush();
        if (history != null) {
            write("--history", history, () -> writeHistory(history, result.history()));
        }
        return EXIT_INTERRUPTED;
    }

    /**
     * After a completed (or early-stopped) run: the model first, as a failure writing the history must not lose it,
     * then the summary ({@code --test end} evaluates the test set here) and the history.
     */
    private void writeResults(TrainingResult result, TrainingConfig cfg, DatasetBatchSource test, int firstEpoch,
                              long flopPerExample, FmaPeakCache.Peak peak, PrintWriter out) {
        if (save != null) {
            write("--save", save, () -> ModelFile.save(save, result.network(), cfg));
            LOG.info("model written to {}", save);
        }
        double testAccuracy = testSchedule == TestSchedule.END ? Evaluation.of(result.network(), test).accuracy()
                : Double.NaN;
        summary(out, result.history().subList(firstEpoch - 1, result.history().size()), firstEpoch, result,
                testAccuracy, flopPerExample, peak);
        if (history != null) {
            write("--history", history, () -> writeHistory(history, result.history()));
        }
    }

    /** Something that writes a file. */
    private interface Write {
        void run() throws IOException;
    }

    /** Runs a write; a failure is one line naming the option and the path the user gave. */
    private static void write(String option, Path path, Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw Outputs.failure(option, path, e);
        }
    }

    /**
     * Refuses to continue a run on other data than it was started on, when the checkpoint records its data (see
     * {@link DataOptions#trainingData}); a checkpoint that does not (an older version's, or a program's) is
     * resumed with a warning.
     */
    private void checkSameData(Checkpoint checkpoint, DatasetFiles files) throws IOException {
        String recorded = checkpoint.trainingData();
        if (recorded.isEmpty()) {
            LOG.warn("{} does not record which data it was trained on: make sure it is the same", resume);
            return;
        }
        String now = DataOptions.trainingData(files);
        if (!recorded.equals(now)) {
            throw new UserException(resume + ": expected the training data this run was started on ("
                    + shortHashes(recorded) + "), found other data (" + shortHashes(now) + "): give that data with "
                    + "--data-dir or --dataset, or start a new run");
        }
    }

    /** {@code train-images 1a2b3c4d…, train-labels 5e6f…} from the lines of {@link DataOptions#trainingData}. */
    private static String shortHashes(String trainingData) {
        StringBuilder sb = new StringBuilder();
        for (String line : trainingData.split("\n")) {
            int sp = line.indexOf(' ');
            String name = sp > 0 ? line.substring(0, sp).replace("-idx3-ubyte", "").replace("-idx1-ubyte", "") : "";
            String hash = sp > 0 ? line.substring(sp + 1) : line;
            sb.append(sb.length() == 0 ? "" : ", ").append(name).append(" SHA-256 ")
                    .append(hash, 0, Math.min(12, hash.length())).append("...");
        }
        return sb.toString();
    }

    /**
     * The summary lines; {@code finalTestAccuracy} is the accuracy of the trained network measured once after training
     * ({@code --test end}), NaN otherwise; the GFLOPS are the network's training flops per example times images/s, as a
     * share of {@code peak}.
     */
    private static void summary(PrintWriter out, List<EpochStats> epochs, int firstEpoch, TrainingResult result,
                                double finalTestAccuracy, long flopPerExample, FmaPeakCache.Peak peak) {
        EpochStats last = result.last();
        EpochTiming t = EpochTiming.of(epochs);
        if (!Double.isNaN(finalTestAccuracy)) {
            out.printf(Locale.ROOT, "test accuracy   %.2f %% (evaluated once, after training)%n",
                    100 * finalTestAccuracy);
        } else if (last != null && !Double.isNaN(last.testAccuracy())) {
            out.printf(Locale.ROOT, "test accuracy   %.2f %%%n", 100 * last.testAccuracy());
        }
        if (result.stopReason() == StopReason.EARLY_STOPPED) {
            out.printf(Locale.ROOT, "early stopped   best validation accuracy at epoch %d (its weights kept)%n",
                    result.bestEpoch());
        }
        out.println("seconds/epoch   " + t.describeSeconds(firstEpoch));
        out.println("images/s        " + t.describeImagesPerSecond(firstEpoch));
        out.println("GFLOPS          " + t.describeGflops(firstEpoch, flopPerExample, peak));
        out.flush();
    }

    /**
     * Sets every option of the {@code --preset} that the command line does not give to the preset's value, and returns
     * the line that says so (null without a preset). The preset's flags are parsed by picocli like the user's, so they
     * are converted and validated the same way.
     */
    String applyPreset() {
        if (preset == null) {
            return null;
        }
        CommandLine presetCommand = new CommandLine(new TrainCommand());
        presetCommand.setCaseInsensitiveEnumValuesAllowed(true);
        ParseResult presetFlags = presetCommand.parseArgs(preset.flags().toArray(String[]::new));
        ParseResult given = spec.commandLine().getParseResult();
        List<String> overridden = new ArrayList<>();
        for (OptionSpec option : presetFlags.matchedOptions()) {
            String name = option.longestName();
            if (given.hasMatchedOption(name)) {
                overridden.add(name);
            } else {
                spec.findOption(name).setValue(option.getValue());
            }
        }
        StringBuilder line = new StringBuilder("preset ").append(preset.name()).append(": ")
                .append(String.join(" ", preset.flags()));
        if (!overridden.isEmpty()) {
            line.append("; overridden by the command line: ").append(String.join(", ", overridden));
        }
        return line.toString();
    }

    /** The training source, wrapped in the {@code --augment} transformations if any. */
    private BatchSource augmented(DatasetBatchSource train, TrainingConfig cfg) {
        Augmentation augmentation = options.augmentation();
        if (augmentation.isNone()) {
            return train;
        }
        try {
            return AugmentedBatchSource.forTraining(train, train.dataset().cols(), train.dataset().rows(), augmentation,
                    cfg);
        } catch (IllegalArgumentException e) {
            throw new UserException("--augment " + augmentation.describe() + ": " + e.getMessage());
        }
    }

    /** With --resume the network and settings come from the checkpoint: say which given options are not used. */
    private void warnIgnoredWithResume() {
        List<String> ignored = new ArrayList<>();
        ParseResult pr = spec.commandLine().getParseResult();
        for (String name : new String[] {"--layers", "--batch", "--lr", "--momentum", "--momentum-style",
                "--optimizer", "--seed", "--validation", "--schedule", "--weight-decay", "--dropout", "--patience"}) {
            if (pr.hasMatchedOption(name)) {
                ignored.add(name);
            }
        }
        if (!ignored.isEmpty()) {
            LOG.warn("{} ignored: with --resume the network and settings come from the checkpoint "
                    + "(only --epochs applies)",
                    String.join(", ", ignored));
        }
    }

    /**
     * The warning line for options the user gave that the chosen optimiser does not use, or null: {@code --momentum}
     * and {@code --momentum-style} with {@code --optimizer adam}, or with {@code --optimizer sgd} (plain SGD: a
     * {@code --momentum} of 0 agrees with it), and {@code --momentum-style} with {@code --momentum 0}.
     */
    String ignoredByOptimizer() {
        ParseResult pr = spec.commandLine().getParseResult();
        Optimizer rule = options.optimizer;
        if (rule instanceof Optimizer.Momentum) {
            return options.momentum == 0 && pr.hasMatchedOption("--momentum-style")
                    ? "--momentum-style ignored: --momentum 0 is plain SGD without momentum" : null;
        }
        List<String> ignored = new ArrayList<>();
        if (pr.hasMatchedOption("--momentum") && (rule instanceof Optimizer.Adam || options.momentum != 0)) {
            ignored.add("--momentum");
        }
        if (pr.hasMatchedOption("--momentum-style")) {
            ignored.add("--momentum-style");
        }
        if (ignored.isEmpty()) {
            return null;
        }
        return String.join(", ", ignored) + " ignored: " + (rule instanceof Optimizer.Adam
                ? "--optimizer adam keeps its own moment estimates (beta1 0.9, beta2 0.999)"
                : "--optimizer sgd is plain SGD (momentum is --optimizer momentum, the default)");
    }

    private static void checkFits(NetworkConfig net, DatasetBatchSource train) {
        if (net.inputs() != train.features() || net.outputs() != train.classes()) {
            throw new UserException("the checkpoint's network " + net.describe() + " expects " + net.inputs()
                    + " inputs and " + net.outputs() + " classes, the data has " + train.features() + " and "
                    + train.classes());
        }
    }

    private Path checkpointPath() {
        if (checkpointFile != null) {
            return checkpointFile;
        }
        if (resume != null) {
            return resume;
        }
        if (save != null) {
            String name = save.getFileName().toString();
            String base = name.endsWith(".snet") ? name.substring(0, name.length() - 5) : name;
            return save.resolveSibling(base + ".ckpt");
        }
        return Path.of("scratchnet.ckpt");
    }

    /** The original arguments (the command name included) without any --resume, plus {@code --resume <ckpt>}. */
    private String resumeArguments(Path ckpt) {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--resume") && i + 1 < args.size()) {
                args.remove(i + 1);
                args.remove(i);
                i--;
            } else if (args.get(i).startsWith("--resume=")) {
                args.remove(i);
                i--;
            }
        }
        args.add("--resume");
        args.add(ckpt.toString());
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            sb.append(sb.length() == 0 ? "" : " ").append(shellQuote(a));
        }
        return sb.toString();
    }

    static String shellQuote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./=,:+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Per-epoch statistics as CSV, one row per epoch, written atomically. */
    static void writeHistory(Path file, List<EpochStats> history) throws IOException {
        StringBuilder sb = new StringBuilder("epoch,train_loss,train_accuracy,validation_accuracy,test_accuracy,"
                + "learning_rate,seconds,images_per_second\n");
        for (EpochStats s : history) {
            sb.append(s.epoch()).append(',').append(num(s.trainLoss())).append(',').append(num(s.trainAccuracy()))
                    .append(',').append(num(s.validationAccuracy())).append(',').append(num(s.testAccuracy()))
                    .append(',').append(num(s.learningRate())).append(',').append(num(s.seconds())).append(',')
                    .append(num(s.imagesPerSecond())).append('\n');
        }
        AtomicFile.writeString(file, sb.toString());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
