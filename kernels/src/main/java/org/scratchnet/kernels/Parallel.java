package org.scratchnet.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The gemm thread pool: {@link #threads()} − 1 persistent daemon workers plus the calling thread, with a hand-off that
 * costs a few microseconds instead of an executor's tens.
 *
 * <p>How a job runs. {@link #run(int, Part)} gives part p (1 ≤ p &lt; parts) to worker p − 1 by writing the part into
 * the worker's slot and bumping the worker's volatile sequence number, runs part 0 on the calling thread, then waits
 * until a shared counter of unfinished parts reaches zero. An idle worker spins on its sequence number with
 * {@link Thread#onSpinWait()} for {@link #SPIN_NANOS} and then parks; the caller unparks only workers that announced
 * they were parking (a volatile flag written before the worker's last look at its sequence, so a wake-up is never
 * lost). Workers are created lazily, the first time a job needs them, and are named {@code scratchnet-gemm-N}; being
 * daemons they never keep a JVM alive.
 *
 * <p>One job at a time. A second thread that calls {@link #run} while a job is in flight (or a part that calls it
 * again) runs all its parts itself, in order, on its own thread. Callers must therefore never make a result depend on
 * which thread ran a part; gemm does not (each part owns a disjoint block of C).
 */
final class Parallel {

    /** How long an idle worker spins before it parks: a training step's gemm calls come closer than this. */
    static final long SPIN_NANOS = 100_000;

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final AtomicInteger PENDING = new AtomicInteger();
    private static final AtomicReference<Throwable> FAILURE = new AtomicReference<>();
    /** Grown only while {@link #BUSY} is held. */
    private static Worker[] workers = new Worker[0];

    /** One part of a job; {@code part} runs from 0 to {@code parts − 1}. */
    @FunctionalInterface
    interface Part {
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
     * the others on workers when the pool is free (otherwise all on the caller). An exception thrown by any part is
     * rethrown here after every part has finished.
     */
    static void run(int parts, Part body) {
        if (parts <= 1 || !BUSY.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                body.run(p);
            }
            return;
        }
        try {
            Worker[] ws = workers(parts - 1);
            PENDING.set(parts - 1);
            for (int p = 1; p < parts; p++) {
                ws[p - 1].start(body, p);
            }
            Throwable own = null;
            try {
                body.run(0);
            } catch (Throwable t) {
                own = t;
            }
            awaitWorkers();
            Throwable failure = FAILURE.getAndSet(null);
            if (own == null) {
                own = failure;
            } else if (failure != null && failure != own) {
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

    private static void awaitWorkers() {
        long start = 0;
        int spins = 0;
        while (PENDING.get() != 0) {
            if (++spins < 64) {
                Thread.onSpinWait();
                continue;
            }
            spins = 0;
            long now = System.nanoTime();
            if (start == 0) {
                start = now;
            } else if (now - start > SPIN_NANOS) {
                // a worker was descheduled: let it have the core
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
        /** Bumped by the caller to hand over {@link #body}/{@link #part}; the worker's last seen value is its own. */
        private volatile long sequence;
        private volatile boolean parked;
        private long issued;
        private Part body;
        private int part;

        Worker(int index) {
            thread = new Thread(this, "scratchnet-gemm-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        /** Caller side: hand over one part (plain writes published by the volatile write of the sequence). */
        void start(Part b, int p) {
            body = b;
            part = p;
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
                try {
                    body.run(part);
                } catch (Throwable t) {
                    FAILURE.compareAndSet(null, t);
                } finally {
                    body = null;
                    PENDING.decrementAndGet();
                }
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
