package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchnet.core.ModelFile;
import org.scratchnet.core.Network;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.Trainer;
import org.scratchnet.core.TrainingConfig;
import org.scratchnet.core.TrainingListener;
import org.scratchnet.core.TrainingResult;
import org.scratchnet.mnist.DatasetFiles;

/**
 * The commands end to end in this JVM on small synthetic MNIST-shaped data (given by --data-dir, so nothing is
 * fetched): train with save and history, eval, resume from a checkpoint, sweep.
 */
class WorkflowTest {

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        data = SyntheticData.write(Files.createDirectory(tmp.resolve("data")), 600, 200, 42);
    }

    @Test
    void trainSavesModelAndHistoryThenEvalReadsTheModel() throws IOException {
        Path model = tmp.resolve("m.snet");
        Path history = tmp.resolve("h.csv");
        Cli.Result r = Cli.run("train", "--data-dir", data.toString(), "--layers", "16", "--epochs", "3", "--batch",
                "32", "--lr", "0.1", "--save", model.toString(), "--history", history.toString());
        assertEquals(0, r.code(), r::toString);
        List<String> out = r.out().lines().toList();
        assertTrue(out.get(0).startsWith("network 784-16-10"), r::toString);
        for (int e = 1; e <= 3; e++) {
            String prefix = "epoch " + e + "/3";
            assertTrue(out.stream().anyMatch(l -> l.startsWith(prefix) && l.contains("test")), r::toString);
        }
        String acc = out.stream().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow();
        double percent = Double.parseDouble(acc.replaceAll("[^0-9.]", ""));
        assertTrue(percent > 90, () -> "synthetic data should be easy: " + acc);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("seconds/epoch") && l.contains("epochs 2-3")), r::toString);
        assertTrue(out.stream().anyMatch(l -> l.startsWith("images/s")), r::toString);

        List<String> csv = Files.readAllLines(history);
        assertEquals(4, csv.size(), csv::toString);
        assertTrue(csv.get(0).startsWith("epoch,train_loss"), csv::toString);
        assertTrue(csv.get(3).startsWith("3,"), csv::toString);

        ModelFile.Model saved = ModelFile.load(model);
        assertEquals("784-16-10", saved.network().config().describe());

        Cli.Result ev = Cli.run("eval", "--model", model.toString(), "--data-dir", data.toString());
        assertEquals(0, ev.code(), ev::toString);
        assertTrue(ev.out().contains("accuracy " + acc.replaceAll(".*?([0-9.]+) %.*", "$1") + " %"), ev::toString);
        assertTrue(ev.out().contains("confusion matrix"), ev::toString);
        assertTrue(ev.out().contains("class  precision  recall      F1  support"), ev::toString);
    }

    @Test
    void evalReadsOnlyTheTestSet() throws IOException {
        Path model = tmp.resolve("only-test.snet");
        Cli.Result r = Cli.run("train", "--data-dir", data.toString(), "--layers", "8", "--epochs", "1", "--save",
                model.toString());
        assertEquals(0, r.code(), r::toString);
        // the same test set beside a training-images file that cannot be read as IDX: eval must not open it
        Path testOnly = Files.createDirectory(tmp.resolve("test-only"));
        for (String name : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-labels-idx1-ubyte")) {
            Files.copy(data.resolve(name), testOnly.resolve(name));
        }
        Files.writeString(testOnly.resolve("train-images-idx3-ubyte"), "not an IDX file");
        Cli.Result ev = Cli.run("eval", "--model", model.toString(), "--data-dir", testOnly.toString());
        assertEquals(0, ev.code(), ev::toString);
        assertTrue(ev.out().contains("on the mnist test set (200 images)"), ev::toString);
        // train does read it, and says so in one line
        Cli.Result bad = Cli.run("train", "--data-dir", testOnly.toString(), "--layers", "8", "--epochs", "1");
        assertEquals(1, bad.code(), bad::toString);
    }

    @Test
    void trainWithValidationAdamAndClassicalMomentum() {
        Cli.Result r = Cli.run("train", "--data-dir", data.toString(), "--layers", "8,8", "--epochs", "1",
                "--validation", "0.2", "--optimizer", "adam", "--lr", "0.01");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("adam"), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("epoch 1/1") && l.contains("validation")), r::toString);

        Cli.Result c = Cli.run("train", "--data-dir", data.toString(), "--layers", "8", "--epochs", "1",
                "--momentum-style", "classical", "--momentum", "0.5", "--lr", "0.05");
        assertEquals(0, c.code(), c::toString);
        assertTrue(c.out().contains("momentum classical 0.5"), c::toString);

        Cli.Result regularised = Cli.run("train", "--data-dir", data.toString(), "--layers", "16", "--epochs", "3",
                "--lr", "0.1", "--dropout", "0.2", "--weight-decay", "0.0001", "--schedule", "cosine",
                "--validation", "0.2", "--patience", "1");
        assertEquals(0, regularised.code(), regularised::toString);
        assertTrue(regularised.out().contains("dropout 0.2") && regularised.out().contains("cosine schedule")
                && regularised.out().contains("patience 1"), regularised::toString);

        Cli.Result plain = Cli.run("train", "--data-dir", data.toString(), "--layers", "8", "--epochs", "1",
                "--momentum", "0");
        assertEquals(0, plain.code(), plain::toString);
        assertTrue(plain.out().contains(", sgd,"), plain::toString);
    }

    @Test
    void augmentedTrainingIsSeededAndSaysSo() throws IOException {
        String[] args = {"train", "--data-dir", data.toString(), "--layers", "16", "--epochs", "2", "--lr", "0.1",
                "--augment", "shift:2,rotate:10", "--validation", "0.1"};
        Path a = tmp.resolve("aug-a.snet");
        Path b = tmp.resolve("aug-b.snet");
        Path plain = tmp.resolve("plain.snet");
        Cli.Result r = Cli.run(concat(args, "--save", a.toString()));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().lines().findFirst().orElseThrow().contains("augment shift:2,rotate:10"), r::toString);
        assertEquals(0, Cli.run(concat(args, "--save", b.toString())).code());
        assertEquals(0, Cli.run("train", "--data-dir", data.toString(), "--layers", "16", "--epochs", "2", "--lr",
                "0.1", "--validation", "0.1", "--save", plain.toString()).code());
        float[] wa = ModelFile.load(a).network().parameters();
        assertArrayEquals(wa, ModelFile.load(b).network().parameters(), "same seed, same augmented run");
        assertFalse(Arrays.equals(wa, ModelFile.load(plain).network().parameters()), "augmentation changed nothing");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void testAtEndEvaluatesTheTestSetOnceAfterTraining() throws IOException {
        Path model = tmp.resolve("end.snet");
        Cli.Result r = Cli.run("train", "--data-dir", data.toString(), "--layers", "16", "--epochs", "3", "--lr",
                "0.1", "--validation", "0.2", "--test", "end", "--save", model.toString());
        assertEquals(0, r.code(), r::toString);
        List<String> out = r.out().lines().toList();
        assertTrue(out.get(0).endsWith("(test set evaluated once, after training)"), r::toString);
        List<String> epochs = out.stream().filter(l -> l.startsWith("epoch ")).toList();
        assertEquals(3, epochs.size(), r::toString);
        assertTrue(epochs.stream().allMatch(l -> l.contains("validation") && !l.contains("test")), r::toString);
        String acc = out.stream().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow();
        assertTrue(acc.endsWith("% (evaluated once, after training)"), acc);
        String percent = acc.replaceAll("test accuracy +([0-9.]+) %.*", "$1");
        Cli.Result ev = Cli.run("eval", "--model", model.toString(), "--data-dir", data.toString());
        assertTrue(ev.out().contains("accuracy " + percent + " %"), () -> acc + "\n" + ev);

        Cli.Result never = Cli.run("train", "--data-dir", data.toString(), "--layers", "16", "--epochs", "2",
                "--validation", "0.2", "--test", "never");
        assertEquals(0, never.code(), never::toString);
        assertTrue(never.out().lines().findFirst().orElseThrow().endsWith("(test set not evaluated)"), never::toString);
        assertTrue(never.out().lines().skip(1).noneMatch(l -> l.contains("test")), never::toString);
        assertTrue(never.out().lines().anyMatch(l -> l.startsWith("epoch 2/2") && l.contains("validation")),
                never::toString);
    }

    @Test
    void presetIsPlainFlagsPrintedFirstAndTheCommandLineOverridesThem() {
        Cli.Result r = Cli.run("train", "--data-dir", data.toString(), "--preset", "best", "--layers", "8",
                "--epochs", "1", "--augment", "none");
        assertEquals(0, r.code(), r::toString);
        List<String> out = r.out().lines().toList();
        String flags = String.join(" ", Preset.best.flags());
        assertEquals("preset best: " + flags
                + "; overridden by the command line: --layers, --epochs, --augment", out.get(0));
        // what the preset sets and the command line does not: batch, schedule, the test at the end
        String network = out.get(1);
        assertTrue(network.startsWith("network 784-8-10 ") && network.contains("1 epochs")
                && network.contains("batch 128") && network.contains("cosine schedule")
                && !network.contains("augment") && network.endsWith("(test set evaluated once, after training)"),
                network);
        assertTrue(out.stream().anyMatch(l -> l.endsWith("(evaluated once, after training)")), r::toString);
    }

    @Test
    void evalDrawsTheMistakesAndTheConfusionMatrix() throws IOException {
        Path model = tmp.resolve("weak.snet");
        // a deliberately weak model, so that there are mistakes to draw
        assertEquals(0, Cli.run("train", "--data-dir", data.toString(), "--layers", "4", "--epochs", "1", "--lr",
                "0.01", "--momentum", "0", "--save", model.toString()).code());
        Path mistakes = tmp.resolve("pictures/mistakes.png");
        Path confusion = tmp.resolve("pictures/confusion.png");
        Cli.Result ev = Cli.run("eval", "--model", model.toString(), "--data-dir", data.toString(), "--mistakes",
                mistakes.toString(), "--max-mistakes", "13", "--confusion", confusion.toString());
        assertEquals(0, ev.code(), ev::toString);
        String accuracy = ev.out().lines().filter(l -> l.startsWith("accuracy")).findFirst().orElseThrow();
        int correct = Integer.parseInt(accuracy.replaceAll(".*\\(([0-9,]+) of.*", "$1").replace(",", ""));
        int wrong = 200 - correct;
        assertTrue(wrong > 0, "the weak model made no mistakes: " + accuracy);
        BufferedImage grid = ImageIO.read(mistakes.toFile());
        int rows = (Math.min(13, wrong) + 9) / 10;
        assertEquals(MistakeGrid.PAD + 10 * (84 + MistakeGrid.PAD), grid.getWidth());
        assertEquals(MistakeGrid.HEADER_HEIGHT + rows * (84 + MistakeGrid.LABEL_HEIGHT + MistakeGrid.PAD),
                grid.getHeight());
        BufferedImage heat = ImageIO.read(confusion.toFile());
        assertEquals(ConfusionHeatMap.LEFT + 10 * ConfusionHeatMap.CELL + ConfusionHeatMap.RIGHT, heat.getWidth());
        assertEquals(ConfusionHeatMap.TOP + 10 * ConfusionHeatMap.CELL + ConfusionHeatMap.BOTTOM, heat.getHeight());
    }

    @Test
    void resumeRunsTheRemainingEpochs() throws IOException {
        DatasetFiles files = DatasetFiles.inDirectory(data);
        DatasetBatchSource train = new DatasetBatchSource(files.loadTrain());
        TrainingConfig cfg = TrainingConfig.builder().epochs(3).batchSize(50).learningRate(0.1).seed(7).build();
        Trainer trainer = new Trainer(Network.create(NetworkConfig.of(784, 12, 10), 7), cfg);
        // stop after the first epoch, as Ctrl-C would
        TrainingResult first = trainer.train(train, null, new TrainingListener() {
            @Override
            public void onEpoch(org.scratchnet.core.EpochStats stats) {
                trainer.requestStop();
            }
        });
        assertEquals(1, first.checkpoint().epochsCompleted());
        Path ckpt = tmp.resolve("run.ckpt");
        ModelFile.saveCheckpoint(ckpt, first.checkpoint());

        Cli.Result r = Cli.run("train", "--data-dir", data.toString(), "--resume", ckpt.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("network 784-12-10"), r::toString);
        assertFalse(r.out().contains("epoch 1/3"), r::toString);
        assertTrue(r.out().contains("epoch 2/3"), r::toString);
        assertTrue(r.out().contains("epoch 3/3"), r::toString);

        Cli.Result longer = Cli.run("train", "--data-dir", data.toString(), "--resume", ckpt.toString(), "--epochs",
                "4");
        assertEquals(0, longer.code(), longer::toString);
        assertTrue(longer.out().contains("epoch 2/4") && longer.out().contains("epoch 4/4"), longer::toString);
    }

    @Test
    void resumeWithOtherDataIsRefused() throws IOException {
        Path other = SyntheticData.write(Files.createDirectory(tmp.resolve("other")), 300, 50, 3);
        DatasetBatchSource train = new DatasetBatchSource(DatasetFiles.inDirectory(data).loadTrain());
        Trainer trainer = new Trainer(Network.create(NetworkConfig.of(784, 4, 10), 1),
                TrainingConfig.builder().epochs(2).build());
        trainer.train(train, null, new TrainingListener() {
            @Override
            public void onEpoch(org.scratchnet.core.EpochStats stats) {
                trainer.requestStop();
            }
        });
        Path ckpt = tmp.resolve("other.ckpt");
        ModelFile.saveCheckpoint(ckpt, trainer.checkpoint());
        Cli.Result r = Cli.run("train", "--data-dir", other.toString(), "--resume", ckpt.toString());
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertTrue(r.err().contains("600") && r.err().contains("300"), r::toString);
    }

    @Test
    void resumingACompletedRunSaysHowToExtendIt() throws IOException {
        DatasetBatchSource train = new DatasetBatchSource(DatasetFiles.inDirectory(data).loadTrain());
        Trainer trainer = new Trainer(Network.create(NetworkConfig.of(784, 4, 10), 1),
                TrainingConfig.builder().epochs(1).build());
        trainer.train(train, null, null);
        Path ckpt = tmp.resolve("done.ckpt");
        ModelFile.saveCheckpoint(ckpt, trainer.checkpoint());
        Cli.Result r = Cli.run("train", "--data-dir", data.toString(), "--resume", ckpt.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.errLines().length == 1 && r.err().contains("--epochs N"), r::toString);
        Cli.Result more = Cli.run("train", "--data-dir", data.toString(), "--resume", ckpt.toString(), "--epochs",
                "2");
        assertEquals(0, more.code(), more::toString);
        assertTrue(more.out().contains("epoch 2/2"), more::toString);
    }

    @Test
    void sweepPrintsATableAndWritesFiles() throws IOException {
        Path out = tmp.resolve("sweep");
        Cli.Result r = Cli.run("sweep", "--data-dir", data.toString(), "--layers", "8", "--layers", "16,8", "--lr",
                "0.05,0.1", "--momentum", "0,0.9", "--epochs", "1", "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        long rows = r.out().lines().filter(l -> l.matches("\\| [a-h] \\|.*")).count();
        assertEquals(8, rows, r::toString);
        assertTrue(Files.readString(out.resolve("sweep.md")).contains("| a |"));
        assertEquals(9, Files.readAllLines(out.resolve("sweep.csv")).size());
        assertTrue(Files.readString(out.resolve("sweep.json")).contains("\"runs\""));
    }

    @Test
    void sweepWithTwoJobsGivesTheResultsOfOneToTheLastDigit() throws IOException {
        String[] grid = {"sweep", "--data-dir", data.toString(), "--layers", "8", "--layers", "16,8", "--momentum",
                "0,0.9", "--epochs", "2", "--seeds", "2", "--lr", "0.1"};
        Path one = tmp.resolve("jobs-1");
        Path two = tmp.resolve("jobs-2");
        int threads = org.scratchnet.kernels.Kernels.threads();
        Cli.Result r1 = Cli.run(concat(grid, "--jobs", "1", "--threads", "2", "--out", one.toString()));
        assertEquals(0, r1.code(), r1::toString);
        Cli.Result r2 = Cli.run(concat(grid, "--jobs", "2", "--out", two.toString()));
        assertEquals(0, r2.code(), r2::toString);
        assertEquals(2, org.scratchnet.kernels.Kernels.threads(), "--threads 2 of the first run still holds: "
                + "the jobs set the kernels' threads back");
        org.scratchnet.kernels.Kernels.setThreads(threads);

        // the table in the grid's order, every accuracy equal; only the s/run column may differ
        assertEquals(withoutLastColumn(r1.out()), withoutLastColumn(r2.out()));
        assertEquals(List.of("a", "b", "c", "d"), r2.out().lines().filter(l -> l.matches("\\| [a-d] \\|.*"))
                .map(l -> l.substring(2, 3)).toList());
        assertEquals(csvWithoutTimings(one.resolve("sweep.csv")), csvWithoutTimings(two.resolve("sweep.csv")));
        assertEquals(jsonWithoutTimings(one.resolve("sweep.json")), jsonWithoutTimings(two.resolve("sweep.json")));
        // and the runs are real: 8 of them, each with two epochs of test accuracies
        com.google.gson.JsonArray runs = com.google.gson.JsonParser.parseString(
                Files.readString(two.resolve("sweep.json"))).getAsJsonObject().getAsJsonArray("runs");
        assertEquals(8, runs.size());
        assertEquals(2, runs.get(7).getAsJsonObject().getAsJsonArray("epochs_history").size());
        // both end with what they computed and how close to the peak
        assertTrue(r2.err().lines().anyMatch(l -> l.startsWith("sweep: 8 runs in ") && l.contains("(2 jobs of 1 "
                + "thread)") && l.contains("GFLOP") && l.contains("% of the FMA peak")), r2::toString);
        assertTrue(r1.err().lines().anyMatch(l -> l.startsWith("sweep: 8 runs in ") && l.contains("(1 job of 2 "
                + "threads)")), r1::toString);
    }

    @Test
    void reproduceWithJobsDrawsBothMomentumFigures() throws IOException {
        Path out = tmp.resolve("reproduce");
        Cli.Result r = Cli.run("reproduce", "--data-dir", data.toString(), "--rows", "2,3,4,5", "--seeds", "2",
                "--epochs", "3", "--jobs", "2", "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals(r.out(), Files.readString(out.resolve("results.md")));
        for (String row : List.of("2", "3", "4", "5")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| " + row + " | 3 | ")), r::toString);
        }
        for (String png : List.of(MomentumFigures.FULL_BATCH, MomentumFigures.BATCH_128)) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(out.resolve(png).toFile());
            assertEquals(1280, image.getWidth(), png);
        }
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("reproduce: 8 runs in ")), r::toString);

        // rows without their pair draw no figure
        Path alone = tmp.resolve("reproduce-alone");
        Cli.Result single = Cli.run("reproduce", "--data-dir", data.toString(), "--rows", "3,4", "--seeds", "1",
                "--epochs", "1", "--out", alone.toString());
        assertEquals(0, single.code(), single::toString);
        assertFalse(Files.exists(alone.resolve(MomentumFigures.FULL_BATCH)));
        assertFalse(Files.exists(alone.resolve(MomentumFigures.BATCH_128)));
    }

    @Test
    void aRunThatFailsOrDivergesDoesNotStopTheOthers() throws IOException {
        DatasetBatchSource train = new DatasetBatchSource(DatasetFiles.inDirectory(data).loadTrain());
        DatasetBatchSource test = new DatasetBatchSource(DatasetFiles.inDirectory(data).loadTest());
        Experiment good = new Experiment("a", new int[] {8}, 2, 50, 0.1, 0, Double.NaN);
        // a negative learning rate is refused by core when the run starts: that run fails
        Experiment bad = new Experiment("b", new int[] {8}, 2, 50, -1, 0, Double.NaN);
        Experiment wild = new Experiment("c", new int[] {8}, 2, 50, 1e30, 0, Double.NaN);
        Plan plan = new Plan(Plan.Command.SWEEP, List.of(good, bad, wild, good.withEpochs(1)), List.of(1L),
                new Plan.Data("synthetic", 784, 10, 600, 200));
        List<Run> runs;
        try (RunsProgress progress = new RunsProgress(4, 2, "point")) {
            runs = ExperimentRunner.runAll(plan.tasks(), 2, train, test, progress);
        }
        assertEquals(List.of("a", "b", "c", "a"), runs.stream().map(r -> r.experiment().id()).toList());
        assertTrue(runs.get(0).completed() && runs.get(0).history().size() == 2, runs.get(0)::toString);
        assertTrue(runs.get(1).failure() != null && runs.get(1).failure().contains("-1"), runs.get(1)::toString);
        assertTrue(runs.get(2).diverged(), runs.get(2)::toString);
        assertTrue(runs.get(3).completed() && runs.get(3).history().size() == 1, runs.get(3)::toString);
    }

    @Test
    void theProgressShowsEveryRunningJob() throws IOException {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        String forced = System.getProperty("scratchnet.progress");
        System.setProperty("scratchnet.progress", "true");
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        Cli.Result r;
        try {
            r = Cli.run("sweep", "--data-dir", data.toString(), "--layers", "8", "--lr", "0.05,0.1", "--epochs",
                    "2", "--jobs", "2", "--out", tmp.resolve("progress").toString());
        } finally {
            System.setErr(saved);
            if (forced == null) {
                System.clearProperty("scratchnet.progress");
            } else {
                System.setProperty("scratchnet.progress", forced);
            }
        }
        assertEquals(0, r.code(), r::toString);
        String bars = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        // an overall bar and one line per job, each naming the run it trained last
        assertTrue(bars.contains("runs") && bars.contains("job 1") && bars.contains("job 2"), bars);
        assertTrue(bars.contains("point a seed 1") && bars.contains("point b seed 1"), bars);
    }

    @Test
    void infoPeakMeasuresAndCachesThePeakThatTrainThenUses() throws IOException {
        Path cache = Path.of(System.getProperty(FmaPeakCache.FILE_PROPERTY));
        Files.deleteIfExists(cache);
        Cli.Result before = Cli.run("info");
        assertTrue(before.out().lines().anyMatch(l -> l.matches("FMA peak +not measured yet.*")), before::toString);
        Cli.Result r = Cli.run("info", "--peak", "--threads", "1");
        assertEquals(0, r.code(), r::toString);
        int cpus = Runtime.getRuntime().availableProcessors();
        assertTrue(r.out().lines().anyMatch(l -> l.matches("FMA peak +[0-9.]+ GFLOPS on 1 thread, measured now.*")),
                r::toString);
        if (cpus > 1) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches("FMA peak +[0-9.]+ GFLOPS on " + cpus
                    + " threads, measured now.*")), r::toString);
        }
        List<String> lines = Files.readAllLines(cache);
        assertEquals(cpus > 1 ? 3 : 2, lines.size(), lines::toString);
        Cli.Result after = Cli.run("info", "--threads", "1");
        assertTrue(after.out().lines().anyMatch(l -> l.matches("FMA peak +[0-9.]+ GFLOPS on 1 thread, cached .*")),
                after::toString);

        Cli.Result train = Cli.run("train", "--data-dir", data.toString(), "--layers", "16", "--epochs", "2",
                "--threads", "1");
        assertEquals(0, train.code(), train::toString);
        assertTrue(train.out().lines().anyMatch(l -> l.startsWith("epoch 2/2") && l.matches(".* [0-9.]+ GFLOPS +"
                + "[0-9]+ % of peak")), train::toString);
        assertTrue(train.out().lines().anyMatch(l -> l.startsWith("GFLOPS          ") && l.contains("(epoch 2; ")
                && l.contains("% of the FMA peak (") && l.contains("on 1 thread, cached ")), train::toString);
        org.scratchnet.kernels.Kernels.setThreads(cpus);
    }

    /** Markdown with the last column (s/run) of every table line removed. */
    static String withoutLastColumn(String markdown) {
        return markdown.lines().map(l -> l.startsWith("|") ? l.substring(0, l.lastIndexOf('|', l.length() - 2)) : l)
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    /** CSV lines without the two seconds columns. */
    static List<String> csvWithoutTimings(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(l -> {
            List<String> f = new java.util.ArrayList<>(List.of(l.split(",", -1)));
            f.remove(f.size() - 3); // seconds_per_epoch_after_first
            f.remove(f.size() - 3); // seconds
            return String.join(",", f);
        }).toList();
    }

    /** The plan, summary and runs of a results JSON with every timing field removed. */
    static String jsonWithoutTimings(Path json) throws IOException {
        com.google.gson.JsonObject root = com.google.gson.JsonParser.parseString(Files.readString(json))
                .getAsJsonObject();
        com.google.gson.JsonObject kept = new com.google.gson.JsonObject();
        for (String key : List.of("accuracy_unit", "plan", "summary", "runs")) {
            kept.add(key, root.get(key));
        }
        for (com.google.gson.JsonElement s : kept.getAsJsonArray("summary")) {
            s.getAsJsonObject().remove("seconds_per_run");
        }
        for (com.google.gson.JsonElement r : kept.getAsJsonArray("runs")) {
            r.getAsJsonObject().remove("seconds");
            for (com.google.gson.JsonElement e : r.getAsJsonObject().getAsJsonArray("epochs_history")) {
                e.getAsJsonObject().remove("seconds");
                e.getAsJsonObject().remove("images_per_second");
            }
        }
        return kept.toString();
    }
}
