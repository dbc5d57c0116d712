package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchnet.core.InvalidSettingException;
import org.scratchnet.core.ModelFile;
import org.scratchnet.core.MomentumStyle;
import org.scratchnet.core.Network;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.Optimizer;
import org.scratchnet.core.Schedule;
import org.scratchnet.core.TrainingConfig;
import org.scratchnet.kernels.Kernels;

/**
 * Parsing and errors of every command, in this JVM: usage mistakes exit 2 with one line naming the problem, other
 * failures exit 1 with one line {@code scratchnet: ...}, never a stack trace unless --verbose. None of these touch the
 * real data: every failure happens before work starts.
 */
class CommandLineTest {

    @TempDir
    Path tmp;

    private static void assertUsageError(Cli.Result r, String... fragments) {
        assertEquals(2, r.code(), r::toString);
        assertOneLine(r, fragments);
    }

    private static void assertFailure(Cli.Result r, String... fragments) {
        assertEquals(1, r.code(), r::toString);
        assertOneLine(r, fragments);
    }

    private static void assertOneLine(Cli.Result r, String... fragments) {
        String[] lines = r.errLines();
        assertEquals(1, lines.length, () -> "expected one line on stderr\n" + r);
        for (String f : fragments) {
            assertTrue(lines[0].contains(f), () -> "expected '" + f + "' in: " + lines[0]);
        }
        assertFalse(r.err().contains("\tat "), () -> "stack trace printed\n" + r);
        assertEquals("", r.out(), () -> "stdout must stay empty on errors\n" + r);
    }

