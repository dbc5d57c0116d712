package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchnet.core.EpochStats;

/**
 * The results files without training: one accuracy unit in the JSON, reading it back bit for bit, shards and their
 * merge (the order, what is refused, what is named). The end-to-end run of three shard processes is {@code ShardIT}.
 */
class ResultsTest {

    @TempDir
    Path tmp;

    private static final Plan.Data DATA = new Plan.Data("mnist", 784, 10, 600, 200);

    /** A sweep-like plan of three points and two seeds: six runs. */
    private static Plan plan(Plan.Command command, List<Long> seeds) {
        List<Experiment> grid = List.of(
                new Experiment("a", new int[] {8}, 2, 32, 0.1, 0, Double.NaN),
                new Experiment("b", new int[] {8}, 2, 32, 0.1, 0.9, Double.NaN),
                new Experiment("c", new int[] {16, 8}, 2, 32, 0.05, 0.9, Double.NaN));
        return new Plan(command, grid, seeds, DATA);
    }

    /** Made-up runs with full-precision numbers, one per task. */
    private static List<Run> runs(List<Plan.Task> tasks) {
        List<Run> runs = new ArrayList<>();
        for (Plan.Task t : tasks) {
            SplittableRandom rnd = new SplittableRandom(t.number());
            List<EpochStats> h = new ArrayList<>();
            for (int e = 1; e <= t.experiment().epochs(); e++) {
                h.add(new EpochStats(e, rnd.nextDouble(), rnd.nextDouble(), rnd.nextInt(200) / 200.0, Double.NaN,
                        0.1, rnd.nextDouble(), 1000 * rnd.nextDouble()));
            }
            runs.add(new Run(t.experiment(), t.seed(), h));
        }
        return runs;
    }

