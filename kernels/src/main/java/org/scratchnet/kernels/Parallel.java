package org.scratchnet.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernels' thread pool: {@link Kernels#threads()} − 1 persistent daemon workers plus the calling thread. gemm and
 * the optimiser updates over large arrays split their work on it, and so can callers: a training step runs its row
 * slices and its weight-gradient work items as parts of a job ({@link #run}), and every kernel called inside a part
 * stays on that part's thread. The hand-off allocates nothing and never waits for a worker the operating system has
 * not scheduled (docs/decisions/0002-kernels-thread-pool.md).
 *
 * <p>How a job runs. {@link #run(int, Part)} publishes a job (the body, and one word holding a generation number, the
 * part count and the next unclaimed part) and wakes min(parts, threads) − 1 workers by bumping each worker's volatile
 * sequence number, runs part 0 on the calling thread, and then claims and runs any part no worker has claimed yet; it
 * returns when every part has finished. Parts are claimed by a compare-and-set of that word, so each runs exactly once,
 * on whichever thread got there first, and a worker that wakes late can never claim a part of a later job (the
 * generation differs). Nothing is allocated per job: there is no job object, and callers pass a reusable per-thread
 * body rather than a capturing lambda. A worker that the operating system has not scheduled yet (a loaded machine)
 * costs the caller nothing but doing that part itself. An idle worker spins on its sequence number with
 * {@link Thread#onSpinWait()} for {@link #SPIN_NANOS} and then parks; the caller unparks only workers that announced
 * they were parking (a volatile flag written before the worker's last look at its sequence, so a wake-up is never
 * lost). Workers are created lazily, the first time a job needs them, and are named {@code scratchnet-worker-N}; being
 * daemons they never keep a JVM alive.
 *
 * <p>One job at a time. A second thread that calls {@link #run} while a job is in flight (or a part that calls it
 * again) runs all its parts itself, in order, on its own thread. Callers must therefore never make a result depend on
 * which thread ran a part; gemm does not (each part owns a disjoint block of C and computes it the same way anywhere).
 * A part may call any kernel, gemm included: the nested call finds the pool busy and runs on the part's thread.
 */
public final class Parallel {

    /**
     * How long an idle worker spins before it parks: a training step's gemm calls come closer than this
     * (docs/decisions/0002-kernels-thread-pool.md).
     */
    static final long SPIN_NANOS = 100_000;

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    /** Grown only while {@link #BUSY} is held. */
    private static Worker[] workers = new Worker[0];

    /** Bits of the part count and of the next part in {@link #CLAIM}. */
    private static final int PART_BITS = 12;
    private static final long PART_MASK = (1L << PART_BITS) - 1;
    /** Largest part count {@link #run} hands to workers (more parts run on the caller alone). */
    static final int MAX_PARTS = (int) PART_MASK;
    /**
     * The job in flight as one word: generation &lt;&lt; 24 | parts &lt;&lt; 12 | next unclaimed part (a 40-bit
     * generation does not wrap in practice). Written only by the caller holding {@link #BUSY}; claimed by
     * compare-and-set.
     */
    private static final AtomicLong CLAIM = new AtomicLong();
    /** Parts 1 .. parts − 1 of the current job that have finished. */
    private static final AtomicInteger FINISHED = new AtomicInteger();
    private static final AtomicReference<Throwable> FAILURE = new AtomicReference<>();
    /**
     * The body of the current job: written by the caller before {@link #CLAIM} publishes the job, read by a worker
     * only after its claim succeeded (so it sees this job's body: the job cannot end while one of its parts is
     * claimed and unfinished), and cleared when the job ends so the pool does not keep the caller's arrays alive.
     */
    private static Part currentBody;
    /** Generation of the last job, caller side (under {@link #BUSY}). */
    private static long generation;

    /**
     * One part of a job; {@code part} runs from 0 to {@code parts − 1}. Implement it on a reusable object (not a
     * capturing lambda) where a job runs often, so nothing is allocated per job.
     */
    @FunctionalInterface
    public interface Part {
        /**
         * Runs one part of the job.
         *
         * @param part the part's number, from 0 to {@code parts − 1}
         */
        void run(int part);
    }

    private Parallel() {
    }

    static int threads() {
        return threads;
    }

    static void setThreads(int n) {
        threads = n;
    }

    /**
     * Runs {@code body.run(p)} for p = 0 .. parts − 1 and returns when all have finished: part 0 on the calling thread,
     * the others on whichever of the workers and the caller claims them first (all on the caller when the pool is busy
     * with another job, or when this is a nested call from inside a part). Parts may run in any order and on any
     * thread, so the result must not depend on either. An exception thrown by any part is rethrown here after every
     * part has finished. Allocates nothing once the workers exist.
     *
     * @param parts number of parts; 0 runs nothing
     * @param body  what each part does
     */
    public static void run(int parts, Part body) {
        // a plain read first: a nested call (the pool is busy) then costs no write to the shared word
        int helpers = Math.min(parts, threads) - 1;
        if (helpers < 1 || parts > MAX_PARTS || BUSY.get() || !BUSY.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                body.run(p);
            }
            return;
        }
        try {
            Worker[] ws = workers(helpers);
            currentBody = body;
            FINISHED.set(0);
            FAILURE.set(null);
            long gen = ++generation;
            // volatile write: publishes currentBody and the resets above to any thread that reads this word
            CLAIM.set(gen << (2 * PART_BITS) | (long) parts << PART_BITS | 1);
            for (int w = 0; w < helpers; w++) {
                ws[w].wake();
            }
            Throwable own = null;
            try {
                body.run(0);
            } catch (Throwable t) {
                own = t;
            }
            work();
            awaitFinished(parts);
            currentBody = null;
            Throwable failure = FAILURE.getAndSet(null);
            if (own == null) {
                own = failure;
            } else if (failure != null) {
                own.addSuppressed(failure);
            }
            if (own instanceof RuntimeException) {
                throw (RuntimeException) own;
            }
            if (own instanceof Error) {
                throw (Error) own;
            }
            if (own != null) {
                throw new IllegalStateException(own);
            }
        } finally {
            BUSY.set(false);
        }
    }

    /** Claims and runs unclaimed parts of the current job until none is left (caller and workers alike). */
    private static void work() {
        while (true) {
            long c = CLAIM.get();
            int next = (int) (c & PART_MASK);
            int parts = (int) ((c >>> PART_BITS) & PART_MASK);
            if (next >= parts) {
                return;
            }
            if (!CLAIM.compareAndSet(c, c + 1)) {
                continue;
            }
            try {
                currentBody.run(next);
            } catch (Throwable t) {
                FAILURE.compareAndSet(null, t);
            } finally {
                FINISHED.incrementAndGet();
            }
        }
    }

    /** Waits for parts that workers claimed and are still running. */
    private static void awaitFinished(int parts) {
        long start = 0;
        int spins = 0;
        while (FINISHED.get() != parts - 1) {
            if (++spins < 64) {
                Thread.onSpinWait();
                continue;
            }
            spins = 0;
            long now = System.nanoTime();
            if (start == 0) {
                start = now;
            } else if (now - start > SPIN_NANOS) {
                // the worker running a part was descheduled: let it have the core
                Thread.yield();
            }
        }
    }

    private static Worker[] workers(int needed) {
        Worker[] ws = workers;
        if (ws.length < needed) {
            Worker[] grown = java.util.Arrays.copyOf(ws, needed);
            for (int i = ws.length; i < needed; i++) {
                grown[i] = new Worker(i + 1);
            }
            workers = grown;
            ws = grown;
        }
        return ws;
    }

    /** Number of worker threads created so far (for tests). */
    static int workersCreated() {
        return workers.length;
    }

    private static final class Worker implements Runnable {
        private final Thread thread;
        /** Bumped by the caller after it published a job; the worker remembers the last value it served. */
        private volatile long sequence;
        private volatile boolean parked;
        private long issued;

        Worker(int index) {
            thread = new Thread(this, "scratchnet-worker-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        /** Caller side: tell this worker a job is there. */
        void wake() {
            sequence = ++issued;
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                seen = awaitNext(seen);
                work();
            }
        }

        private long awaitNext(long seen) {
            long start = 0;
            int spins = 0;
            long s;
            while ((s = sequence) == seen) {
                if (++spins < 64) {
                    Thread.onSpinWait();
                    continue;
                }
                spins = 0;
                long now = System.nanoTime();
                if (start == 0) {
                    start = now;
                } else if (now - start > SPIN_NANOS) {
                    parked = true;
                    if (sequence == seen) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    start = 0;
                }
            }
            return s;
        }
    }
}
