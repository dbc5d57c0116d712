package org.scratchnet.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.scratchnet.core.EpochStats;
import org.scratchnet.io.AtomicFile;

/**
 * Everything a {@code reproduce} or {@code sweep} run produced, or one shard of it, or several shards merged: the
 * plan, the data's shape, the runs, provenance and compute figures; and the files made from it.
 *
 * <p>Files, in the output directory: {@code <name>.md} (the table, also printed on stdout), {@code <name>.csv} (one
 * line per run), {@code <name>.json} (everything, for programs and for {@code merge}) where name is {@code results}
 * for reproduce and {@code sweep} for sweep; and for a complete reproduce the momentum figures.
 *
 * <p>JSON: accuracies are fractions (correct / examples) everywhere, in the summary, the runs and every epoch's
 * history, and {@code accuracy_unit} says so; the Markdown and CSV files show percentages. A shard's file carries
 * {@code "shard": {"index": I, "count": N}}; {@link #read} reads any of these files back, bit for bit (with Gson:
 * docs/decisions/0018-json-reader-for-merge.md), and
 * {@link #merge} puts shards together into what one unsharded run would have written (timings aside).
 */
final class Results {

    static final String ACCURACY_UNIT = "fraction (correct / examples): published, summary, runs, epochs_history";

    /** The note under row 1 of the published table. */
    static final String NOTE = "¹ For the 200/100/25/10 row the published 98.42 % was measured while the original code "
            + "did not apply momentum, so the plain-SGD line is the like-for-like comparison; row 1 shows what "
            + "momentum gives.";

    /**
     * What the training of a run set cost, and how close to the machine's limit it ran.
     *
     * @param runs          runs trained
     * @param wallSeconds   wall time of the whole command, data loading and JIT warm-up included
     * @param gflop         flops computed, in 10⁹ ({@link Results#gflop})
     * @param jobs          runs trained side by side
     * @param threadsPerJob kernel threads of each run
     * @param peak          the FMA peak on all the machine's processors
     */
    record Compute(int runs, double wallSeconds, double gflop, int jobs, int threadsPerJob, FmaPeakCache.Peak peak) {

        double gflops() {
            return gflop / wallSeconds;
        }

        /**
         * e.g. {@code 18 runs in 128.0 s wall (2 jobs of 1 thread): 11,323 GFLOP, 88.5 GFLOPS = 38 % of the FMA peak
         * (231.4 GFLOPS on 2 threads, cached 2026-11-30)}.
         */
        String describe() {
            return String.format(Locale.ROOT, "%d %s in %.1f s wall (%d %s of %d %s): %,.0f GFLOP, %.1f GFLOPS = "
                    + "%.0f %% of the FMA peak (%s)", runs, runs == 1 ? "run" : "runs", wallSeconds, jobs,
                    jobs == 1 ? "job" : "jobs", threadsPerJob, threadsPerJob == 1 ? "thread" : "threads", gflop,
                    gflops(), peak.percent(gflops()), peak.describe());
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runs", runs);
            m.put("wall_seconds", wallSeconds);
            m.put("gflop", gflop);
            m.put("gflops", gflops());
            m.put("jobs", jobs);
            m.put("threads_per_job", threadsPerJob);
            m.put("fma_peak_gflops", peak.gflops());
            m.put("fma_peak_threads", peak.threads());
            m.put("fma_peak_source", peak.source());
            m.put("percent_of_fma_peak", peak.percent(gflops()));
            return m;
        }
    }

    private final Plan plan;
    private final Map<String, Object> provenance;
    private final Shard shard;
    private final List<Run> runs;
    private final Map<String, Object> compute;
    private final List<Object> mergedFrom;

    /**
     * @param plan       what was planned (all shards' runs)
     * @param provenance version, commit, JDK, CPU, kernels, data checksums, date, in the order to write them
     * @param shard      which shard these runs are, or null for all of the plan
     * @param runs       the runs, in the plan's order
     * @param compute    the cost of training them ({@link Compute#toMap()}), or null (merged results: each shard's
     *                   is in mergedFrom)
     * @param mergedFrom per shard merged: its shard, directory, provenance and compute; empty if not merged
     */
    Results(Plan plan, Map<String, Object> provenance, Shard shard, List<Run> runs, Map<String, Object> compute,
            List<Object> mergedFrom) {
        this.plan = plan;
        this.provenance = new LinkedHashMap<>(provenance);
        this.shard = shard;
        this.runs = List.copyOf(runs);
        this.compute = compute;
        this.mergedFrom = List.copyOf(mergedFrom);
    }