    private static Map<String, Object> provenance(String version) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("version", version);
        p.put("git_commit", "0123456789ab");
        p.put("jdk", "17");
        p.put("cpu", "test cpu, 2 processors");
        p.put("backend", "vector");
        p.put("date", "2026-11-30T00:00:00Z");
        return p;
    }

    /** Writes shard {@code index}/{@code count} of the plan with made-up runs into a directory of its own. */
    private Path shard(Plan plan, int index, int count, String version) throws IOException {
        Shard s = new Shard(index, count);
        Path dir = Files.createDirectories(tmp.resolve(plan.command().command + "-" + version + "-"
                + plan.seeds().size() + "-" + index + "of" + count));
        new Results(plan, provenance(version), s, runs(plan.tasks(s)), Map.of("runs", 2), List.of()).write(dir);
        return dir;
    }

    @Test
    void theFilesCheckedBeforeTheRunsAreTheFilesWritten() throws IOException {
        List<Experiment> rows = new ArrayList<>();
        for (int r = 2; r <= 5; r++) {
            rows.addAll(Experiment.row(r));
        }
        Plan table = new Plan(Plan.Command.REPRODUCE, rows, List.of(1L), DATA);
        List<String> expected = List.of("results.md", "results.csv", "results.json", MomentumFigures.FULL_BATCH,
                MomentumFigures.BATCH_128);
        assertEquals(expected, Results.fileNames(Plan.Command.REPRODUCE, rows, false));
        Path whole = Files.createDirectories(tmp.resolve("whole"));
        Results results = new Results(table, provenance("1.0"), null, runs(table.tasks()), Map.of(), List.of());
        assertEquals(expected, results.fileNames());
        assertEquals(expected, results.write(whole));
        try (java.util.stream.Stream<Path> files = Files.list(whole)) {
            assertEquals(new java.util.TreeSet<>(expected), files.map(f -> f.getFileName().toString())
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        }
        // one figure's rows only; a shard draws none; a sweep has its own names
        assertEquals(List.of("results.md", "results.csv", "results.json", MomentumFigures.BATCH_128),
                Results.fileNames(Plan.Command.REPRODUCE, rows.subList(0, 3), false));
        assertEquals(List.of("results.md", "results.csv", "results.json"),
                Results.fileNames(Plan.Command.REPRODUCE, rows, true));
        assertEquals(List.of("sweep.md", "sweep.csv", "sweep.json"),
                Results.fileNames(Plan.Command.SWEEP, plan(Plan.Command.SWEEP, List.of(1L)).experiments(), false));

        // a write that fails names --out and the file, never a temporary one
        Path blocked = Files.createDirectories(tmp.resolve("blocked/results.md")).getParent();
        UserException e = assertThrows(UserException.class, () -> RunOptions.write(results, blocked));
        assertEquals("--out " + blocked.resolve("results.md") + ": expected a file name, found a directory",
                e.getMessage());
    }

    @Test
    void shardsDealTheRunsOutLikeCards() {
        Shard two = Shard.parse("2/3");
        assertEquals(new Shard(2, 3), two);
        List<Plan.Task> tasks = plan(Plan.Command.SWEEP, List.of(1L, 2L)).tasks(two);
        assertEquals(List.of(1, 4), tasks.stream().map(Plan.Task::number).toList());
        assertEquals("a", tasks.get(0).experiment().id());
        assertEquals(2L, tasks.get(0).seed());
        assertEquals("c", tasks.get(1).experiment().id());
        assertEquals(1L, tasks.get(1).seed());
        for (String bad : List.of("0/3", "4/3", "1/0", "2", "a/b", "1/2/3", "-1/2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad));
            assertTrue(e.getMessage().contains("expected a shard I/N"), e.getMessage());
        }
    }

    @Test
    void theJsonHasOneAccuracyUnitAndReadsBackBitForBit() throws IOException {
        Plan plan = plan(Plan.Command.SWEEP, List.of(1L, 2L));
        List<Run> runs = new ArrayList<>(runs(plan.tasks()));
        runs.set(1,
                new Run(runs.get(1).experiment(), 2, runs.get(1).history().subList(0, 1), true, "epoch 2, batch 3"));
        runs.set(2, new Run(runs.get(2).experiment(), 1, List.of(), false, null, "out of memory"));
        Results results = new Results(plan, provenance("1.0"), null, runs, Map.of("runs", 6), List.of());
        results.write(tmp);
        String json = Files.readString(tmp.resolve("sweep.json"));
        JsonObject root = JsonParser.parseString(json).getAsJsonObject();
        assertTrue(root.get("accuracy_unit").getAsString().startsWith("fraction"), json);
        // every accuracy in the file is a fraction: the run's final one equals its last epoch's
        JsonObject first = root.getAsJsonArray("runs").get(0).getAsJsonObject();
        var history = first.getAsJsonArray("epochs_history");
        assertEquals(history.get(history.size() - 1).getAsJsonObject().get("test_accuracy").getAsDouble(),
                first.get("test_accuracy").getAsDouble());
        for (JsonElement s : root.getAsJsonArray("summary")) {
            JsonElement mean = s.getAsJsonObject().get("accuracy_mean");
            assertTrue(mean.isJsonNull() || mean.getAsDouble() <= 1, s.toString());
        }
        assertEquals("out of memory", root.getAsJsonArray("runs").get(2).getAsJsonObject().get("failure")
                .getAsString());
        assertEquals("b", root.getAsJsonArray("runs").get(2).getAsJsonObject().get("point").getAsString());

        Results back = Results.read(tmp);
        assertEquals(runs, back.runs());
        assertEquals(plan, back.plan());
        assertEquals(json, back.json(), "what is read back writes the same file");
        assertEquals(Files.readString(tmp.resolve("sweep.md")), back.markdown());
        assertEquals(Files.readString(tmp.resolve("sweep.csv")), back.csv());
        String md = back.markdown();
        assertTrue(md.contains("| point | epochs |"), md);
        assertTrue(md.contains("failed (an error stopped the run") && md.contains("point b, seed 1: out of memory"),
                md);
        assertTrue(md.contains("point a, seed 2: epoch 2, batch 3"), md);
    }

    @Test
    void threeShardsMergeIntoTheUnshardedFiles() throws IOException {
        Plan plan = plan(Plan.Command.SWEEP, List.of(1L, 2L));
        Path whole = Files.createDirectories(tmp.resolve("whole"));
        new Results(plan, provenance("1.0"), null, runs(plan.tasks()), Map.of("runs", 6), List.of()).write(whole);
        // in another order than 1, 2, 3: the shard numbers say where each run goes
        List<Path> dirs = List.of(shard(plan, 3, 3, "1.0"), shard(plan, 1, 3, "1.0"), shard(plan, 2, 3, "1.0"));
        Results merged = Results.merge(dirs);
        assertEquals(Results.read(whole).runs(), merged.runs());
        Path out = Files.createDirectories(tmp.resolve("merged"));
        merged.write(out);
        assertEquals(Files.readString(whole.resolve("sweep.md")), Files.readString(out.resolve("sweep.md")));
        assertEquals(Files.readString(whole.resolve("sweep.csv")), Files.readString(out.resolve("sweep.csv")));
        JsonObject m = JsonParser.parseString(Files.readString(out.resolve("sweep.json"))).getAsJsonObject();
        JsonObject w = JsonParser.parseString(Files.readString(whole.resolve("sweep.json"))).getAsJsonObject();
        assertEquals(w.get("runs"), m.get("runs"));
        assertEquals(w.get("summary"), m.get("summary"));
        assertEquals(w.get("plan"), m.get("plan"));
        assertEquals(3, m.getAsJsonArray("merged_from").size());
        assertTrue(!m.has("shard"), "the merged file is whole");
    }

    @Test
    void aMissingShardIsNamedAndADuplicateRefused() throws IOException {
        Plan plan = plan(Plan.Command.SWEEP, List.of(1L, 2L));
        Path one = shard(plan, 1, 3, "1.0");
        Path three = shard(plan, 3, 3, "1.0");
        UserException missing = assertThrows(UserException.class, () -> Results.merge(List.of(one, three)));
        assertTrue(missing.getMessage().startsWith("shard 2/3 is missing; given: 1/3 ("), missing.getMessage());
        UserException two = assertThrows(UserException.class, () -> Results.merge(List.of(three)));
        assertTrue(two.getMessage().startsWith("shards 1/3, 2/3 are missing"), two.getMessage());
        UserException twice = assertThrows(UserException.class, () -> Results.merge(List.of(one, one, three)));
        assertTrue(twice.getMessage().startsWith("shard 1/3 given twice"), twice.getMessage());
    }

    @Test
    void shardsOfDifferentGridsSeedsCodeOrCommandsAreRefused() throws IOException {
        Plan plan = plan(Plan.Command.SWEEP, List.of(1L, 2L));
        Path one = shard(plan, 1, 2, "1.0");
        assertRefused(one, shard(plan, 2, 2, "2.0"), "different code versions (scratchnet 2.0");
        assertRefused(one, shard(plan(Plan.Command.SWEEP, List.of(1L, 2L, 3L)), 2, 2, "1.0"), "different seeds");
        assertRefused(one, shard(plan(Plan.Command.REPRODUCE, List.of(1L, 2L)), 2, 2, "1.0"),
                "one is a sweep shard, the other a reproduce shard");
        assertRefused(one, shard(plan, 2, 3, "1.0"), "different shard counts");
        Plan otherGrid = new Plan(Plan.Command.SWEEP, List.of(plan.experiments().get(0), plan.experiments().get(1),
                plan.experiments().get(2).withEpochs(5)), plan.seeds(), DATA);
        Path grid = Files.createDirectories(tmp.resolve("other-grid"));
        Shard s = new Shard(2, 2);
        new Results(otherGrid, provenance("1.0"), s, runs(otherGrid.tasks(s)), Map.of(), List.of()).write(grid);
        assertRefused(one, grid, "different grids (point 3 is c: 16/8/10, 5 epochs, batch 32, alpha 0.05, momentum "
                + "ema 0.9 and c: 16/8/10, 2 epochs");
    }

    private static void assertRefused(Path first, Path other, String reason) {
        UserException e = assertThrows(UserException.class, () -> Results.merge(List.of(first, other)));
        assertTrue(e.getMessage().startsWith("cannot merge ") && e.getMessage().contains(reason), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void whatIsNotAShardIsRefusedInOneLine() throws IOException {
        Plan plan = plan(Plan.Command.SWEEP, List.of(1L));
        Path whole = Files.createDirectories(tmp.resolve("whole"));
        new Results(plan, provenance("1.0"), null, runs(plan.tasks()), Map.of(), List.of()).write(whole);
        UserException notShard = assertThrows(UserException.class, () -> Results.merge(List.of(whole)));
        assertTrue(notShard.getMessage().endsWith("written without --shard, so there is nothing to merge it with"),
                notShard.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        UserException none = assertThrows(UserException.class, () -> Results.merge(List.of(empty)));
        assertTrue(none.getMessage().contains("no results.json or sweep.json"), none.getMessage());
        Path garbage = Files.createDirectories(tmp.resolve("garbage"));
        Files.writeString(garbage.resolve("results.json"), "{\"plan\": 3");
        UserException bad = assertThrows(UserException.class, () -> Results.merge(List.of(garbage)));
        assertTrue(bad.getMessage().contains("not a scratchnet results file"), bad.getMessage());
    }
}