    @Test
    void helpListsEveryCommand() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code(), r::toString);
        for (String c : new String[] {"train", "eval", "predict", "fetch", "info", "reproduce", "sweep", "merge",
                "completion", "help"}) {
            assertTrue(r.out().contains(c), () -> c + " missing from help:\n" + r.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "eval", "predict", "fetch", "info", "reproduce", "sweep", "merge", "completion",
            "help"})
    void everyCommandHasHelp(String command) {
        Cli.Result r = Cli.run(command, "--help");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("Usage: scratchnet " + command)
                || r.out().contains("\nUsage: scratchnet " + command + " "), r::toString);
    }

    @Test
    void versionPrintsTheVersion() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("scratchnet "), r::toString);
    }

    @Test
    void missingCommandIsAUsageError() {
        assertUsageError(Cli.run(), "Missing required subcommand");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertUsageError(Cli.run("trian"), "trian", "did you mean");
    }

    // ---------------------------------------------------------------------------------------------- train

    @Test
    void trainUnknownFlag() {
        assertUsageError(Cli.run("train", "--lrr", "0.1"), "Unknown option", "--lrr");
    }

    @Test
    void trainNegativeLearningRate() {
        assertUsageError(Cli.run("train", "--lr", "-0.5"), "--lr", "expected a number > 0", "found -0.5");
    }

    @Test
    void trainZeroBatch() {
        assertUsageError(Cli.run("train", "--batch", "0"), "--batch", "expected a number >= 1", "found 0");
    }

    @Test
    void trainZeroLayerSize() {
        assertUsageError(Cli.run("train", "--layers", "100,0"), "--layers", "layer sizes >= 1", "found 0");
    }

    @Test
    void trainLayersNotNumbers() {
        assertUsageError(Cli.run("train", "--layers", "100,abc"), "--layers", "abc");
    }

    @Test
    void trainZeroEpochs() {
        assertUsageError(Cli.run("train", "--epochs", "0"), "--epochs", "found 0");
    }

    @Test
    void trainMomentumOutOfRange() {
        assertUsageError(Cli.run("train", "--momentum", "1.5"), "--momentum", "[0, 1)", "1.5");
    }

    @Test
    void trainBadMomentumStyle() {
        assertUsageError(Cli.run("train", "--momentum-style", "heavy"), "--momentum-style", "heavy");
    }

    @Test
    void trainBadOptimizer() {
        assertUsageError(Cli.run("train", "--optimizer", "rmsprop"), "--optimizer", "rmsprop");
    }

    /** The warning line {@code train} logs for optimiser options it will not use, after parsing {@code args}. */
    private static String ignoredByOptimizer(String... args) {
        TrainCommand train = new TrainCommand();
        new picocli.CommandLine(train).parseArgs(args);
        return train.ignoredByOptimizer();
    }

    @Test
    void trainWarnsAboutMomentumOptionsTheOptimizerIgnores() {
        assertEquals("--momentum, --momentum-style ignored: --optimizer adam keeps its own moment estimates "
                + "(beta1 0.9, beta2 0.999)",
                ignoredByOptimizer("--optimizer", "adam", "--momentum", "0.5", "--momentum-style", "nesterov"));
        String adam = ignoredByOptimizer("--optimizer", "adam", "--momentum", "0.9");
        assertTrue(adam != null && adam.startsWith("--momentum ignored: --optimizer adam"), adam);
        assertEquals("--momentum-style ignored: --momentum 0 is plain SGD without momentum",
                ignoredByOptimizer("--momentum", "0", "--momentum-style", "classical"));
        // nothing given explicitly that goes unused: the defaults (momentum 0.9, style ema) are not the user's
        assertNull(ignoredByOptimizer("--optimizer", "adam"));
        assertNull(ignoredByOptimizer("--momentum", "0"));
        assertNull(ignoredByOptimizer("--momentum", "0.5", "--momentum-style", "classical"));
        // --optimizer sgd is plain SGD: the momentum options are not used (a --momentum of 0 agrees with it)
        assertEquals("--momentum-style ignored: --optimizer sgd is plain SGD (momentum is --optimizer momentum, the "
                + "default)", ignoredByOptimizer("--optimizer", "sgd", "--momentum-style", "nesterov"));
        assertEquals("--momentum ignored: --optimizer sgd is plain SGD (momentum is --optimizer momentum, the "
                + "default)", ignoredByOptimizer("--optimizer", "sgd", "--momentum", "0.5"));
        assertNull(ignoredByOptimizer("--optimizer", "sgd", "--momentum", "0"));
        assertNull(ignoredByOptimizer("--optimizer", "sgd"));
        assertNull(ignoredByOptimizer("--optimizer", "momentum", "--momentum-style", "nesterov"));
    }

    /** The training configuration {@code train} builds from {@code args}, checked as {@code train} checks it. */
    private static TrainingConfig trainingOf(String... args) {
        TrainCommand train = new TrainCommand();
        new picocli.CommandLine(train).parseArgs(args);
        train.options.validate();
        return train.options.training();
    }

    @Test
    void trainMapsItsOptionsToCoresOptimizerAndSchedule() {
        // the default is the published table's: EMA momentum, beta 0.9, at a constant rate
        assertEquals(new Optimizer.Momentum(MomentumStyle.EMA, 0.9), trainingOf().optimizer());
        assertEquals(new Schedule.Constant(), trainingOf().schedule());
        assertEquals(new Optimizer.Momentum(MomentumStyle.EMA, 0.9), trainingOf("--optimizer", "momentum").optimizer());
        assertEquals(new Optimizer.Momentum(MomentumStyle.NESTEROV, 0.5),
                trainingOf("--momentum-style", "nesterov", "--momentum", "0.5").optimizer());
        assertEquals(new Optimizer.Momentum(MomentumStyle.CLASSICAL, 0.9),
                trainingOf("--optimizer", "MOMENTUM", "--momentum-style", "CLASSICAL").optimizer());
        // --momentum 0 turns momentum off; --optimizer sgd is plain SGD whatever --momentum says
        assertEquals(new Optimizer.Sgd(), trainingOf("--momentum", "0").optimizer());
        assertEquals(new Optimizer.Sgd(), trainingOf("--optimizer", "sgd").optimizer());
        assertEquals(new Optimizer.Sgd(), trainingOf("--optimizer", "sgd", "--momentum", "0.5").optimizer());
        assertEquals(new Optimizer.Adam(0.9, 0.999, 1e-8), trainingOf("--optimizer", "adam").optimizer());
        assertEquals(new Optimizer.Adam(), trainingOf("--optimizer", "adam", "--momentum", "0.5").optimizer());
        assertEquals(new Schedule.Step(10, 0.1), trainingOf("--schedule", "step").schedule());
        assertEquals(new Schedule.Cosine(0), trainingOf("--schedule", "cosine").schedule());
        TrainingConfig all = trainingOf("--epochs", "7", "--batch", "32", "--lr", "0.05", "--seed", "9",
                "--validation", "0.1", "--patience", "2", "--weight-decay", "0.001", "--dropout", "0.2");
        assertEquals(TrainingConfig.builder().epochs(7).batchSize(32).learningRate(0.05).seed(9)
                .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).validationFraction(0.1).patience(2)
                .weightDecay(0.001).dropout(0.2).build(), all);
    }

    @Test
    void trainTurnsEachOfCoresChecksIntoAUsageErrorNamingTheOption() {
        assertUsageError(Cli.run("train", "--lr", "0"), "Invalid value for option '--lr': expected a number > 0 "
                + "and finite, found 0");
        assertUsageError(Cli.run("train", "--momentum", "-0.1"), "Invalid value for option '--momentum': expected "
                + "a number in [0, 1), found -0.1");
        assertUsageError(Cli.run("train", "--momentum", "NaN"), "--momentum", "[0, 1)", "NaN");
        // the momentum values are checked whichever optimiser is chosen
        assertUsageError(Cli.run("train", "--optimizer", "adam", "--momentum", "1"), "--momentum", "[0, 1)");
        assertUsageError(Cli.run("train", "--patience", "-1"), "Invalid value for option '--patience': expected "
                + "a number >= 0, found -1");
        assertUsageError(Cli.run("train", "--epochs", "-2"), "Invalid value for option '--epochs': expected a "
                + "number >= 1, found -2");
        assertUsageError(Cli.run("train", "--optimizer", "rmsprop"), "Invalid value for option '--optimizer': "
                + "expected sgd, momentum, adam, found 'rmsprop'");
        assertUsageError(Cli.run("train", "--schedule", "linear"), "Invalid value for option '--schedule': "
                + "expected constant, step, cosine, found 'linear'");
        assertUsageError(Cli.run("train", "--momentum-style", "heavy"), "Invalid value for option "
                + "'--momentum-style': expected ema, classical, nesterov, found 'heavy'");
        // every setting core checks has its option, those of a rule's or a schedule's fixed parameters included
        TrainCommand train = new TrainCommand();
        new picocli.CommandLine(train).parseArgs();
        for (InvalidSettingException.Setting setting : InvalidSettingException.Setting.values()) {
            String msg = train.options.usageError(new InvalidSettingException(setting, "in [0, 1)", "2.0"))
                    .getMessage();
            assertTrue(msg.matches("Invalid value for option '--[a-z-]+': expected .*in \\[0, 1\\), found 2\\.0"),
                    msg);
        }
        assertEquals("Invalid value for option '--optimizer': expected Adam beta1 in [0, 1), found 2.0",
                train.options.usageError(new InvalidSettingException(InvalidSettingException.Setting.ADAM_BETA1,
                        "in [0, 1)", "2.0")).getMessage());
    }

    @Test
    void trainBadValidation() {
        assertUsageError(Cli.run("train", "--validation", "1"), "--validation", "[0, 1)");
    }

    @Test
    void trainBadRegularisation() {
        assertUsageError(Cli.run("train", "--dropout", "1"), "--dropout", "[0, 1)");
        assertUsageError(Cli.run("train", "--weight-decay", "-1"), "--weight-decay", ">= 0");
        assertUsageError(Cli.run("train", "--schedule", "linear"), "--schedule", "linear");
        assertUsageError(Cli.run("train", "--patience", "3"), "--patience 3 needs a validation split");
    }

    @Test
    void trainBadAugment() {
        assertUsageError(Cli.run("train", "--augment", "flip"), "--augment", "expected none, shift:PIXELS", "'flip'");
        assertUsageError(Cli.run("train", "--augment", "shift:1.5"), "--augment", "whole number of pixels", "'1.5'");
        assertUsageError(Cli.run("train", "--augment", "rotate:400"), "--augment", "[0, 180] degrees", "400");
    }

    @Test
    void trainShiftAsLargeAsTheImagesFailsBeforeTraining() throws IOException {
        Path dir = SyntheticData.write(Files.createDirectory(tmp.resolve("data")), 20, 10, 1);
        assertFailure(Cli.run("train", "--data-dir", dir.toString(), "--augment", "shift:28"),
                "--augment shift:28", "needs images larger than that", "28 × 28");
    }

    @Test
    void trainBadTestSchedule() {
        assertUsageError(Cli.run("train", "--test", "sometimes"), "--test", "each-epoch, end or never",
                "'sometimes'");
    }

    @Test
    void trainUnknownPreset() {
        assertUsageError(Cli.run("train", "--preset", "fastest"), "--preset", "best", "fastest");
    }

    @Test
    void trainWithAPresetStillValidatesTheCommandLine() {
        // a value given beside a preset is checked like any other
        assertUsageError(Cli.run("train", "--preset", "best", "--lr", "0"), "--lr", "found 0");
    }

    @Test
    void trainBadDataset() {
        assertUsageError(Cli.run("train", "--dataset", "cifar"), "--dataset", "cifar");
    }

    @Test
    void trainBadKernels() {
        assertUsageError(Cli.run("train", "--kernels", "gpu"), "--kernels", "expected vector or scalar", "gpu");
    }

    @Test
    void trainZeroThreads() {
        assertUsageError(Cli.run("train", "--threads", "0"), "--threads", ">= 1");
    }

    @Test
    void trainMissingCheckpointFailsBeforeLoadingData() {
        assertFailure(Cli.run("train", "--resume", tmp.resolve("none.ckpt").toString()), "scratchnet: ",
                "none.ckpt");
    }

    @Test
    void trainCorruptCheckpoint() throws IOException {
        Path ckpt = Files.write(tmp.resolve("bad.ckpt"), new byte[] {1, 2, 3, 4, 5});
        assertFailure(Cli.run("train", "--resume", ckpt.toString()), "scratchnet: ", "bad.ckpt");
    }

    @Test
    void trainSaveToADirectoryFailsBeforeTraining() {
        assertFailure(Cli.run("train", "--save", tmp.toString()), "expected a file name, found a directory");
    }

    @Test
    void trainDataDirThatIsAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertFailure(Cli.run("train", "--data-dir", file.toString()), "expected a directory");
    }

    @Test
    void trainMalformedData() throws IOException {
        Path dir = SyntheticData.write(Files.createDirectory(tmp.resolve("data")), 20, 10, 1);
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0});
        assertFailure(Cli.run("train", "--data-dir", dir.toString(), "--epochs", "1"), "scratchnet: ",
                "train-images-idx3-ubyte");
    }

    @Test
    void verboseShowsTheStackTrace() throws IOException {
        Path ckpt = Files.write(tmp.resolve("bad.ckpt"), new byte[] {1, 2, 3, 4, 5});
        Cli.Result r = Cli.run("train", "--verbose", "--resume", ckpt.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("\tat "), r::toString);
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("scratchnet: ")), r::toString);
    }

    // ---------------------------------------------------------------------------------------------- eval

    @Test
    void evalNeedsAModel() {
        assertUsageError(Cli.run("eval"), "Missing required option", "--model");
    }

    @Test
    void evalModelNotFound() {
        assertFailure(Cli.run("eval", "--model", tmp.resolve("nope.snet").toString()), "model file not found",
                "nope.snet");
    }

    @Test
    void evalModelIsADirectory() {
        assertFailure(Cli.run("eval", "--model", tmp.toString()), "found a directory");
    }

    @Test
    void evalCorruptModel() throws IOException {
        Path model = Files.writeString(tmp.resolve("text.snet"), "this is not a model\n");
        assertFailure(Cli.run("eval", "--model", model.toString()), "scratchnet: ", "text.snet");
    }

    @Test
    void evalBadMaxMistakes() {
        assertUsageError(Cli.run("eval", "--model", "m.snet", "--max-mistakes", "0"), "--max-mistakes",
                "expected a number >= 1", "found 0");
    }

    @Test
    void evalPictureIntoADirectoryFailsBeforeLoading() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("pictures"));
        assertFailure(Cli.run("eval", "--model", "missing.snet", "--mistakes", dir.toString()), dir.toString(),
                "expected a file name, found a directory");
        assertFailure(Cli.run("eval", "--model", "missing.snet", "--confusion", dir.toString()), dir.toString(),
                "expected a file name, found a directory");
    }

    @Test
    void evalBadTop() {
        assertUsageError(Cli.run("eval", "--model", "m.snet", "--top", "-1"), "--top");
    }

    // ---------------------------------------------------------------------------------------------- predict

    @Test
    void predictNeedsImages() {
        assertUsageError(Cli.run("predict", "--model", "m.snet"), "IMAGE");
    }

    @Test
    void predictImageNotFound() throws IOException {
        Path model = tmp.resolve("m.snet");
        ModelFile.save(model, Network.create(NetworkConfig.of(784, 8, 10), 1), null);
        Cli.Result r = Cli.run("predict", "--model", model.toString(), tmp.resolve("seven.png").toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertEquals("scratchnet: image not found: " + tmp.resolve("seven.png"), r.errLines()[0]);
    }

    @Test
    void predictModelNotFound() {
        assertFailure(Cli.run("predict", "--model", tmp.resolve("m.snet").toString(), "seven.png"), "m.snet");
    }

    // ---------------------------------------------------------------------------------------------- fetch, info

    @Test
    void fetchUnknownDataset() {
        assertUsageError(Cli.run("fetch", "--dataset", "imagenet"), "--dataset", "imagenet");
    }

    @Test
    void fetchUnknownFlag() {
        assertUsageError(Cli.run("fetch", "--force"), "Unknown option", "--force");
    }

    @Test
    void infoDescribesTheKernels() {
        Cli.Result r = Cli.run("info");
        assertEquals(0, r.code(), r::toString);
        for (String key : new String[] {"JDK", "Vector API", "species", "backend", "threads", "CPU"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(key + " ")), () -> key + " missing\n" + r);
        }
    }

    @Test
    void infoTakesThreads() {
        int before = Kernels.threads();
        try {
            Cli.Result r = Cli.run("info", "--threads", "1");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().lines().anyMatch(l -> l.matches("threads\\s+1")), r::toString);
        } finally {
            Kernels.setThreads(before);
        }
    }

    // ---------------------------------------------------------------------------------------------- reproduce, sweep

    @Test
    void reproduceRowOutOfRange() {
        assertUsageError(Cli.run("reproduce", "--rows", "2,6"), "--rows", "1-5", "found 6");
    }

    @Test
    void reproduceZeroSeeds() {
        assertUsageError(Cli.run("reproduce", "--seeds", "0"), "--seeds", "found 0");
    }

    @Test
    void reproduceZeroEpochs() {
        assertUsageError(Cli.run("reproduce", "--epochs", "0"), "--epochs", "found 0");
    }

    @Test
    void reproduceOutThatIsAFileFailsBeforeTraining() throws IOException {
        Path file = Files.writeString(tmp.resolve("results"), "x");
        assertFailure(Cli.run("reproduce", "--out", file.toString()), "--out", "expected a directory, found a file");
    }

    @Test
    void sweepOutThatIsAFileFailsBeforeTraining() throws IOException {
        Path file = Files.writeString(tmp.resolve("sweep"), "x");
        assertFailure(Cli.run("sweep", "--out", file.toString()), "--out", "expected a directory, found a file");
    }

    @Test
    void sweepZeroLearningRate() {
        assertUsageError(Cli.run("sweep", "--lr", "0.1,0"), "--lr", "learning rates > 0");
    }

    @Test
    void sweepBadLayers() {
        assertUsageError(Cli.run("sweep", "--layers", "100,x"), "--layers", "100,x");
    }

    @Test
    void sweepZeroBatch() {
        assertUsageError(Cli.run("sweep", "--batch", "128,0"), "--batch", "batch sizes >= 1");
    }

    @Test
    void reproduceZeroJobs() {
        assertUsageError(Cli.run("reproduce", "--jobs", "0"), "--jobs", "found 0");
    }

    @Test
    void sweepJobsWithSeveralThreadsPerRun() {
        int before = Kernels.threads();
        try {
            assertUsageError(Cli.run("sweep", "--jobs", "2", "--threads", "2"), "--jobs 2 and --threads 2 cannot be "
                    + "combined");
        } finally {
            Kernels.setThreads(before);
        }
    }

    @Test
    void reproduceBadShard() {
        assertUsageError(Cli.run("reproduce", "--shard", "4/3"), "--shard", "expected a shard I/N", "4/3");
        assertUsageError(Cli.run("sweep", "--shard", "two"), "--shard", "'two'");
    }

    @Test
    void mergeNeedsShardsAndOut() {
        assertUsageError(Cli.run("merge", "--out", tmp.toString()), "DIR");
        assertUsageError(Cli.run("merge", tmp.toString()), "--out");
    }

    @Test
    void mergeOfADirectoryWithoutResults() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("no-results"));
        assertFailure(Cli.run("merge", empty.toString(), "--out", tmp.resolve("merged").toString()),
                "no-results", "no results.json or sweep.json");
        assertFailure(Cli.run("merge", empty.toString(), "--out", empty.toString()),
                "is one of the shards' directories");
    }
}
