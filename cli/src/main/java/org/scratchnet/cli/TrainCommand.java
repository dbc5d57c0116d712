package org.scratchnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.scratchnet.core.Checkpoint;
import org.scratchnet.core.DivergenceException;
import org.scratchnet.core.EpochStats;
import org.scratchnet.core.ModelFile;
import org.scratchnet.core.Network;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.StopReason;
import org.scratchnet.core.Trainer;
import org.scratchnet.core.TrainingConfig;
import org.scratchnet.core.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code scratchnet train}: trains a network on MNIST (or Fashion-MNIST), one line per epoch on stdout and a summary;
 * optionally saves the model and the per-epoch history. Ctrl-C stops after the batch in progress, writes a checkpoint
 * of the last completed epoch (atomically) and prints the command that resumes it.
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

    @Override
    public Integer call() throws IOException {
        kernelOptions.apply();
        options.validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        for (Path file : new Path[] {save, history, checkpointFile}) {
            createParent(file);
        }
        Checkpoint checkpoint = resume == null ? null : ModelFile.loadCheckpoint(resume);
        if (checkpoint != null) {
            warnIgnoredWithResume();
        } else {
            String ignored = ignoredByOptimizer();
            if (ignored != null) {
                LOG.warn(ignored);
            }
        }
        DataOptions.Loaded loaded = data.load();
        DatasetBatchSource train = new DatasetBatchSource(loaded.train());
        DatasetBatchSource test = new DatasetBatchSource(loaded.test());

        Trainer trainer;
        if (checkpoint != null) {
            checkFits(checkpoint.networkConfig(), train);
            boolean epochsGiven = spec.commandLine().getParseResult().hasMatchedOption("--epochs");
            trainer = epochsGiven ? Trainer.resume(checkpoint, options.epochs) : Trainer.resume(checkpoint);
            LOG.info("resuming {} after epoch {} of {}", resume, checkpoint.epochsCompleted(),
                    trainer.config().epochs());
        } else {
            NetworkConfig net = options.network(train.features(), train.classes());
            TrainingConfig cfg = options.training();
            trainer = new Trainer(Network.create(net, cfg.seed()), cfg);
        }
        NetworkConfig net = trainer.network().config();
        TrainingConfig cfg = trainer.config();
        out.println("network " + net.describe() + " (" + String.format(Locale.ROOT, "%,d", net.parameterCount())
                + " parameters), " + cfg.describe() + ", " + loaded.name() + " " + train.size() + " train / "
                + test.size() + " test");
        LOG.info("kernels: {}", Provenance.backend());

        if (trainer.epochsCompleted() >= cfg.epochs()) {
            throw new UserException("nothing to train: the checkpoint's run has completed all " + cfg.epochs()
                    + " epochs (add --epochs N to extend it)");
        }
        Path ckpt = checkpointPath();
        TrainingProgress progress = new TrainingProgress(out, "", true);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread hook = new Thread(() -> {
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
        int firstEpoch = trainer.epochsCompleted() + 1;
        try {
            TrainingResult result;
            try {
                result = trainer.train(train, test, progress);
            } catch (DivergenceException e) {
                throw new UserException("training diverged (loss became NaN or infinite) in epoch " + e.epoch()
                        + ", batch " + e.batch() + ": try a smaller --lr than " + cfg.learningRate());
            } finally {
                progress.close();
            }
            if (history != null) {
                writeHistory(history, result.history());
            }
            if (result.stopReason() == StopReason.STOP_REQUESTED) {
                ModelFile.saveCheckpoint(ckpt, result.checkpoint());
                err.println("interrupted: checkpoint of epoch " + result.checkpoint().epochsCompleted() + " written to "
                        + ckpt);
                err.println("resume with: ./scratchnet " + resumeArguments(ckpt));
                err.flush();
                return EXIT_INTERRUPTED;
            }
            if (save != null) {
                ModelFile.save(save, result.network(), cfg);
                LOG.info("model written to {}", save);
            }
            summary(out, result.history().subList(firstEpoch - 1, result.history().size()), firstEpoch, result);
            return 0;
        } finally {
            finished.countDown();
            if (!interrupted.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    private static void summary(PrintWriter out, List<EpochStats> epochs, int firstEpoch, TrainingResult result) {
        EpochStats last = result.last();
        EpochTiming t = EpochTiming.of(epochs);
        if (last != null && !Double.isNaN(last.testAccuracy())) {
            out.printf(Locale.ROOT, "test accuracy   %.2f %%%n", 100 * last.testAccuracy());
        }
        if (result.stopReason() == StopReason.EARLY_STOPPED) {
            out.printf(Locale.ROOT, "early stopped   best validation accuracy at epoch %d (its weights kept)%n",
                    result.bestEpoch());
        }
        out.println("seconds/epoch   " + t.describeSeconds(firstEpoch));
        out.println("images/s        " + t.describeImagesPerSecond(firstEpoch));
        out.flush();
    }

    /** Output files' directories are made before training, so a typo fails now and not after the last epoch. */
    private static void createParent(Path file) throws IOException {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new UserException(file + ": expected a file name, found a directory");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
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
     * and {@code --momentum-style} with {@code --optimizer adam}, {@code --momentum-style} with {@code --momentum 0}.
     */
    String ignoredByOptimizer() {
        ParseResult pr = spec.commandLine().getParseResult();
        if (options.optimizer == TrainOptions.OptimizerName.adam) {
            List<String> ignored = new ArrayList<>();
            for (String name : new String[] {"--momentum", "--momentum-style"}) {
                if (pr.hasMatchedOption(name)) {
                    ignored.add(name);
                }
            }
            return ignored.isEmpty() ? null : String.join(", ", ignored)
                    + " ignored: --optimizer adam keeps its own moment estimates (beta1 0.9, beta2 0.999)";
        }
        if (options.momentum == 0 && pr.hasMatchedOption("--momentum-style")) {
            return "--momentum-style ignored: --momentum 0 is plain SGD without momentum";
        }
        return null;
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
        AtomicFiles.writeString(file, sb.toString());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