    Plan plan() {
        return plan;
    }

    List<Run> runs() {
        return runs;
    }

    /**
     * Flops computed by runs, in 10⁹: for every completed epoch, the training set times the network's training flops
     * per example plus the test set times its forward flops per example (the evaluation after each epoch).
     */
    static double gflop(List<Run> runs, Plan.Data data) {
        double flop = 0;
        for (Run r : runs) {
            var net = r.experiment().network(data.features(), data.classes());
            flop += r.history().size() * ((double) data.trainExamples() * net.trainingFlopPerExample()
                    + (double) data.testExamples() * net.forwardFlopPerExample());
        }
        return flop / 1e9;
    }

    // ---------------------------------------------------------------------------------------------- files

    /** The Markdown results, as written to {@code <name>.md} and printed. */
    String markdown() {
        ResultsTable table = table();
        StringBuilder sb = new StringBuilder();
        boolean reproduce = plan.command() == Plan.Command.REPRODUCE;
        sb.append(reproduce ? "## scratchnet on MNIST: the published table reproduced\n\n"
                : "## scratchnet sweep on " + plan.data().name() + "\n\n");
        sb.append(table.markdown(reproduce)).append('\n');
        if (reproduce) {
            sb.append(String.format(Locale.ROOT, "ours: test accuracy on the %,d test images after the last epoch, "
                    + "mean ± sample standard deviation over seeds %s; s/run: training seconds per run (evaluation "
                    + "excluded; the first runs of a JVM include JIT warm-up).\n", plan.data().testExamples(),
                    seedRange()));
        } else {
            sb.append("test accuracy after the last epoch, mean ± sample sd over seeds ").append(seedRange())
                    .append("; s/run: training seconds per run.\n");
        }
        sb.append(table.divergedNote());
        if (shard != null) {
            sb.append(String.format(Locale.ROOT, "%nshard %s: %d of the plan's %d runs; `scratchnet merge` combines "
                    + "the shards' directories into the whole table.%n", shard, runs.size(), plan.tasks().size()));
        }
        if (reproduce && plan.experiments().stream().anyMatch(e -> e.id().startsWith("1 "))) {
            sb.append('\n').append(NOTE).append('\n');
        }
        if (reproduce) {
            sb.append('\n').append("provenance: scratchnet ").append(provenance.get("version"));
            if (provenance.get("git_commit") != null) {
                sb.append(" (").append(provenance.get("git_commit")).append(')');
            }
            sb.append(", JDK ").append(provenance.get("jdk")).append(", ").append(provenance.get("cpu"))
                    .append(", kernels ").append(provenance.get("backend")).append('\n');
        }
        return sb.toString();
    }

