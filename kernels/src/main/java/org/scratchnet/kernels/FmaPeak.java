package org.scratchnet.kernels;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's floating-point FMA peak, measured: the yardstick for "% of peak" of gemm, of a training step and of a
 * whole training run.
 *
 * <p>The loop ({@link #chains}): {@value #CHAINS} independent accumulators, each updated {@code steps} times by
 * {@code acc = x·y + acc}. Independent chains hide the FMA latency (4-5 cycles on current x86 cores, two FMA units), so
 * the loop runs at the core's FMA throughput and touches no memory. With the Vector API the accumulators are vectors of
 * the preferred float species; without the module {@code jdk.incubator.vector} (or with a species under 128 bits) they
 * are scalars updated by {@link Math#fma(float, float, float)}, and the peak is the scalar one ({@link #vector()} says
 * which). The choice ignores {@link Kernels#BACKEND_PROPERTY}: a run on the forced scalar kernels is still measured
 * against what the machine could do.
 *
 * <p>Flop count. One call of {@link #chains} does {@code 2 · lanes · CHAINS · steps} flops (an FMA counts as two), see
 * {@link #flopPerCall}. {@link #measure} runs the loop on {@code threads} threads at once and reports
 * <pre>  GFLOPS = (Σ over threads of calls) · flopPerCall(STEPS) / seconds / 10⁹</pre>
 * where seconds is the wall time from the common start of a measurement window to the moment the last thread stopped.
 * The JMH benchmark {@code FmaPeakBenchmark} in the bench module times this same method, so both agree.
 */
public final class FmaPeak {

    /** Independent accumulators per thread. */
    public static final int CHAINS = 16;
    /** FMA steps per chain in one call of {@link #chains} as {@link #measure} uses it (a call takes ~10-30 µs). */
    public static final int STEPS = 4096;
    /** Measurement windows after the warm-up; the best one is reported. */
    static final int WINDOWS = 3;
    /** Consecutive calls close to the fastest that end the warm-up. */
    static final int STABLE_CALLS = 16;
    /** How much longer than planned the warm-up may run on a machine too busy for the loop's speed to settle. */
    static final long MAX_EXTRA_WARMUP_MILLIS = 2000;

    private static final boolean VECTOR = chooseVector();
    /** Where results go so the JIT cannot drop the loop. */
    private static volatile float sink;
    /** The loop's inputs, read through a volatile so the JIT cannot fold them into constants. */
    private static volatile float inputX = 1.0000001f;
    private static volatile float inputY = 1e-7f;

    private FmaPeak() {
    }

    private static boolean chooseVector() {
        if (!Kernels.vectorModulePresent()) {
            return false;
        }
        try {
            return VectorLoop.bits() >= 128;
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * Whether the loop runs on the Vector API (the preferred float species) rather than on scalar FMAs.
     *
     * @return true for the Vector API loop, false for the scalar one
     */
    public static boolean vector() {
        return VECTOR;
    }

    /**
     * Float lanes per accumulator: the preferred species' length, or 1 for the scalar loop.
     *
     * @return the lanes per accumulator, at least 1
     */
    public static int lanes() {
        return VECTOR ? VectorLoop.lanes() : 1;
    }

    /**
     * e.g. {@code vector 512-bit (16 lanes)} or {@code scalar (the Vector API is not available)}.
     *
     * @return the description, never null
     */
    public static String describe() {
        return VECTOR ? "vector " + lanes() * Float.SIZE + "-bit (" + lanes() + " lanes)"
                : "scalar (the Vector API is not available)";
    }

    /**
     * Flops of one call of {@link #chains} with {@code steps}: {@code 2 · lanes() · CHAINS · steps}.
     *
     * @param steps the steps per accumulator
     * @return the floating-point operations of one call
     */
    public static long flopPerCall(int steps) {
        return 2L * lanes() * CHAINS * steps;
    }

    /**
     * The loop: {@value #CHAINS} accumulators starting at zero, each updated {@code steps} times by
     * {@code acc = x·y + acc} (one rounding per step), then summed. Returns that sum (every lane of every accumulator),
     * so that a caller can consume it and the work cannot be optimised away.
     *
     * @throws IllegalArgumentException if {@code steps < 0}
     * @param x     the first factor of every step
     * @param y     the second factor of every step
     * @param steps the steps per accumulator, at least 0
     * @return the sum of every lane of every accumulator
     */
    public static float chains(float x, float y, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        return VECTOR ? VectorLoop.chains(x, y, steps) : scalarChains(x, y, steps);
    }

    /** The scalar loop, also the documented meaning of the vector one (every lane does what one scalar chain does). */
    static float scalarChains(float x, float y, int steps) {
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        float a8 = 0, a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0, a15 = 0;
        for (int i = 0; i < steps; i++) {
            a0 = Math.fma(x, y, a0);
            a1 = Math.fma(x, y, a1);
            a2 = Math.fma(x, y, a2);
            a3 = Math.fma(x, y, a3);
            a4 = Math.fma(x, y, a4);
            a5 = Math.fma(x, y, a5);
            a6 = Math.fma(x, y, a6);
            a7 = Math.fma(x, y, a7);
            a8 = Math.fma(x, y, a8);
            a9 = Math.fma(x, y, a9);
            a10 = Math.fma(x, y, a10);
            a11 = Math.fma(x, y, a11);
            a12 = Math.fma(x, y, a12);
            a13 = Math.fma(x, y, a13);
            a14 = Math.fma(x, y, a14);
            a15 = Math.fma(x, y, a15);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15;
    }

    /**
     * Measures the peak on {@code threads} threads running {@link #chains} at the same time. First a warm-up on the
     * calling thread, so that the JIT has compiled the loop: at least a quarter of {@code duration}, and until the
     * last {@value #STABLE_CALLS} calls each took at most 1.25 times the fastest call so far (at most
     * {@value #MAX_EXTRA_WARMUP_MILLIS} ms longer than that quarter, on a machine too busy to settle). Then
     * {@value #WINDOWS} measurement windows share the other three quarters, each started on all threads at once; the
     * best window is returned, in GFLOPS summed over the threads (formula in the class comment). Uses threads of its
     * own, not the kernels' pool. A loaded machine gives a lower figure, so measure when it is otherwise idle.
     *
     * @param threads  threads to run at once, at least 1
     * @param duration time to spend, at least 40 ms (a few seconds for a figure to quote, ~0.5 s for a rough one);
     *                 the warm-up may add to it
     * @throws IllegalArgumentException if threads &lt; 1 or the duration is shorter than 40 ms
     * @return the measured peak in GFLOPS, summed over the threads
     */
    public static double measure(int threads, Duration duration) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (duration == null || duration.toMillis() < 40) {
            throw new IllegalArgumentException("duration must be at least 40 ms, got " + duration);
        }
        long total = duration.toNanos();
        long warmup = total / 4;
        sink = warmUp(warmup, warmup + MAX_EXTRA_WARMUP_MILLIS * 1_000_000L);
        Measurement m = new Measurement(threads, (total - warmup) / WINDOWS);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(m::work, "scratchnet-fma-peak-" + (t + 1));
            workers[t].setDaemon(true);
            workers[t].start();
        }
        boolean interrupted = false;
        for (Thread w : workers) {
            while (true) {
                try {
                    w.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish the measurement, then restore the flag
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (m) {
            if (m.failure != null) {
                throw new IllegalStateException("the FMA peak measurement failed", m.failure);
            }
        }
        return m.best;
    }

    /**
     * Runs the loop on the calling thread for at least {@code minNanos}, and on until the last {@value #STABLE_CALLS}
     * calls were each within 1.25 times the fastest, or {@code maxNanos} have passed. Returns the loop's sum.
     */
    private static float warmUp(long minNanos, long maxNanos) {
        float x = inputX;
        float y = inputY;
        float sum = 0;
        long start = System.nanoTime();
        long fastest = Long.MAX_VALUE;
        int stable = 0;
        long before = start;
        while (true) {
            sum += chains(x, y, STEPS);
            long now = System.nanoTime();
            long took = now - before;
            before = now;
            if (took < fastest) {
                fastest = took;
            }
            stable = took * 4 <= fastest * 5 ? stable + 1 : 0;
            long elapsed = now - start;
            if (elapsed >= maxNanos || elapsed >= minNanos && stable >= STABLE_CALLS) {
                return sum;
            }
        }
    }

    /** One call of {@link #measure}: the shared windows and their counts. */
    private static final class Measurement {
        private final long windowNanos;
        private final CyclicBarrier barrier;
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong lastEnd = new AtomicLong();
        private volatile long start;
        private volatile long deadline;
        private int windowsDone = -1;
        private double best;
        private Throwable failure;

        Measurement(int threads, long windowNanos) {
            this.windowNanos = windowNanos;
            this.barrier = new CyclicBarrier(threads, this::nextWindow);
        }

        /** Barrier action, run by one thread while the others wait: closes the last window and opens the next. */
        private void nextWindow() {
            if (windowsDone >= 0) {
                double seconds = (lastEnd.get() - start) / 1e9;
                double gflops = calls.get() * (double) flopPerCall(STEPS) / seconds / 1e9;
                best = Math.max(best, gflops);
            }
            windowsDone++;
            calls.set(0);
            lastEnd.set(0);
            start = System.nanoTime();
            deadline = start + windowNanos;
        }

        void work() {
            float x = inputX;
            float y = inputY;
            float sum = 0;
            try {
                barrier.await(); // opens the first window
                for (int w = 0; w < WINDOWS; w++) {
                    long end = deadline;
                    long n = 0;
                    long now;
                    do {
                        sum += chains(x, y, STEPS);
                        n++;
                        now = System.nanoTime();
                    } while (now < end);
                    calls.addAndGet(n);
                    lastEnd.accumulateAndGet(now, Math::max);
                    barrier.await(); // closes this window and opens the next
                }
            } catch (InterruptedException | BrokenBarrierException | RuntimeException | Error e) {
                synchronized (this) {
                    if (failure == null) {
                        failure = e; // the first one: the others then only see the broken barrier
                    }
                }
                barrier.reset();
            }
            sink = sum;
        }
    }

    /** The vector loop, in a class of its own: loaded only where {@code jdk.incubator.vector} is readable. */
    private static final class VectorLoop {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

        static int bits() {
            return S.vectorBitSize();
        }

        static int lanes() {
            return S.length();
        }

        static float chains(float xs, float ys, int steps) {
            FloatVector x = FloatVector.broadcast(S, xs);
            FloatVector y = FloatVector.broadcast(S, ys);
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
            for (int i = 0; i < steps; i++) {
                a0 = x.fma(y, a0);
                a1 = x.fma(y, a1);
                a2 = x.fma(y, a2);
                a3 = x.fma(y, a3);
                a4 = x.fma(y, a4);
                a5 = x.fma(y, a5);
                a6 = x.fma(y, a6);
                a7 = x.fma(y, a7);
                a8 = x.fma(y, a8);
                a9 = x.fma(y, a9);
                a10 = x.fma(y, a10);
                a11 = x.fma(y, a11);
                a12 = x.fma(y, a12);
                a13 = x.fma(y, a13);
                a14 = x.fma(y, a14);
                a15 = x.fma(y, a15);
            }
            return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
                    .add(a8).add(a9).add(a10).add(a11).add(a12).add(a13).add(a14).add(a15)
                    .reduceLanes(VectorOperators.ADD);
        }
    }
}
