package org.scratchnet.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.scratchnet.core.BatchSource;
import org.scratchnet.core.DivergenceException;
import org.scratchnet.core.Network;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.Trainer;
import org.scratchnet.core.TrainingListener;
import org.scratchnet.core.TrainingResult;
import org.scratchnet.kernels.Kernels;

/**
 * Trains a plan's runs in this JVM, {@code jobs} at a time, on the same training and test sources, and keeps every
 * epoch's statistics.
 *
 * <p>One job: the runs one after the other on the calling thread, with the kernels' thread count as it is. Several
 * jobs: that many runs side by side, each on a thread of its own, with the kernels set to one thread for the duration
 * (and set back afterwards), so a trainer runs wholly on its job's thread. A run is fully determined by its seed and
 * the kernels give the same bits on any number of threads, so the results are identical to one job's to the last digit;
 * only the timings differ. The runs start largest first (epochs times training flops per example), so that a small one,
 * not a large one, is left running alone at the end; the results come back in the plan's order whatever the order of
 * finishing. A run that diverges or fails is recorded as such and the others go on.
 *
 * <p>The training and test sources are shared by all jobs, which only read them ({@link DatasetBatchSource} keeps no
 * state). A source whose rows depend on the epoch it was last told of ({@code BatchSource.beginEpoch}, as the
 * augmenting one) would need one instance per job.
 */
final class ExperimentRunner {

    private ExperimentRunner() {
    }

    /**
     * Trains {@code tasks}, {@code jobs} at a time (1 = one after the other on this thread), and returns their runs in
     * the order of {@code tasks}.
     */
    static List<Run> runAll(List<Plan.Task> tasks, int jobs, BatchSource train, BatchSource test,
                            RunsProgress progress) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be >= 1, got " + jobs);
        }
        if (jobs == 1 || tasks.size() <= 1) {
            List<Run> runs = new ArrayList<>();
            for (Plan.Task t : tasks) {
                runs.add(runAndReport(t, 0, train, test, progress));
            }
            return runs;
        }
        List<Plan.Task> largestFirst = new ArrayList<>(tasks);
        largestFirst.sort(Comparator.comparingDouble((Plan.Task t) -> -work(t, train)));
        AtomicInteger threadsMade = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "scratchnet-job-" + threadsMade.incrementAndGet());
            t.setDaemon(true); // Ctrl-C ends the JVM without waiting for runs in flight
            return t;
        });
        // each pool thread is one job: its number (0-based) picks its line in the progress display
        AtomicInteger jobsSeen = new AtomicInteger();
        ThreadLocal<Integer> job = ThreadLocal.withInitial(jobsSeen::getAndIncrement);
        int saved = Kernels.threads();
        Kernels.setThreads(1);
        try {
            List<Future<Run>> futures = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                futures.add(null);
            }
            for (Plan.Task t : largestFirst) {
                futures.set(tasks.indexOf(t), pool.submit(() -> runAndReport(t, job.get(), train, test, progress)));
            }
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                runs.add(await(futures.get(i), tasks.get(i)));
            }
            return runs;
        } finally {
            pool.shutdownNow();
            Kernels.setThreads(saved);
        }
    }

    private static Run await(Future<Run> future, Plan.Task task) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while waiting for the runs");
        } catch (ExecutionException e) {
            // an Error that run() does not catch: record it for this run and keep the others
            return new Run(task.experiment(), task.seed(), List.of(), false, null, Main.describe(e.getCause()));
        }
    }

    /** The size of a run, for starting the large ones first: epochs times training flops per example. */
    private static double work(Plan.Task t, BatchSource train) {
        Experiment e = t.experiment();
        return (double) e.epochs() * e.network(train.features(), train.classes()).trainingFlopPerExample();
    }

    private static Run runAndReport(Plan.Task t, int job, BatchSource train, BatchSource test,
                                    RunsProgress progress) {
        TrainingListener listener = progress.listener(t, job);
        Run run;
        try {
            run = run(t.experiment(), t.seed(), train, test, listener);
        } finally {
            RunsProgress.close(listener);
        }
        progress.finished(run);
        return run;
    }

    /**
     * Trains one experiment with one seed. Divergence and failures (an exception, running out of memory) end this run
     * only: they are recorded in the returned run.
     */
    static Run run(Experiment e, long seed, BatchSource train, BatchSource test, TrainingListener listener) {
        Trainer trainer = null;
        try {
            NetworkConfig net = e.network(train.features(), train.classes());
            trainer = new Trainer(Network.create(net, seed), e.training(seed));
            TrainingResult result = trainer.train(train, test, listener);
            return new Run(e, seed, result.history());
        } catch (DivergenceException d) {
            return new Run(e, seed, d.history(), true, "epoch " + d.epoch() + ", batch " + d.batch());
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError failure) {
            return new Run(e, seed, trainer == null ? List.of() : trainer.history(), false, null,
                    Main.describe(failure));
        }
    }
}
