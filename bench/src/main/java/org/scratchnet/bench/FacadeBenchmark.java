package org.scratchnet.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.scratchnet.kernels.Backend;
import org.scratchnet.kernels.KernelImplementation;
import org.scratchnet.kernels.Kernels;
import org.scratchnet.kernels.Transpose;

/**
 * What the {@link Kernels} facade costs on the calls a training step makes most often: each kernel once through the
 * facade ({@code _facade}: argument checks, then the dispatch to the implementation chosen for this JVM) and once on
 * the vector implementation directly ({@code _direct}: no checks, through the kernels' internal entry point
 * {@link KernelImplementation#of}, held in a static final as the facade holds its own). ReLU and the bias add on a
 * 128×200 activation (the first hidden layer at batch 128), the bias add on the 128×10 output layer (the smallest call
 * of a step, where a fixed cost per call shows most), and gemm NN 128×784×200 (that layer's forward product) on one
 * thread. Setup fails unless the facade runs the vector backend and both paths give the same bits.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar FacadeBenchmark -f 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class FacadeBenchmark {

    static final int BATCH = 128;
    static final int INPUTS = 784;
    static final int HIDDEN = 200;
    static final int CLASSES = 10;

    /** The vector implementation, called directly; null where it cannot run (setup then fails). */
    private static final KernelImplementation VECTOR = ScalarReference.vectorOrNull();

    float[] act;       // 128×200 pre-activations
    float[] out;       // 128×200 output buffer
    float[] bias;      // 200
    float[] logits;    // 128×10
    float[] x;         // 128×784 inputs
    float[] w;         // 784×200 weights
    float[] z;         // 128×200 product

    /** Seeded data; checks the backend and that facade and direct calls agree bit for bit. */
    @Setup
    public void setup() {
        if (Kernels.backend() != Backend.VECTOR) {   // then VECTOR is null too
            throw new IllegalStateException("expected the vector kernels, found " + Kernels.describe()
                    + " (run it forked, with the @Fork flags: not -f 0)");
        }
        Kernels.setThreads(1);
        Random rnd = new Random(42);
        act = ScalarReference.gaussian(rnd, BATCH * HIDDEN);
        out = new float[BATCH * HIDDEN];
        bias = ScalarReference.gaussian(rnd, HIDDEN);
        logits = ScalarReference.gaussian(rnd, BATCH * CLASSES);
        x = ScalarReference.gaussian(rnd, BATCH * INPUTS);
        w = ScalarReference.gaussian(rnd, INPUTS * HIDDEN);
        z = new float[BATCH * HIDDEN];
        checkAgreement();
        System.err.println("kernels: " + Kernels.describe());
    }

    private void checkAgreement() {
        float[] a = new float[out.length];
        float[] b = new float[out.length];
        Kernels.relu(a.length, act, 0, a, 0);
        VECTOR.relu(b.length, act, 0, b, 0);
        same("relu", a, b);
        Kernels.addRowBias(BATCH, HIDDEN, bias, 0, a, 0, HIDDEN);
        VECTOR.addRowBias(BATCH, HIDDEN, bias, 0, b, 0, HIDDEN);
        same("addRowBias", a, b);
        Kernels.gemm(Transpose.N, Transpose.N, BATCH, HIDDEN, INPUTS, 1f, x, 0, INPUTS, w, 0, HIDDEN, 0f, a, 0, HIDDEN);
        VECTOR.gemm(Transpose.N, Transpose.N, BATCH, HIDDEN, INPUTS, 1f, x, 0, INPUTS, w, 0, HIDDEN, 0f,
                b, 0, HIDDEN);
        same("gemm", a, b);
    }

    private static void same(String what, float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
                throw new IllegalStateException(what + ": facade and direct call differ at " + i + ": " + a[i]
                        + " vs " + b[i]);
            }
        }
    }

    @Benchmark
    public float[] relu_facade() {
        Kernels.relu(act.length, act, 0, out, 0);
        return out;
    }

    @Benchmark
    public float[] relu_direct() {
        VECTOR.relu(act.length, act, 0, out, 0);
        return out;
    }

    @Benchmark
    public float[] addRowBias_facade() {
        Kernels.addRowBias(BATCH, HIDDEN, bias, 0, out, 0, HIDDEN);
        return out;
    }

    @Benchmark
    public float[] addRowBias_direct() {
        VECTOR.addRowBias(BATCH, HIDDEN, bias, 0, out, 0, HIDDEN);
        return out;
    }

    @Benchmark
    public float[] addRowBiasOutputLayer_facade() {
        Kernels.addRowBias(BATCH, CLASSES, bias, 0, logits, 0, CLASSES);
        return logits;
    }

    @Benchmark
    public float[] addRowBiasOutputLayer_direct() {
        VECTOR.addRowBias(BATCH, CLASSES, bias, 0, logits, 0, CLASSES);
        return logits;
    }

    @Benchmark
    public float[] gemmNN_facade() {
        Kernels.gemm(Transpose.N, Transpose.N, BATCH, HIDDEN, INPUTS, 1f, x, 0, INPUTS, w, 0, HIDDEN, 0f,
                z, 0, HIDDEN);
        return z;
    }

    @Benchmark
    public float[] gemmNN_direct() {
        VECTOR.gemm(Transpose.N, Transpose.N, BATCH, HIDDEN, INPUTS, 1f, x, 0, INPUTS, w, 0, HIDDEN, 0f,
                z, 0, HIDDEN);
        return z;
    }
}
