package org.scratchnet.bench;

import java.util.Locale;
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
import org.scratchnet.core.Network;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.kernels.Kernels;

/**
 * Batch inference: the predicted class of each of {@code images} random images (10,000, the size of the MNIST test
 * set) through a freshly initialised {@code net}, with core's {@link Network#predict(float[], int, int, int[], int)},
 * on the scalar or the vector kernels and on 1 or 2 threads ({@link Kernels#setThreads}). The primary score is calls
 * (of all images) per second; the secondary metrics are rates: {@code images} per second, and {@code gflop}, which
 * adds 2·images·Σ n_{l−1}·n_l·10⁻⁹ per call (3.59 for 784-200-100-25-10 and 10,000 images), so its score, gflop/s,
 * is GFLOPS.
 *
 * <p>As in {@link TrainingStepBenchmark}, the backend is per JVM, so {@link #scalar} and {@link #vector} fork with
 * different properties, and setup checks the backend and then core's probabilities and predictions for the first
 * {@value #CHECKED} images against {@link ScalarReference#probabilities} on the scalar kernels in the same JVM.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class InferenceBenchmark {

    static final int CHECKED = 512;

    @Param({"784-200-100-25-10"})
    public String net;

    @Param({"10000"})
    public int images;

    @Param({"1", "2"})
    public int threads;

    private Network network;
    private float[] x;
    private int[] predictions;
    private long flopPerCall;

    /** The image and flop counters (see the class comment). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long images;
        public double gflop;
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        TrainingStepBenchmark.checkBackend(params.getBenchmark());
        prepare();
    }

    /** Everything setup does after the backend check: data, network, and the check against the scalar reference. */
    void prepare() {
        Kernels.setThreads(threads);
        int[] sizes = ScalarReference.parseSizes(net);
        network = Network.create(NetworkConfig.of(sizes), 1);
        x = ScalarReference.randomImages(images, sizes[0], 4);
        predictions = new int[images];
        flopPerCall = ScalarReference.inferenceFlop(sizes, images);
        checkAgainstReference(sizes);
    }

    /**
     * Probabilities within 1e-5 + 1e-4·p of the reference (a wrong layer changes them by far more), and every
     * prediction equal to the reference's argmax unless its two largest probabilities are within 1e-4 (a near tie
     * that rounding may flip).
     */
    private void checkAgainstReference(int[] sizes) {
        int m = Math.min(CHECKED, images);
        int classes = sizes[sizes.length - 1];
        float[] expected = ScalarReference.probabilities(sizes, network.parameters(), x, m);
        float[] actual = new float[m * classes];
        network.probabilities(x, 0, m, actual, 0);
        float[] tolerance = new float[expected.length];
        for (int i = 0; i < tolerance.length; i++) {
            tolerance[i] = 1e-5f + 1e-4f * expected[i];
        }
        ScalarReference.checkClose(net + " probabilities on " + Kernels.describe(), expected, actual, tolerance);
        network.predict(x, 0, m, predictions, 0);
        for (int i = 0; i < m; i++) {
            int best = 0;
            float first = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                float p = expected[i * classes + j];
                if (p > first) {
                    second = first;
                    first = p;
                    best = j;
                } else if (p > second) {
                    second = p;
                }
            }
            if (predictions[i] != best && first - second > 1e-4f) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "image %d: predicted %d on %s, the scalar reference says %d (p %.6f vs %.6f)",
                        i, predictions[i], Kernels.describe(), best, first, second));
            }
        }
    }

    int[] predictAll(Counters counters) {
        network.predict(x, 0, images, predictions, 0);
        counters.images += images;
        counters.gflop += 1e-9 * flopPerCall;
        return predictions;
    }

    /** Core on the scalar kernels. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dscratchnet.kernels=scalar"})
    public int[] scalar(Counters counters) {
        return predictAll(counters);
    }

    /** Core on the Vector API kernels. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dscratchnet.kernels=vector"})
    public int[] vector(Counters counters) {
        return predictAll(counters);
    }
}
