package org.scratchnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchnet.core.Trainer;
import org.scratchnet.kernels.Kernels;
import org.scratchnet.mnist.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --jobs N} and {@code --shard I/N} of {@code reproduce} and {@code sweep}, and the steps both commands take:
 * check every output before any work ({@link #checkOutputs}), then once the data is loaded and their plan made, train
 * this shard's runs {@code jobs} at a time, print the table, write the results files (after the table, so that a
 * failed write cannot lose it), and end with the wall time, the flops computed and their share of the machine's FMA
 * peak.
 *
 * <p>The default for {@code --jobs} ({@link #defaultJobs}; docs/decisions/0017-concurrent-runs.md): one run
 * per processor side by side, each on one kernel thread, because a training step gains less than N times from N
 * threads while N independent runs use N cores fully; fewer where the plan has fewer runs or the heap would not hold
 * that many at once; one job with all threads when {@code --threads} asks for several threads per run.
 */
final class RunOptions {

    private static final Logger LOG = LoggerFactory.getLogger(RunOptions.class);
    /**
     * Share of the heap that the runs' working memory may take by default, the data sets and the JVM needing the rest
     * (docs/decisions/0017-concurrent-runs.md).
     */
    static final double HEAP_SHARE = 0.6;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Runs trained side by side, each on one thread (default: one per processor, here "
                    + "${sys:scratchnet.cpus}, when there are that many runs, the heap holds them and --threads is not "
                    + "given; results are the same for any N).")
    Integer jobs;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Run only the I-th of N shares of the runs (run r, counted from 0 in table order, goes to "
                    + "shard r mod N + 1) and write that share's results to --out; 'scratchnet merge' combines the "
                    + "shards' directories (docs/cluster.md: Slurm and Kubernetes).")
    String shardText;

    /** The --shard value, null when not given. */
    Shard shard() {
        if (shardText == null) {
            return null;
        }
        try {
            return Shard.parse(shardText);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--shard': " + e.getMessage());
        }
    }

    /**
     * Checks every file the command will write before any work ({@link Outputs}): makes {@code out}, then probes the
     * results files and, for a whole reproduce, the momentum figures its rows draw. Returns the outputs, for checking
     * them against the data files once those are known.
     *
     * @throws UserException naming --out and the path of the first output that cannot be written
     */
    Outputs checkOutputs(Plan.Command command, List<Experiment> experiments, Path out) {
        Outputs.createDirectory(out, "--out");
        Outputs outputs = new Outputs();
        for (String name : Results.fileNames(command, experiments, shard() != null)) {
            outputs.file("--out", out.resolve(name));
        }
        outputs.check();
        return outputs;
    }

    /** Checks --jobs against --threads before any work. */
    void validate(Integer threads) {
        if (jobs != null && jobs < 1) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--jobs': expected a number >= 1, found " + jobs);
        }
        if (jobs != null && jobs > 1 && threads != null && threads > 1) {
            throw new ParameterException(spec.commandLine(), "--jobs " + jobs + " and --threads " + threads
                    + " cannot be combined: with several jobs each run trains on one thread (give --jobs 1 for "
                    + threads + " threads per run)");
        }
        shard();
    }

    /**
     * The default number of jobs: 1 if {@code threads} asks for more than one thread per run; else
     * {@code min(runs, processors)}, lowered until that many of the plan's largest runs fit in {@link #HEAP_SHARE} of
     * the heap by {@link #estimatedBytes}; at least 1.
     *
     * @param runBytes estimated working memory of each run, largest first
     */
    static int defaultJobs(int runs, int processors, Integer threads, long heapBytes, List<Long> runBytes) {
        if (threads != null && threads > 1) {
            return 1;
        }
        int jobs = Math.max(1, Math.min(runs, processors));
        while (jobs > 1 && sum(runBytes, jobs) > HEAP_SHARE * heapBytes) {
            jobs--;
        }
        return jobs;
    }

    private static long sum(List<Long> largestFirst, int n) {
        long s = 0;
        for (int i = 0; i < n && i < largestFirst.size(); i++) {
            s += largestFirst.get(i);
        }
        return s;
    }

    /**
     * A rough upper estimate of one run's working memory, for the default of --jobs only: per example of a batch (of
     * at most {@link Trainer#CHUNK_ROWS}, the rows held at once), its input twice (the batch and a packed copy) and
     * three floats per neuron of the other layers (activations, gradients and slack); per parameter five floats
     * (weights, gradients, momentum, the best and the checkpointed copy). 784-100-50-10 at batch 128: about 3 MB; at
     * the full batch of 60,000, held 256 rows at a time: about 4 MB.
     */
    static long estimatedBytes(Experiment e, Plan.Data data) {
        long rows = Math.min(Math.min(e.batch(), data.trainExamples()), Trainer.CHUNK_ROWS);
        long neurons = 0;
        for (int h : e.hidden()) {
            neurons += h;
        }
        neurons += data.classes();
        long params = e.network(data.features(), data.classes()).parameterCount();
        return 4 * (rows * (2L * data.features() + 3 * neurons) + 5 * params);
    }

    /**
     * Trains the plan's runs (this shard's, with --shard) and writes and prints the results; returns the exit code:
     * 0, or 1 when a run failed (its error is in the table's notes; the other runs' results are written all the same).
     *
     * @param startNanos when the command started, for the wall time
     */
    int execute(Plan plan, DataOptions.Loaded loaded, Path out, Integer threads, PrintWriter stdout, PrintWriter err,
                long startNanos)
            throws IOException {
        Shard shard = shard();
        List<Plan.Task> tasks = plan.tasks(shard);
        int processors = Runtime.getRuntime().availableProcessors();
        List<Long> bytes = tasks.stream().map(t -> estimatedBytes(t.experiment(), plan.data()))
                .sorted((a, b) -> Long.compare(b, a)).toList();
        long heap = Runtime.getRuntime().maxMemory();
        int n = jobs != null ? jobs : defaultJobs(tasks.size(), processors, threads, heap, bytes);
        if (jobs == null && n < Math.min(tasks.size(), processors) && (threads == null || threads == 1)) {
            LOG.info("{} jobs instead of {}: the heap ({} MB) holds about that many of these runs at once "
                    + "(JAVA_OPTS=-Xmx... for more, or --jobs N)", n, Math.min(tasks.size(), processors),
                    heap >> 20);
        }
        n = Math.max(1, Math.min(n, Math.max(1, tasks.size())));
        int threadsPerJob = n > 1 ? 1 : Kernels.threads();
        LOG.info("{} runs{}: {} {} of {} {}, kernels {}", tasks.size(),
                shard == null ? "" : " (shard " + shard + " of the plan's " + plan.tasks().size() + ")", n,
                n == 1 ? "job" : "jobs side by side", threadsPerJob, threadsPerJob == 1 ? "thread" : "threads",
                Kernels.backend().name().toLowerCase(java.util.Locale.ROOT));

        DatasetBatchSource train = new DatasetBatchSource(loaded.train());
        DatasetBatchSource test = new DatasetBatchSource(loaded.test());
        List<Run> runs;
        try (RunsProgress progress = new RunsProgress(tasks.size(), n, plan.command().idLabel)) {
            runs = ExperimentRunner.runAll(tasks, n, train, test, progress);
        }
        double wall = (System.nanoTime() - startNanos) / 1e9;
        FmaPeakCache.Peak peak = FmaPeakCache.peak(processors);
        Results.Compute compute = new Results.Compute(runs.size(), wall, Results.gflop(runs, plan.data()), n,
                threadsPerJob, peak);
        Map<String, Object> provenance = provenance(loaded);
        provenance.put("backend", Provenance.backend(n, threadsPerJob));
        Results results = new Results(plan, provenance, shard, runs, compute.toMap(), List.of());
        stdout.print(results.markdown()); // the table first: a failure writing the files must not lose it
        stdout.flush();
        List<String> written = write(results, out);
        LOG.info("wrote {} in {}", String.join(", ", written), out);
        err.println(plan.command().command + (shard == null ? "" : " (shard " + shard + ")") + ": "
                + compute.describe());
        err.flush();
        long failed = runs.stream().filter(r -> r.failure() != null).count();
        if (failed > 0) {
            throw new UserException(failed + " of " + runs.size() + " runs failed (named under the table); the "
                    + "others' results are written");
        }
        return 0;
    }

    /** Writes the results files into {@code out}; a failure is one line naming --out and the file. */
    static List<String> write(Results results, Path out) {
        try {
            return results.write(out);
        } catch (IOException e) {
            throw Outputs.failure("--out", out, e);
        }
    }

    /**
     * Version, commit, JDK, CPU, kernels, date and the data files' SHA-256 (of their uncompressed content, the same
     * numbers as the fetcher's and a checkpoint's: {@link Sha256}).
     */
    private static Map<String, Object> provenance(DataOptions.Loaded loaded) throws IOException {
        Map<String, Object> p = Provenance.common();
        p.put("date", java.time.Instant.now().toString());
        Map<String, Object> sha = new LinkedHashMap<>();
        for (Path f : loaded.files().all()) {
            sha.put(f.getFileName().toString(), Sha256.ofContent(f));
        }
        p.put("data_sha256", sha);
        return p;
    }
}
