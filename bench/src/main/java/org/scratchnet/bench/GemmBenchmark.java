package org.scratchnet.bench;

import java.util.Locale;
import java.util.Random;
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
import org.scratchnet.kernels.Backend;
import org.scratchnet.kernels.KernelImplementation;
import org.scratchnet.kernels.Kernels;
import org.scratchnet.kernels.Transpose;

/**
 * sgemm C = op(A)·op(B) (alpha 1, beta 0) on the shapes an MLP's training step uses, scalar twin against Vector API
 * kernel, on 1 or 2 threads. The primary score is calls per second; the secondary counter {@code gflop} adds
 * 2·m·n·k·10⁻⁹ per call, so its score (gflop/s) is GFLOPS.
 *
 * <p>{@code shape} is {@code LAYOUT:MxKxN}: op(A) is M×K, op(B) is K×N. For the 784-200-... net at batch 128:
 * {@code NN:128x784x200} is X·W (forward), {@code TN:784x128x200} is Xᵀ·dZ (weight gradient), {@code NT:128x200x784} is
 * dZ·Wᵀ (input gradient). {@code NN:60000x784x100} and {@code TN:784x60000x100} are the first layer of the table's
 * full-batch rows (784-100-50-10, one batch of 60000). {@code threads} is {@link Kernels#setThreads}; the scalar twin
 * is single-threaded, so run it with {@code -p threads=1}. Example:
 * <pre>java -jar bench/target/benchmarks.jar '\.GemmBenchmark\.' -p backend=vector -p shape=NN:128x784x200 -p threads=1</pre>
 *
 * <p>(The pattern is anchored because a plain {@code GemmBenchmark} also matches {@link EjmlGemmBenchmark}, whose
 * {@code shape} has no layout and fails on these values.)
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmBenchmark {

    @Param({"scalar", "vector"})
    public String backend;

    @Param({"NN:128x784x200", "TN:784x128x200", "NT:128x200x784",
            "NN:128x200x100", "TN:200x128x100", "NT:128x100x200",
            "NN:128x100x25", "TN:100x128x25", "NT:128x25x100",
            "NN:128x25x10", "TN:25x128x10", "NT:128x10x25",
            "NN:1024x1024x1024",
            "NN:60000x784x100", "TN:784x60000x100"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Transpose ta;
    private Transpose tb;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;
    /** The implementation timed, called directly (no argument checks) through the kernels' internal entry point. */
    private KernelImplementation impl;

    /** The GFLOP counter: 2·m·n·k·10⁻⁹ per call. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split(":");
        String[] dims = parts[1].split("x");
        ta = Transpose.valueOf(parts[0].substring(0, 1));
        tb = Transpose.valueOf(parts[0].substring(1, 2));
        m = Integer.parseInt(dims[0]);
        k = Integer.parseInt(dims[1]);
        n = Integer.parseInt(dims[2]);
        impl = KernelImplementation.of(switch (backend) {
            case "vector" -> Backend.VECTOR;
            case "scalar" -> Backend.SCALAR;
            default -> throw new IllegalArgumentException("backend must be scalar or vector, got " + backend);
        });
        Kernels.setThreads(threads);
        Random rnd = new Random(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextGaussian();
        }
        checkAgreement();
    }

    /** Vector and scalar must agree within k·2⁻²² of Σ|a||b| (itself a gemm of the absolute values) before timing. */
    private void checkAgreement() {
        float[] cs = new float[m * n];
        float[] cv = new float[m * n];
        float[] bound = new float[m * n];
        KernelImplementation.of(Backend.SCALAR).gemm(ta, tb, m, n, k, 1f, a, 0, lda(), b, 0, ldb(), 0f, cs, 0, n);
        KernelImplementation.of(Backend.VECTOR).gemm(ta, tb, m, n, k, 1f, a, 0, lda(), b, 0, ldb(), 0f, cv, 0, n);
        float[] absA = a.clone();
        float[] absB = b.clone();
        for (int i = 0; i < absA.length; i++) {
            absA[i] = Math.abs(absA[i]);
        }
        for (int i = 0; i < absB.length; i++) {
            absB[i] = Math.abs(absB[i]);
        }
        KernelImplementation.of(Backend.SCALAR).gemm(ta, tb, m, n, k, 1f, absA, 0, lda(), absB, 0, ldb(), 0f, bound, 0,
                n);
        for (int i = 0; i < cs.length; i++) {
            double tol = (k + 8) * 0x1p-22 * bound[i];
            if (!(Math.abs(cs[i] - cv[i]) <= tol)) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s: scalar %g and vector %g differ at %d by more than %g", shape, cs[i], cv[i], i, tol));
            }
        }
    }

    private int lda() {
        return ta == Transpose.N ? k : m;
    }

    private int ldb() {
        return tb == Transpose.N ? n : k;
    }

    @Benchmark
    public float[] gemm(Flops flops) {
        impl.gemm(ta, tb, m, n, k, 1f, a, 0, lda(), b, 0, ldb(), 0f, c, 0, n);
        flops.gflop += 2e-9 * m * n * k;
        return c;
    }
}
