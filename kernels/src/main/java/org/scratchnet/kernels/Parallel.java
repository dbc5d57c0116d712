package org.scratchnet.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * The gemm thread pool: {@link #threads()} − 1 persistent daemon workers plus the calling thread, with a hand-off that
 * costs about 0.7 µs when the workers are awake (an executor's submit + get cost ~28 µs here; DESIGN.md "Gemm").
 *
 * <p>How a job runs. {@link #run(int, Part)} publishes a job (the body and a counter of unclaimed parts) to
 * parts − 1 workers by bumping each worker's volatile sequence number, runs part 0 on the calling thread, and then
 * claims and runs any part no worker has claimed yet; it returns when every part has finished. Parts are claimed with
 * one atomic increment, so each runs exactly once, on whichever thread got there first: a worker that the operating
 * system has not scheduled yet (a loaded machine) costs the caller nothing but doing that part itself. An idle worker
 * spins on its sequence number with {@link Thread#onSpinWait()} for {@link #SPIN_NANOS} and then parks; the caller
 * unparks only workers that announced they were parking (a volatile flag written before the worker's last look at its
 * sequence, so a wake-up is never lost). Workers are created lazily, the first time a job needs them, and are named
 * {@code scratchnet-gemm-N}; being daemons they never keep a JVM alive.
 *
 * <p>One job at a time. A second thread that calls {@link #run} while a job is in flight (or a part that calls it
 * again) runs all its parts itself, in order, on its own thread. Callers must therefore never make a result depend on
 * which thread ran a part; gemm does not (each part owns a disjoint block of C and computes it the same way anywhere).
 */
final class Parallel {

    /** How long an idle worker spins before it parks: a training step's gemm calls come closer than this. */
    static final long SPIN_NANOS = 100_000;

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    /** Grown only while {@link #BUSY} is held. */
    private static Worker[] workers = new Worker[0];

    /** One part of a job; {@code part} runs from 0 to {@code parts − 1}. */
    @FunctionalInterface
    interface Part {
        void run(int part);
    }

    /** One call of {@link #run}: parts 1 .. parts − 1 are claimed by increments of {@code next}. */
    private static final class Job {
        final Part body;
        final int parts;
        final AtomicInteger next = new AtomicInteger(1);
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(Part body, int parts) {
            this.body = body;
            this.parts = parts;
        }

        /** Claims and runs unclaimed parts until none is left. */
        void work() {
            int p;
            while ((p = next.getAndIncrement()) < parts) {
                try {
                    body.run(p);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    finished.incrementAndGet();
                }
            }
        }
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
     * with another job). An exception thrown by any part is rethrown here after every part has finished.
     */
    static void run(int parts, Part body) {
        if (parts <= 1 || !BUSY.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                body.run(p);
            }
            return;
        }
        try {
            Job job = new Job(body, parts);
            Worker[] ws = workers(parts - 1);
            for (int w = 0; w < parts - 1; w++) {
                ws[w].start(job);
            }
            Throwable own = null;
            try {
                body.run(0);
            } catch (Throwable t) {
                own = t;
            }
            job.work();
            awaitFinished(job);
            Throwable failure = job.failure.get();
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

    /** Waits for parts that workers claimed and are still running. */
    private static void awaitFinished(Job job) {
        long start = 0;
        int spins = 0;
        while (job.finished.get() != job.parts - 1) {
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
        private static final AtomicReferenceFieldUpdater<Worker, Job> JOB =
                AtomicReferenceFieldUpdater.newUpdater(Worker.class, Job.class, "job");
        private final Thread thread;
        /** Bumped by the caller after it stored {@link #job}; the worker remembers the last value it served. */
        private volatile long sequence;
        private volatile boolean parked;
        private volatile Job job;
        private long issued;

        Worker(int index) {
            thread = new Thread(this, "scratchnet-gemm-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        /** Caller side: offer a job to this worker. */
        void start(Job j) {
            job = j;
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
                Job j = job;
                if (j != null) {
                    j.work();
                    // drop the finished job (and the arrays its body holds) unless the caller already offered a new one
                    JOB.compareAndSet(this, j, null);
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
