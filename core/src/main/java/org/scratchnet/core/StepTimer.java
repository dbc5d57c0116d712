package org.scratchnet.core;

import java.util.Locale;
import org.scratchnet.kernels.Parallel;

/**
 * Where a training step's time goes, job by job, for people tuning the step: switched on with
 * {@code -Dscratchnet.step.timing=true}, it times each of {@link TrainingStep}'s four jobs on the calling thread (wall)
 * and each part on whichever thread runs it (busy, and how late after the job's start it began), and the trainer logs
 * the table after the run, counting the epochs after the first (JIT warm-up). Off, it costs one check per job; on,
 * two clock reads per part and nothing allocated. A job's wall time minus the longest busy time is the hand-off and
 * the wait for the slowest part.
 */
final class StepTimer {

    /** Whether steps are timed: the system property {@code scratchnet.step.timing}, read when the class loads. */
    static final boolean ENABLED = Boolean.getBoolean("scratchnet.step.timing");

    static final String[] JOBS = {"gather", "first layer", "rows", "weights"};

    private final int slots;
    /** Per job: wall nanoseconds summed over the counted steps. */
    private final long[] wall = new long[JOBS.length];
    /** Per job and part (parts beyond the slots fold into the last): busy nanoseconds. */
    private final long[][] busy;
    /** Per job and part: nanoseconds from the job's start on the calling thread to the part's start. */
    private final long[][] late;
    /** When the job in flight started on the calling thread (read by the parts after Parallel published the job). */
    private long jobStart;
    private final Timed[] timed = new Timed[JOBS.length];
    private long steps;
    private boolean counting;

    /** A timer for steps run on up to {@code threads} parts per job. */
    StepTimer(int threads) {
        this.slots = Math.max(1, threads);
        this.busy = new long[JOBS.length][slots];
        this.late = new long[JOBS.length][slots];
        for (int j = 0; j < JOBS.length; j++) {
            timed[j] = new Timed(j);
        }
    }

    /** Counts the steps from now on (the trainer calls it after the first epoch). */
    void startCounting() {
        counting = true;
    }

    /** Counts one step, when counting (the step calls it once, however many chunks its batch takes). */
    void countStep() {
        if (counting) {
            steps++;
        }
    }

    /** Runs job {@code job} (an index of {@link #JOBS}) as {@link Parallel#run} does, timed when counting. */
    void run(int job, int parts, Parallel.Part body) {
        if (!counting) {
            Parallel.run(parts, body);
            return;
        }
        Timed t = timed[job];
        t.body = body;
        jobStart = System.nanoTime();
        try {
            Parallel.run(parts, t);
        } finally {
            wall[job] += System.nanoTime() - jobStart;
            t.body = null;
        }
    }

    /** Steps counted so far. */
    long steps() {
        return steps;
    }

    /** Mean wall microseconds per counted step of job {@code job}. */
    double wallMicros(int job) {
        return steps == 0 ? 0 : wall[job] / 1e3 / steps;
    }

    /** Mean busy microseconds per counted step of part {@code part} of job {@code job}. */
    double busyMicros(int job, int part) {
        return steps == 0 ? 0 : busy[job][part] / 1e3 / steps;
    }

    /** Mean microseconds per counted step from the start of job {@code job} to the start of its part {@code part}. */
    double lateMicros(int job, int part) {
        return steps == 0 ? 0 : late[job][part] / 1e3 / steps;
    }

    /**
     * The table: per job, wall µs per step, each part's busy µs per step and how late it started; then the whole step
     * and, per part, the time it was not busy (waiting at the barriers, or handing off).
     */
    String report() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "step timing, %d steps after the first epoch, microseconds per step (wall on the calling thread; busy: "
                        + "each part of the job)%n",
                steps));
        s.append(String.format(Locale.ROOT, "  %-12s %8s", "job", "wall"));
        for (int p = 0; p < slots; p++) {
            s.append(String.format(Locale.ROOT, " %8s", "busy " + p));
        }
        for (int p = 1; p < slots; p++) {
            s.append(String.format(Locale.ROOT, " %8s", "late " + p));
        }
        s.append(System.lineSeparator());
        double total = 0;
        double[] partTotal = new double[slots];
        for (int j = 0; j < JOBS.length; j++) {
            total += wallMicros(j);
            s.append(String.format(Locale.ROOT, "  %-12s %8.1f", JOBS[j], wallMicros(j)));
            for (int p = 0; p < slots; p++) {
                partTotal[p] += busyMicros(j, p);
                s.append(String.format(Locale.ROOT, " %8.1f", busyMicros(j, p)));
            }
            for (int p = 1; p < slots; p++) {
                s.append(String.format(Locale.ROOT, " %8.1f", lateMicros(j, p)));
            }
            s.append(System.lineSeparator());
        }
        s.append(String.format(Locale.ROOT, "  %-12s %8.1f", "step", total));
        for (int p = 0; p < slots; p++) {
            s.append(String.format(Locale.ROOT, " %8.1f", partTotal[p]));
        }
        s.append(System.lineSeparator()).append(String.format(Locale.ROOT, "  %-12s %8s", "not busy", ""));
        for (int p = 0; p < slots; p++) {
            s.append(String.format(Locale.ROOT, " %8.1f", total - partTotal[p]));
        }
        return s.toString();
    }

    /** A job's body with each part timed (one per job, reused). */
    private final class Timed implements Parallel.Part {
        private final int job;
        Parallel.Part body;

        Timed(int job) {
            this.job = job;
        }

        @Override
        public void run(int part) {
            // each part adds to its own slot (read by the caller after the job); parts beyond the slots, only if the
            // thread count was raised after this timer was made, share the last one
            int slot = Math.min(part, slots - 1);
            long t0 = System.nanoTime();
            late[job][slot] += t0 - jobStart;
            try {
                body.run(part);
            } finally {
                busy[job][slot] += System.nanoTime() - t0;
            }
        }
    }
}
