package org.scratchnet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scratchnet.core.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a user sees while {@code reproduce} or {@code sweep} trains its runs, on stderr.
 *
 * <p>Where stderr is a terminal ({@link TrainingProgress#progressBarWanted()}): with one job, one bar per run (its
 * batches over all epochs, the epoch and the running loss); with several jobs, a bar for all runs and one line per
 * job showing the run it is training, redrawn in place (the terminal must understand the ANSI cursor-up and -down
 * sequences, as every current one does). Log lines would break that picture, so the lines about finished runs that
 * diverged or failed are logged when the bars are gone.
 *
 * <p>Elsewhere (a file, a pipe, CI): one log line per finished run, in the order they finish.
 *
 * <p>Thread-safe: every job calls it from its own thread.
 */
final class RunsProgress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunsProgress.class);
    private static final int WIDTH = 110;

    private final int runs;
    private final int jobs;
    private final String idLabel;
    private final boolean bars;
    private final AtomicInteger done = new AtomicInteger();
    private final ProgressBar overall;
    private final ProgressBar[] jobBars;
    private final List<String> deferred = new ArrayList<>();

    /**
     * @param runs    how many runs there are
     * @param jobs    how many run at once
     * @param idLabel the table's word for an experiment ({@code row} or {@code point})
     */
    RunsProgress(int runs, int jobs, String idLabel) {
        this.runs = runs;
        this.jobs = jobs;
        this.idLabel = idLabel;
        this.bars = TrainingProgress.progressBarWanted();
        if (bars && jobs > 1) {
            overall = bar("runs", runs, new InteractiveConsoleProgressBarConsumer(System.err, WIDTH));
            jobBars = new ProgressBar[jobs];
            for (int j = 0; j < jobs; j++) {
                jobBars[j] = bar("job " + (j + 1), 1, new InteractiveConsoleProgressBarConsumer(System.err, WIDTH));
                jobBars[j].setExtraMessage("waiting");
            }
        } else {
            overall = null;
            jobBars = null;
        }
    }

    private static ProgressBar bar(String name, long max, ProgressBarConsumer consumer) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(name).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setConsumer(consumer).hideEta();
        if (consumer.getClass() == ConsoleProgressBarConsumer.class) {
            b.clearDisplayOnFinish();
        }
        return b.build();
    }

    /** The listener for one run, trained by job {@code job} (0-based). */
    TrainingListener listener(Plan.Task run, int job) {
        return new Listener(run, job);
    }

    /** e.g. {@code row 1 (plain SGD) seed 3}. */
    private String describe(Plan.Task task) {
        return idLabel + " " + task.experiment().id() + " seed " + task.seed();
    }

    /** A run finished: counted, and logged (now, or when the bars are gone). */
    void finished(Run run) {
        int n = done.incrementAndGet();
        String prefix = String.format(Locale.ROOT, "[%d/%d] %s: ", n, runs, run.label(idLabel));
        String line;
        if (run.failure() != null) {
            line = prefix + "failed: " + run.failure();
        } else if (run.diverged()) {
            line = prefix + "diverged in " + run.divergedAt()
                    + " (the loss became NaN or infinite, or sat at the clamp)";
        } else {
            line = String.format(Locale.ROOT, "%stest accuracy %.2f %%, %.1f s", prefix, run.testAccuracyPercent(),
                    run.seconds());
        }
        if (overall != null) {
            overall.stepTo(n);
            if (!run.completed()) {
                synchronized (deferred) {
                    deferred.add(line);
                }
            }
        } else if (run.completed()) {
            LOG.info(line);
        } else {
            LOG.warn(line);
        }
    }

    @Override
    public void close() {
        if (overall != null) {
            for (ProgressBar b : jobBars) {
                b.close();
            }
            overall.close();
            synchronized (deferred) {
                deferred.forEach(LOG::warn);
                deferred.clear();
            }
        }
    }

    /** One run's listener: updates its job's bar (several jobs), or a bar of its own (one job). */
    private final class Listener implements TrainingListener {
        private final Plan.Task run;
        private final int job;
        private ProgressBar bar;
        private int firstEpoch;
        private int epochs;
        private double lossSum;
        private int lossCount;

        Listener(Plan.Task run, int job) {
            this.run = run;
            this.job = job;
        }

        @Override
        public void onStart(int firstEpoch, int epochs, int batches, int trainExamples) {
            this.firstEpoch = firstEpoch;
            this.epochs = epochs;
            long steps = (long) (epochs - firstEpoch + 1) * batches;
            if (jobBars != null) {
                bar = jobBars[job];
                bar.maxHint(steps);
                bar.stepTo(0);
            } else if (bars) {
                bar = bar(String.format(Locale.ROOT, "[%d/%d] %s", done.get() + 1, runs, describe(run)),
                        steps, new ConsoleProgressBarConsumer(System.err, WIDTH));
            }
        }

        @Override
        public void onBatch(int epoch, int batch, int batches, double loss) {
            if (batch == 1) {
                lossSum = 0;
                lossCount = 0;
            }
            lossSum += loss;
            lossCount++;
            if (bar != null && (batch % 16 == 0 || batch == batches)) {
                bar.stepTo((long) (epoch - firstEpoch) * batches + batch);
                String where = String.format(Locale.ROOT, "epoch %d/%d  loss %.4f", epoch, epochs,
                        lossSum / lossCount);
                bar.setExtraMessage(jobBars != null ? describe(run) + "  " + where : where);
            }
        }

        /** Closes a run's own bar (one job); a job's bar stays for its next run. */
        void close() {
            if (bar != null && jobBars == null) {
                bar.close();
            }
            bar = null;
        }
    }

    /** Ends the display of one run's progress; call when its training returned or failed. */
    static void close(TrainingListener listener) {
        if (listener instanceof Listener l) {
            l.close();
        }
    }
}
