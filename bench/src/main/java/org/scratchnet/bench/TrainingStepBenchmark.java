package org.scratchnet.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.scratchnet.core.ArrayBatchSource;
import org.scratchnet.core.MomentumStyle;
import org.scratchnet.core.Network;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.Optimizer;
import org.scratchnet.core.Trainer;
import org.scratchnet.core.TrainingConfig;
import org.scratchnet.core.TrainingResult;
import org.scratchnet.kernels.Backend;
import org.scratchnet.kernels.Kernels;

/**
 * One training step — forward, backward and the EMA-momentum update (α 0.5, β 0.9) — of {@code net} at batch
 * {@code batch} on random images, through core's public {@link Trainer}, on the scalar or the vector kernels and on 1
 * or 2 threads ({@link Kernels#setThreads}).
 *
 * <p>An invocation is one {@link Trainer#train} epoch over {@code examples} random examples ({@code examples / batch}
 * steps, 64 by default), so the trainer's shuffle, batch copy and per-epoch bookkeeping are in, as in real training;
 * {@code -p examples=60000} times a real MNIST-sized epoch. The weights are reset to the same initial values before
 * each invocation, so every invocation does the same work. The primary score is such epochs per second; the
 * secondary metrics are rates: {@code steps} (steps per second; 1000 / it is ms per step, and an MNIST epoch at batch
 * 128 is 468.75 steps) and {@code gflop} ({@link ScalarReference#trainingFlop} per step in units of 10⁹, 0.09775
 * for 784-200-100-25-10 at 128; its score, gflop/s, is GFLOPS).
 *
 * <p>Warm-up is six iterations of 1 s: the step's many call sites reach their C2-compiled forms only after about 4 s
 * on 2 threads (until then an iteration runs at a fraction of the final rate).
 *
 * <p>The backend is fixed per JVM ({@code -Dscratchnet.kernels}), so {@link #scalar} and {@link #vector} fork with
 * different properties. Before timing, setup checks that the fork really runs the backend it is named after, and that
 * one step through core agrees with {@link ScalarReference#step} computed on the scalar kernels in the same JVM.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class TrainingStepBenchmark {

    static final float ALPHA = 0.5f;
    static final float BETA = 0.9f;

    @Param({"784-200-100-25-10"})
    public String net;

    @Param({"128"})
    public int batch;

    /** Examples per invocation (one epoch over them); 8192 = 64 steps of 128. */
    @Param({"8192"})
    public int examples;

    @Param({"1", "2"})
    public int threads;

    private int[] sizes;
    private Network network;
    private float[] initial;
    private ArrayBatchSource data;
    private TrainingConfig config;
    private long stepsPerInvocation;
    private long flopPerInvocation;

    /** The step and flop counters (see the class comment). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long steps;
        public double gflop;
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        checkBackend(params.getBenchmark());
        prepare();
    }

    /** Everything setup does after the backend check: data, network, and the check against the scalar reference. */
    void prepare() {
        Kernels.setThreads(threads);
        sizes = ScalarReference.parseSizes(net);
        NetworkConfig shape = NetworkConfig.of(sizes);
        network = Network.create(shape, 1);
        initial = network.parameters().clone();
        if (examples < batch) {
            throw new IllegalArgumentException(
                    "examples (" + examples + ") must be at least one batch (" + batch + ")");
        }
        data = new ArrayBatchSource(ScalarReference.randomImages(examples, sizes[0], 2),
                ScalarReference.randomLabels(examples, sizes[sizes.length - 1], 3), sizes[0], sizes[sizes.length - 1]);
        config = config(1);
        int full = examples / batch;
        int rest = examples % batch;
        stepsPerInvocation = full + (rest > 0 ? 1 : 0);
        flopPerInvocation = full * ScalarReference.trainingFlop(sizes, batch)
                + ScalarReference.trainingFlop(sizes, rest);
        checkAgainstReference(shape);
    }

    private TrainingConfig config(long seed) {
        return TrainingConfig.builder().epochs(1).batchSize(batch).learningRate(ALPHA)
                .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, BETA)).seed(seed).build();
    }

    /** Fails if this fork's kernels are not the backend the benchmark method is named after. */
    static void checkBackend(String benchmark) {
        Backend expected = benchmark.endsWith(".scalar") ? Backend.SCALAR : Backend.VECTOR;
        if (Kernels.backend() != expected) {
            throw new IllegalStateException(benchmark + " expects the " + expected + " kernels, this JVM has "
                    + Kernels.backend() + " (run it forked, with the @Fork flags: not -f 0)");
        }
    }

    /**
     * One step through core on this fork's backend, on one batch of the data, against the scalar reference in this
     * JVM: every updated parameter within 1e-3 of its layer block's largest update plus 2 ulps, the loss within 1e-5
     * relative. Rounding differences (another summation order, the trainer's shuffled row order) are far below that;
     * a wrong transpose, a missed bias or update is of the order of the update itself.
     */
    private void checkAgainstReference(NetworkConfig shape) {
        for (int l = 1; l < sizes.length; l++) {
            if (network.weightOffset(l) != ScalarReference.weightOffset(sizes, l)
                    || network.biasOffset(l) != ScalarReference.biasOffset(sizes, l)) {
                throw new IllegalStateException("core's parameter layout is not the documented W_1 b_1 W_2 b_2 ...");
            }
        }
        float[] x = new float[batch * sizes[0]];
        int[] labels = new int[batch];
        data.fill(identity(batch), 0, batch, x, 0, labels, 0);
        float[] expected = initial.clone();
        double expectedLoss = ScalarReference.step(sizes, expected, new float[expected.length], x, labels, batch,
                ALPHA, BETA);

        Network probe = Network.of(shape, initial);
        TrainingResult result = new Trainer(probe, config(1)).train(
                new ArrayBatchSource(x, labels, sizes[0], sizes[sizes.length - 1]), null, null);
        float[] actual = probe.parameters();
        float[] tolerance = new float[expected.length];
        for (int l = 1; l < sizes.length; l++) {
            int w = ScalarReference.weightOffset(sizes, l);
            int b = ScalarReference.biasOffset(sizes, l);
            blockTolerance(initial, expected, tolerance, w, b);
            blockTolerance(initial, expected, tolerance, b, b + sizes[l]);
        }
        ScalarReference.checkClose(net + " step on " + Kernels.describe(), expected, actual, tolerance);
        double loss = result.last().trainLoss() * batch;
        if (!(Math.abs(loss - expectedLoss) <= 1e-5 * Math.abs(expectedLoss))) {
            throw new IllegalStateException("summed loss " + loss + " on " + Kernels.describe()
                    + ", the scalar reference says " + expectedLoss);
        }
    }

    private static void blockTolerance(float[] before, float[] after, float[] tolerance, int from, int to) {
        float maxUpdate = 0;
        for (int i = from; i < to; i++) {
            maxUpdate = Math.max(maxUpdate, Math.abs(before[i] - after[i]));
        }
        for (int i = from; i < to; i++) {
            tolerance[i] = 1e-3f * maxUpdate + 2 * Math.ulp(Math.abs(after[i]));
        }
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    TrainingResult epoch(Counters counters) {
        network.setParameters(initial);
        TrainingResult result = new Trainer(network, config).train(data, null, null);
        counters.steps += stepsPerInvocation;
        counters.gflop += 1e-9 * flopPerInvocation;
        return result;
    }

    /** Core on the scalar kernels. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dscratchnet.kernels=scalar"})
    public TrainingResult scalar(Counters counters) {
        return epoch(counters);
    }

    /** Core on the Vector API kernels. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dscratchnet.kernels=vector"})
    public TrainingResult vector(Counters counters) {
        return epoch(counters);
    }
}
