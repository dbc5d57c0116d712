package org.scratchnet.bench;

import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
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
import org.scratchnet.kernels.Kernels;
import org.scratchnet.kernels.Transpose;

/**
 * C = A·B in single precision on one thread: the kernels' public {@link Kernels#gemm} against EJML's
 * {@code CommonOps_FDRM.mult}, the dense row-major float multiply of a widely used pure-Java linear-algebra library
 * (scalar Java, single-threaded unless one calls its {@code _MT} variants). Same data, same row-major layout, alpha 1
 * and beta 0. The primary score is calls per second; the secondary counter {@code gflop} adds 2·m·n·k·10⁻⁹ per call,
 * so its score is GFLOPS. {@code shape} is {@code MxKxN}: A is M×K, B is K×N ({@code 128x784x200} is the first layer
 * of 784-200-100-25-10 at batch 128). Run it with the FMA peak of the same JVM for % of peak:
 * <pre>java -jar bench/target/benchmarks.jar 'EjmlGemmBenchmark|FmaPeakBenchmark.peak1Thread' -f 3</pre>
 * Setup fails unless the kernels run on the vector backend (the fork adds the module flag) and both libraries agree
 * within k·2⁻²² of Σ|a||b| element by element.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class EjmlGemmBenchmark {

    /** {@code scratchnet} ({@link Kernels#gemm}) or {@code ejml} ({@code CommonOps_FDRM.mult}). */
    @Param({"scratchnet", "ejml"})
    public String library;

    /** {@code MxKxN}. */
    @Param({"128x784x200", "1024x1024x1024"})
    public String shape;

    int m;
    int k;
    int n;
    private boolean ejml;
    private FMatrixRMaj a;
    private FMatrixRMaj b;
    private FMatrixRMaj c;

    /** The GFLOP counter: 2·m·n·k·10⁻⁹ per call. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** GFLOP done so far. */
        public double gflop;
    }

    /** Parses the shape, fills A and B with seeded Gaussians, pins the kernels to one thread and checks agreement. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] dims = shape.split("x");
        m = Integer.parseInt(dims[0]);
        k = Integer.parseInt(dims[1]);
        n = Integer.parseInt(dims[2]);
        ejml = switch (library) {
            case "ejml" -> true;
            case "scratchnet" -> false;
            default -> throw new IllegalArgumentException("library must be scratchnet or ejml, got " + library);
        };
        if (Kernels.backend() != Backend.VECTOR) {
            throw new IllegalStateException("expected the vector kernels, found " + Kernels.describe()
                    + ": run with --add-modules jdk.incubator.vector");
        }
        Kernels.setThreads(1);
        Random rnd = new Random(42);
        a = new FMatrixRMaj(m, k);
        b = new FMatrixRMaj(k, n);
        c = new FMatrixRMaj(m, n);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < b.data.length; i++) {
            b.data[i] = (float) rnd.nextGaussian();
        }
        checkAgreement();
    }

    /** EJML and the kernels agree within (k + 8)·2⁻²² of Σ|a||b|, element by element, before anything is timed. */
    void checkAgreement() {
        FMatrixRMaj viaEjml = new FMatrixRMaj(m, n);
        CommonOps_FDRM.mult(a, b, viaEjml);
        float[] viaKernels = new float[m * n];
        Kernels.gemm(Transpose.N, Transpose.N, m, n, k, 1f, a.data, 0, k, b.data, 0, n, 0f, viaKernels, 0, n);
        float[] absA = a.data.clone();
        float[] absB = b.data.clone();
        for (int i = 0; i < absA.length; i++) {
            absA[i] = Math.abs(absA[i]);
        }
        for (int i = 0; i < absB.length; i++) {
            absB[i] = Math.abs(absB[i]);
        }
        float[] bound = new float[m * n];
        Kernels.gemm(Transpose.N, Transpose.N, m, n, k, 1f, absA, 0, k, absB, 0, n, 0f, bound, 0, n);
        for (int i = 0; i < bound.length; i++) {
            double tol = (k + 8) * 0x1p-22 * bound[i];
            if (!(Math.abs(viaEjml.data[i] - viaKernels[i]) <= tol)) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s: EJML %g and the kernels %g differ at %d by more than %g", shape, viaEjml.data[i],
                        viaKernels[i], i, tol));
            }
        }
    }

    /**
     * One C = A·B with the chosen library.
     *
     * @param flops the GFLOP counter
     * @return C's data, so the work is not eliminated
     */
    @Benchmark
    public float[] gemm(Flops flops) {
        if (ejml) {
            CommonOps_FDRM.mult(a, b, c);
        } else {
            Kernels.gemm(Transpose.N, Transpose.N, m, n, k, 1f, a.data, 0, k, b.data, 0, n, 0f, c.data, 0, n);
        }
        flops.gflop += 2e-9 * m * n * k;
        return c.data;
    }
}