    /** e.g. {@code 1..3}, or the list when the seeds are not 1..N. */
    private String seedRange() {
        List<Long> s = plan.seeds();
        boolean oneToN = true;
        for (int i = 0; i < s.size(); i++) {
            oneToN &= s.get(i) == i + 1;
        }
        return oneToN ? "1.." + s.size() : s.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    String csv() {
        return table().csv();
    }

    private ResultsTable table() {
        return new ResultsTable(runs, plan.data().classes(), plan.command().idLabel);
    }

    /**
     * The names of the files {@link #write} may write for a plan of {@code command} over {@code experiments}, whole
     * or one shard of it, known before any run so that every one can be checked first ({@link Outputs}).
     */
    static List<String> fileNames(Plan.Command command, List<Experiment> experiments, boolean shard) {
        String name = command.fileName;
        List<String> names = new ArrayList<>(List.of(name + ".md", name + ".csv", name + ".json"));
        if (command == Plan.Command.REPRODUCE && !shard) {
            names.addAll(MomentumFigures.planned(experiments));
        }
        return names;
    }

    /** {@link #fileNames(Plan.Command, List, boolean)} of these results. */
    List<String> fileNames() {
        return fileNames(plan.command(), plan.experiments(), shard != null);
    }

    /**
     * Writes {@code <name>.md}, {@code .csv}, {@code .json} into {@code dir} (each atomically, through
     * {@link AtomicFile}), and for a complete reproduce the momentum figures; returns the names written. Callers print
     * {@link #markdown()} first, so that a failure here cannot lose the table.
     *
     * @throws IOException naming the file that could not be written
     */
    List<String> write(Path dir) throws IOException {
        String name = plan.command().fileName;
        List<String> written = new ArrayList<>(List.of(name + ".md", name + ".csv", name + ".json"));
        AtomicFile.writeString(dir.resolve(name + ".md"), markdown());
        AtomicFile.writeString(dir.resolve(name + ".csv"), csv());
        AtomicFile.writeString(dir.resolve(name + ".json"), json());
        if (plan.command() == Plan.Command.REPRODUCE && shard == null) {
            written.addAll(MomentumFigures.write(runs, plan.data().classes(), dir));
        }
        return written;
    }

    // ---------------------------------------------------------------------------------------------- JSON out

    /** Everything as JSON (layout in the class comment). */
    String json() {
        Json j = new Json();
        j.beginObject();
        j.name("accuracy_unit").value(ACCURACY_UNIT);
        j.name("provenance").value(provenance);
        planJson(j);
        if (shard != null) {
            j.name("shard").beginObject().name("index").value(shard.index()).name("count").value(shard.count())
                    .endObject();
        }
        if (compute != null) {
            j.name("compute").value(compute);
        }
        if (!mergedFrom.isEmpty()) {
            j.name("merged_from").value(mergedFrom);
        }
        summaryJson(j);
        runsJson(j);
        j.endObject();
        return j + "\n";
    }

    /** {@code "plan"}: the command, the data, the seeds and the experiments. */
    private void planJson(Json j) {
        Plan.Data d = plan.data();
        j.name("plan").beginObject();
        j.name("command").value(plan.command().command);
        j.name("data").beginObject().name("dataset").value(d.name()).name("features").value(d.features())
                .name("classes").value(d.classes()).name("train_examples").value(d.trainExamples())
                .name("test_examples").value(d.testExamples()).endObject();
        j.name("seeds").value(new ArrayList<Object>(plan.seeds()));
        j.name("experiments").beginArray();
        for (Experiment e : plan.experiments()) {
            j.beginObject();
            experimentFields(j, e, plan.command().idLabel, d.classes());
            j.endObject();
        }
        j.endArray();
        j.endObject();
    }

    /** {@code "summary"}: per experiment its seeds, the accuracy's mean, sd, min and max, the seconds per run. */
    private void summaryJson(Json j) {
        ResultsTable table = table();
        j.name("summary").beginArray();
        for (Experiment e : table.experiments()) {
            Stats s = table.accuracyFraction(e);
            j.beginObject();
            experimentFields(j, e, plan.command().idLabel, plan.data().classes());
            j.name("seeds").value(table.runs(e).size());
            j.name("accuracy_mean").value(s.mean()).name("accuracy_sd").value(s.sd())
                    .name("accuracy_min").value(s.min()).name("accuracy_max").value(s.max())
                    .name("seconds_per_run").value(table.secondsPerRun(e));
            j.endObject();
        }
        j.endArray();
    }

    /** {@code "runs"}: every run with its outcome and its history, epoch by epoch. */
    private void runsJson(Json j) {
        j.name("runs").beginArray();
        for (Run r : runs) {
            j.beginObject();
            experimentFields(j, r.experiment(), plan.command().idLabel, plan.data().classes());
            j.name("seed").value(r.seed()).name("diverged").value(r.diverged())
                    .name("diverged_at").value(r.divergedAt()).name("failure").value(r.failure())
                    .name("test_accuracy").value(r.testAccuracy()).name("seconds").value(r.seconds());
            j.name("epochs_history").beginArray();
            for (EpochStats s : r.history()) {
                j.beginObject().name("epoch").value(s.epoch()).name("train_loss").value(s.trainLoss())
                        .name("train_accuracy").value(s.trainAccuracy()).name("test_accuracy").value(s.testAccuracy())
                        .name("learning_rate").value(s.learningRate()).name("seconds").value(s.seconds())
                        .name("images_per_second").value(s.imagesPerSecond()).endObject();
            }
            j.endArray();
            j.endObject();
        }
        j.endArray();
    }

    private static void experimentFields(Json j, Experiment e, String idLabel, int outputs) {
        j.name(idLabel).value(e.id()).name("hidden").value(intList(e.hidden())).name("layers").value(e.layers(outputs))
                .name("epochs").value(e.epochs()).name("batch").value(e.batch()).name("lr").value(e.lr())
                .name("momentum").value(e.momentum()).name("published").value(e.published());
    }

    private static List<Object> intList(int[] values) {
        List<Object> list = new ArrayList<>();
        for (int v : values) {
            list.add(v);
        }
        return list;
    }

    // ---------------------------------------------------------------------------------------------- JSON in

    /** The results file in {@code dir} ({@code results.json} or {@code sweep.json}). */
    static Path fileIn(Path dir) {
        Path results = dir.resolve(Plan.Command.REPRODUCE.fileName + ".json");
        Path sweep = dir.resolve(Plan.Command.SWEEP.fileName + ".json");
        boolean r = Files.isRegularFile(results);
        boolean s = Files.isRegularFile(sweep);
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + ": expected the --out directory of a reproduce or sweep run, found "
                    + (Files.exists(dir) ? "a file" : "nothing"));
        }
        if (r && s) {
            throw new UserException(dir + ": holds both results.json and sweep.json; give each command's shards "
                    + "their own --out directories");
        }
        if (!r && !s) {
            throw new UserException(dir + ": no results.json or sweep.json (expected the --out directory of a "
                    + "reproduce or sweep run)");
        }
        return r ? results : sweep;
    }

    /**
     * Reads the results file in {@code dir} back: the plan, provenance, shard, runs with their histories, exactly as
     * written (accuracies and losses to the last bit).
     *
     * @throws UserException naming the file if it is not a results file of this format
     */
    static Results read(Path dir) throws IOException {
        Path file = fileIn(dir);
        try {
            JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!root.has("plan")) {
                throw new UserException(
                        file + ": made by an older scratchnet (no plan in it); run it again to merge it");
            }
            JsonObject p = root.getAsJsonObject("plan");
            Plan.Command command = null;
            for (Plan.Command c : Plan.Command.values()) {
                if (c.command.equals(p.get("command").getAsString())) {
                    command = c;
                }
            }
            if (command == null) {
                throw new UserException(file + ": unknown command " + p.get("command"));
            }
            JsonObject d = p.getAsJsonObject("data");
            Plan.Data data = new Plan.Data(d.get("dataset").getAsString(), d.get("features").getAsInt(),
                    d.get("classes").getAsInt(), d.get("train_examples").getAsInt(), d.get("test_examples").getAsInt());
            List<Long> seeds = new ArrayList<>();
            p.getAsJsonArray("seeds").forEach(s -> seeds.add(s.getAsLong()));
            List<Experiment> experiments = new ArrayList<>();
            for (JsonElement el : p.getAsJsonArray("experiments")) {
                experiments.add(experiment(el.getAsJsonObject(), command.idLabel));
            }
            Plan plan = new Plan(command, experiments, seeds, data);
            Shard shard = null;
            if (root.has("shard")) {
                JsonObject s = root.getAsJsonObject("shard");
                shard = new Shard(s.get("index").getAsInt(), s.get("count").getAsInt());
            }
            List<Run> runs = new ArrayList<>();
            for (JsonElement el : root.getAsJsonArray("runs")) {
                runs.add(run(el.getAsJsonObject(), plan, file));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> provenance = (Map<String, Object>) toJava(root.get("provenance"));
            List<Object> mergedFrom = new ArrayList<>();
            if (root.has("merged_from")) {
                mergedFrom.addAll((List<?>) toJava(root.get("merged_from")));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> compute = root.has("compute") ? (Map<String, Object>) toJava(root.get("compute"))
                    : null;
            return new Results(plan, provenance, shard, runs, compute, mergedFrom);
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                | ClassCastException | IllegalArgumentException e) {
            throw new UserException(file + ": not a scratchnet results file (" + e.getMessage() + ")", e);
        }
    }

    private static Experiment experiment(JsonObject o, String idLabel) {
        JsonArray h = o.getAsJsonArray("hidden");
        int[] hidden = new int[h.size()];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = h.get(i).getAsInt();
        }
        return new Experiment(o.get(idLabel).getAsString(), hidden, o.get("epochs").getAsInt(),
                o.get("batch").getAsInt(), number(o, "lr"), number(o, "momentum"), number(o, "published"));
    }

    private static Run run(JsonObject o, Plan plan, Path file) {
        String id = o.get(plan.command().idLabel).getAsString();
        Experiment e = plan.experiment(id);
        if (e == null) {
            throw new UserException(file + ": a run of " + plan.command().idLabel + " " + id
                    + ", which is not in its plan");
        }
        List<EpochStats> history = new ArrayList<>();
        for (JsonElement el : o.getAsJsonArray("epochs_history")) {
            JsonObject s = el.getAsJsonObject();
            history.add(new EpochStats(s.get("epoch").getAsInt(), number(s, "train_loss"),
                    number(s, "train_accuracy"), number(s, "test_accuracy"), Double.NaN, number(s, "learning_rate"),
                    number(s, "seconds"), number(s, "images_per_second")));
        }
        return new Run(e, o.get("seed").getAsLong(), history, o.get("diverged").getAsBoolean(),
                string(o, "diverged_at"), string(o, "failure"));
    }

    /** A number written by {@link Json} (null stands for NaN). */
    private static double number(JsonObject o, String name) {
        JsonElement v = o.get(name);
        return v == null || v.isJsonNull() ? Double.NaN : v.getAsDouble();
    }

    private static String string(JsonObject o, String name) {
        JsonElement v = o.get(name);
        return v == null || v.isJsonNull() ? null : v.getAsString();
    }

    /** A JSON tree as maps, lists, strings, numbers and booleans, for writing it out again with {@link Json}. */
    private static Object toJava(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            e.getAsJsonObject().entrySet().forEach(x -> m.put(x.getKey(), toJava(x.getValue())));
            return m;
        }
        if (e.isJsonArray()) {
            List<Object> l = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> l.add(toJava(x)));
            return l;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            double v = p.getAsDouble();
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
        }
        return p.getAsString();
    }

    // ---------------------------------------------------------------------------------------------- merge

    /**
     * Puts the shards read from {@code dirs} back together: the same plan, runs in the plan's order, so the files
     * written are those of one unsharded run (timings and provenance aside). Refuses, in one line, shards of different
     * commands, grids, seeds, data or code versions, a shard given twice, and names any missing shard.
     */
    static Results merge(List<Path> dirs) throws IOException {
        if (dirs.isEmpty()) {
            throw new UserException("merge: no shard directories given");
        }
        List<Results> shards = readShards(dirs);
        Results first = shards.get(0);
        ByIndex byIndex = byIndex(shards, dirs);
        checkNoneMissing(byIndex, first.shard.count());
        List<Object> mergedFrom = mergedFrom(first.plan, byIndex);
        List<Run> runs = runsInPlanOrder(first.plan, first.shard.count(), byIndex);
        return new Results(first.plan, mergedProvenance(shards), null, runs, null, mergedFrom);
    }

    /** The results of each directory, every one written with {@code --shard}. */
    private static List<Results> readShards(List<Path> dirs) throws IOException {
        List<Results> shards = new ArrayList<>();
        for (Path dir : dirs) {
            Results r = read(dir);
            if (r.shard == null) {
                throw new UserException(fileIn(dir) + ": written without --shard, so there is nothing to merge it "
                        + "with");
            }
            shards.add(r);
        }
        return shards;
    }

    /** The shards by their 1-based index, and the directory each came from. */
    private record ByIndex(Results[] results, Path[] dirs) {
    }

    /** Puts each shard at its index, refusing one that does not match the first and a shard given twice. */
    private static ByIndex byIndex(List<Results> shards, List<Path> dirs) {
        Results first = shards.get(0);
        Path firstFile = fileIn(dirs.get(0));
        ByIndex byIndex = new ByIndex(new Results[first.shard.count() + 1], new Path[first.shard.count() + 1]);
        for (int i = 0; i < shards.size(); i++) {
            Results r = shards.get(i);
            Path file = fileIn(dirs.get(i));
            String mismatch = first.mismatch(r);
            if (mismatch != null) {
                throw new UserException("cannot merge " + file + " (shard " + r.shard + ") with " + firstFile
                        + " (shard " + first.shard + "): " + mismatch);
            }
            if (byIndex.results()[r.shard.index()] != null) {
                throw new UserException("shard " + r.shard + " given twice: " + byIndex.dirs()[r.shard.index()]
                        + " and " + dirs.get(i));
            }
            byIndex.results()[r.shard.index()] = r;
            byIndex.dirs()[r.shard.index()] = dirs.get(i);
        }
        return byIndex;
    }

    /** Refuses a set of shards with any missing, naming the missing and the given ones. */
    private static void checkNoneMissing(ByIndex byIndex, int count) {
        List<String> missing = new ArrayList<>();
        List<String> given = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            if (byIndex.results()[i] == null) {
                missing.add(i + "/" + count);
            } else {
                given.add(i + "/" + count + " (" + byIndex.dirs()[i] + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new UserException((missing.size() == 1 ? "shard " + missing.get(0) + " is" : "shards "
                    + String.join(", ", missing) + " are") + " missing; given: " + String.join(", ", given));
        }
    }

    /**
     * Each shard's index, directory, provenance and compute, for the merged files, after checking that it holds as
     * many runs as the plan gives it.
     */
    private static List<Object> mergedFrom(Plan plan, ByIndex byIndex) {
        List<Object> mergedFrom = new ArrayList<>();
        for (int i = 1; i < byIndex.results().length; i++) {
            Results r = byIndex.results()[i];
            List<Plan.Task> own = plan.tasks(r.shard);
            if (own.size() != r.runs.size()) {
                throw new UserException(fileIn(byIndex.dirs()[i]) + ": shard " + r.shard + " should hold "
                        + own.size() + " runs, it holds " + r.runs.size());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shard", r.shard.toString());
            m.put("directory", byIndex.dirs()[i].toString());
            m.put("provenance", r.provenance);
            m.put("compute", r.compute);
            mergedFrom.add(m);
        }
        return mergedFrom;
    }

    /** The runs in the plan's order (run r is in shard r mod count + 1), each checked against its task. */
    private static List<Run> runsInPlanOrder(Plan plan, int count, ByIndex byIndex) {
        List<Run> runs = new ArrayList<>();
        for (Plan.Task t : plan.tasks()) {
            Results r = byIndex.results()[t.number() % count + 1];
            int k = t.number() / count;
            Run run = r.runs.get(k);
            if (!run.experiment().equals(t.experiment()) || run.seed() != t.seed()) {
                throw new UserException(fileIn(byIndex.dirs()[r.shard.index()]) + ": run " + (k + 1) + " should be "
                        + t.experiment().id() + " seed " + t.seed() + ", it is " + run.experiment().id() + " seed "
                        + run.seed());
            }
            runs.add(run);
        }
        return runs;
    }

    /** The first shard's provenance, with the JDKs, CPUs, backends and dates of all shards where they differ. */
    private static Map<String, Object> mergedProvenance(List<Results> shards) {
        Map<String, Object> provenance = new LinkedHashMap<>(shards.get(0).provenance);
        for (String key : List.of("jdk", "cpu", "backend", "date")) {
            List<Object> values = shards.stream().map(r -> r.provenance.get(key)).distinct().toList();
            provenance.put(key, values.size() == 1 ? values.get(0)
                    : values.stream().map(String::valueOf).collect(Collectors.joining(" / ")));
        }
        return provenance;
    }

    /** Why {@code other} cannot be merged with this shard, in a few words; null if it can. */
    private String mismatch(Results other) {
        if (plan.command() != other.plan.command()) {
            return "one is a " + plan.command().command + " shard, the other a " + other.plan.command().command
                    + " shard";
        }
        if (shard.count() != other.shard.count()) {
            return "different shard counts (" + other.shard.count() + " and " + shard.count() + ")";
        }
        if (!Objects.equals(code(provenance), code(other.provenance))) {
            return "different code versions (" + code(other.provenance) + " and " + code(provenance) + ")";
        }
        if (!plan.experiments().equals(other.plan.experiments())) {
            return "different grids (" + gridDifference(other.plan.experiments(), plan.experiments()) + ")";
        }
        if (!plan.seeds().equals(other.plan.seeds())) {
            return "different seeds (" + other.plan.seeds() + " and " + plan.seeds() + ")";
        }
        if (!plan.data().equals(other.plan.data())
                || !Objects.equals(provenance.get("data_sha256"), other.provenance.get("data_sha256"))) {
            return "different data (" + other.plan.data().describe() + " and " + plan.data().describe()
                    + (plan.data().equals(other.plan.data()) ? ", files with other SHA-256" : "") + ")";
        }
        return null;
    }

    /** e.g. {@code scratchnet 0.1.0-SNAPSHOT, commit 3e82460aa1b2}. */
    private static String code(Map<String, Object> provenance) {
        Object commit = provenance.get("git_commit");
        return "scratchnet " + provenance.get("version") + (commit == null ? ", commit unknown" : ", commit " + commit);
    }

    private String gridDifference(List<Experiment> a, List<Experiment> b) {
        if (a.size() != b.size()) {
            return a.size() + " and " + b.size() + " " + plan.command().idLabel + "s";
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                int outputs = plan.data().classes();
                return plan.command().idLabel + " " + (i + 1) + " is " + a.get(i).describe(outputs) + " and "
                        + b.get(i).describe(outputs);
            }
        }
        return "?";
    }
}
