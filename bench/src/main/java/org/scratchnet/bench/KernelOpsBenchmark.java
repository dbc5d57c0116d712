package org.scratchnet.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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

/**
 * Scalar against vector for the non-gemm kernels, at the sizes one training step of the 784-200-…-10 network uses:
 * bias add, ReLU forward and backward and the column sums on a 128×200 activation, softmax and softmax + cross-entropy
 * on 128×10 logits, the momentum update on the 784×200 weight matrix. {@code softmaxRows_vectorLanewiseExp} is the
 * vector softmax with the Vector API's own {@code lanewise(EXP)} in place of the polynomial: the measurement behind
 * the choice of exp (docs/decisions/0001-polynomial-exp.md). {@code unsignedBytesToFloats_*} converts one batch of
 * 128 MNIST images from bytes. {@code momentumEma_subnormalState} and {@code emaWithoutFlush_subnormalState} run the
 * momentum update on a state in which one weight in ten has a zero gradient, as an MNIST border pixel's has, and a
 * velocity near the smallest normal float: the kernel flushes such velocities to zero, the second, the kernel's
 * loop without the flush, lets them decay into subnormals and stay there (the measurement behind
 * docs/decisions/0008-subnormal-velocities.md). Setup checks that scalar and vector agree before timing. Both
 * implementations are called directly, without the facade's argument checks, through the kernels' internal entry
 * point {@link KernelImplementation#of}.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar KernelOpsBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class KernelOpsBenchmark {

    static final int BATCH = 128;
    static final int HIDDEN = 200;
    static final int CLASSES = 10;
    static final int INPUTS = 784;

    /** The two implementations, in static finals so that the JIT sees constants, as in the facade. */
    private static final KernelImplementation SCALAR = KernelImplementation.of(Backend.SCALAR);
    /** Null where the vector implementation cannot run (setup then fails with the reason). */
    private static final KernelImplementation VECTOR = ScalarReference.vectorOrNull();

    float[] act;       // 128×200 pre-activations
    float[] out;       // 128×200 output buffer
    float[] dy;        // 128×200 upstream gradient
    float[] bias;      // 200
    float[] sums;      // 200
    float[] logits;    // 128×10
    float[] probs;     // 128×10, softmax in place
    float[] grad;      // 128×10
    int[] labels;      // 128
    float[] g;         // 784×200 weight gradient
    float[] v;         // 784×200 velocity
    float[] w;         // 784×200 weights
    byte[] pixels;     // 128 images of 784 bytes
    float[] images;    // 128×784
    float[] gZero;     // g with every tenth gradient 0
    float[] vFlush;    // velocities for the flushed update, every tenth near the smallest normal float
    float[] vNoFlush;  // the same for the update without the flush
    float[] wTiny;     // weights for those two

    @Setup
    public void setup() {
        if (VECTOR == null) {
            KernelImplementation.of(Backend.VECTOR);   // throws IllegalStateException with the reason
        }
        Random rnd = new Random(42);
        act = ScalarReference.gaussian(rnd, BATCH * HIDDEN);
        out = new float[BATCH * HIDDEN];
        dy = ScalarReference.gaussian(rnd, BATCH * HIDDEN);
        bias = ScalarReference.gaussian(rnd, HIDDEN);
        sums = new float[HIDDEN];
        logits = ScalarReference.gaussian(rnd, BATCH * CLASSES);
        probs = logits.clone();
        grad = new float[BATCH * CLASSES];
        labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = rnd.nextInt(CLASSES);
        }
        g = ScalarReference.gaussian(rnd, INPUTS * HIDDEN);
        v = ScalarReference.gaussian(rnd, INPUTS * HIDDEN);
        w = ScalarReference.gaussian(rnd, INPUTS * HIDDEN);
        pixels = new byte[BATCH * INPUTS];
        rnd.nextBytes(pixels);
        images = new float[BATCH * INPUTS];
        gZero = g.clone();
        vFlush = v.clone();
        for (int i = 0; i < gZero.length; i += 10) {
            gZero[i] = 0f;
            vFlush[i] = 1.5f * Float.MIN_NORMAL;
        }
        vNoFlush = vFlush.clone();
        wTiny = w.clone();
        checkAgreement();
        System.err.println("kernels: " + Kernels.describe());
    }

    /** Scalar and vector must agree before anything is timed: bit for bit, or to rounding for softmax and the loss. */
    private void checkAgreement() {
        float[] a = act.clone();
        float[] b = act.clone();
        SCALAR.addRowBias(BATCH, HIDDEN, bias, 0, a, 0, HIDDEN);
        VECTOR.addRowBias(BATCH, HIDDEN, bias, 0, b, 0, HIDDEN);
        same("addRowBias", a, b, 0);
        SCALAR.relu(a.length, act, 0, a, 0);
        VECTOR.relu(b.length, act, 0, b, 0);
        same("relu", a, b, 0);
        SCALAR.reluBackward(a.length, act, 0, dy, 0, a, 0);
        VECTOR.reluBackward(b.length, act, 0, dy, 0, b, 0);
        same("reluBackward", a, b, 0);
        float[] sa = new float[HIDDEN];
        float[] sb = new float[HIDDEN];
        SCALAR.columnSums(BATCH, HIDDEN, 1f / BATCH, dy, 0, HIDDEN, 0f, sa, 0);
        VECTOR.columnSums(BATCH, HIDDEN, 1f / BATCH, dy, 0, HIDDEN, 0f, sb, 0);
        same("columnSums", sa, sb, 0);
        float[] pa = logits.clone();
        float[] pb = logits.clone();
        float[] pc = logits.clone();
        SCALAR.softmaxRows(BATCH, CLASSES, pa, 0, CLASSES);
        VECTOR.softmaxRows(BATCH, CLASSES, pb, 0, CLASSES);
        softmaxLanewiseExp(BATCH, CLASSES, pc);
        same("softmaxRows", pa, pb, 1e-6f);
        same("softmaxRows (lanewise EXP)", pa, pc, 1e-6f);
        double la = SCALAR.softmaxCrossEntropy(BATCH, CLASSES, logits, 0, CLASSES, labels, 0, 1f / BATCH,
                pa, 0, CLASSES);
        double lb = VECTOR.softmaxCrossEntropy(BATCH, CLASSES, logits, 0, CLASSES, labels, 0, 1f / BATCH,
                pb, 0, CLASSES);
        same("softmaxCrossEntropy gradient", pa, pb, 1e-8f);
        if (Math.abs(la - lb) > 1e-4 * Math.abs(la)) {
            throw new IllegalStateException("softmaxCrossEntropy loss: scalar " + la + ", vector " + lb);
        }
        float[] va = v.clone();
        float[] vb = v.clone();
        float[] wa = w.clone();
        float[] wb = w.clone();
        SCALAR.momentumEma(g.length, 0.5f, 0.9f, g, 0, va, 0, wa, 0);
        VECTOR.momentumEma(g.length, 0.5f, 0.9f, g, 0, vb, 0, wb, 0);
        same("momentumEma v", va, vb, 0);
        same("momentumEma w", wa, wb, 0);
        float[] fa = new float[images.length];
        float[] fb = new float[images.length];
        SCALAR.unsignedBytesToFloats(pixels.length, 1f / 255f, pixels, 0, fa, 0);
        VECTOR.unsignedBytesToFloats(pixels.length, 1f / 255f, pixels, 0, fb, 0);
        same("unsignedBytesToFloats", fa, fb, 0);
    }

    private static void same(String what, float[] a, float[] b, float tolerance) {
        for (int i = 0; i < a.length; i++) {
            boolean ok = tolerance == 0 ? Float.floatToIntBits(a[i]) == Float.floatToIntBits(b[i])
                    : Math.abs(a[i] - b[i]) <= tolerance;
            if (!ok) {
                throw new IllegalStateException(
                        what + ": scalar and vector differ at " + i + ": " + a[i] + " vs " + b[i]);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ benchmarks

    @Benchmark
    public void addRowBias_scalar() {
        SCALAR.addRowBias(BATCH, HIDDEN, bias, 0, out, 0, HIDDEN);
    }

    @Benchmark
    public void addRowBias_vector() {
        VECTOR.addRowBias(BATCH, HIDDEN, bias, 0, out, 0, HIDDEN);
    }

    @Benchmark
    public void relu_scalar() {
        SCALAR.relu(act.length, act, 0, out, 0);
    }

    @Benchmark
    public void relu_vector() {
        VECTOR.relu(act.length, act, 0, out, 0);
    }

    @Benchmark
    public void reluBackward_scalar() {
        SCALAR.reluBackward(act.length, act, 0, dy, 0, out, 0);
    }

    @Benchmark
    public void reluBackward_vector() {
        VECTOR.reluBackward(act.length, act, 0, dy, 0, out, 0);
    }

    @Benchmark
    public void columnSums_scalar() {
        SCALAR.columnSums(BATCH, HIDDEN, 1f / BATCH, dy, 0, HIDDEN, 0f, sums, 0);
    }

    @Benchmark
    public void columnSums_vector() {
        VECTOR.columnSums(BATCH, HIDDEN, 1f / BATCH, dy, 0, HIDDEN, 0f, sums, 0);
    }

    @Benchmark
    public void softmaxRows_scalar() {
        SCALAR.softmaxRows(BATCH, CLASSES, probs, 0, CLASSES);
    }

    @Benchmark
    public void softmaxRows_vector() {
        VECTOR.softmaxRows(BATCH, CLASSES, probs, 0, CLASSES);
    }

    @Benchmark
    public void softmaxRows_vectorLanewiseExp() {
        softmaxLanewiseExp(BATCH, CLASSES, probs);
    }

    @Benchmark
    public double softmaxCrossEntropy_scalar() {
        return SCALAR.softmaxCrossEntropy(BATCH, CLASSES, logits, 0, CLASSES, labels, 0, 1f / BATCH,
                grad, 0, CLASSES);
    }

    @Benchmark
    public double softmaxCrossEntropy_vector() {
        return VECTOR.softmaxCrossEntropy(BATCH, CLASSES, logits, 0, CLASSES, labels, 0, 1f / BATCH,
                grad, 0, CLASSES);
    }

    @Benchmark
    public void momentumEma_scalar() {
        SCALAR.momentumEma(g.length, 1e-3f, 0.9f, g, 0, v, 0, w, 0);
    }

    @Benchmark
    public void momentumEma_vector() {
        VECTOR.momentumEma(g.length, 1e-3f, 0.9f, g, 0, v, 0, w, 0);
    }

    @Benchmark
    public void unsignedBytesToFloats_scalar() {
        SCALAR.unsignedBytesToFloats(pixels.length, 1f / 255f, pixels, 0, images, 0);
    }

    @Benchmark
    public void unsignedBytesToFloats_vector() {
        VECTOR.unsignedBytesToFloats(pixels.length, 1f / 255f, pixels, 0, images, 0);
    }

    @Benchmark
    public void momentumEma_subnormalState() {
        VECTOR.momentumEma(gZero.length, 1e-3f, 0.9f, gZero, 0, vFlush, 0, wTiny, 0);
    }

    @Benchmark
    public void emaWithoutFlush_subnormalState() {
        emaWithoutFlush(gZero.length, 1e-3f, 0.9f, gZero, vNoFlush, wTiny);
    }

    /** The vector momentum update as it was before the flush: v = β·v + (1 − β)·g; w −= α·v. */
    static void emaWithoutFlush(int n, float alpha, float beta, float[] g, float[] v, float[] w) {
        float oneMinusBeta = 1f - beta;
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector vi = FloatVector.fromArray(SPECIES, v, i).mul(beta)
                    .add(FloatVector.fromArray(SPECIES, g, i).mul(oneMinusBeta));
            vi.intoArray(v, i);
            FloatVector.fromArray(SPECIES, w, i).sub(vi.mul(alpha)).intoArray(w, i);
        }
        for (; i < n; i++) {
            float vi = beta * v[i] + oneMinusBeta * g[i];
            v[i] = vi;
            w[i] -= alpha * vi;
        }
    }

    // --------------------------------------------------------------------------------------------- the exp alternative

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /**
     * The vector softmax's three passes on a packed m×n block (ld = n), with exp by {@code lanewise(EXP)} over the
     * block and {@link Math#exp} in the tail: subtract each row's max, exp, divide by each row's sum.
     */
    static void softmaxLanewiseExp(int m, int n, float[] x) {
        for (int i = 0; i < m; i++) {
            int r = i * n;
            float max = x[r];
            for (int j = 1; j < n; j++) {
                max = Math.max(max, x[r + j]);
            }
            for (int j = 0; j < n; j++) {
                x[r + j] -= max;
            }
        }
        int len = m * n;
        int bound = SPECIES.loopBound(len);
        int p = 0;
        for (; p < bound; p += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, p).lanewise(VectorOperators.EXP).intoArray(x, p);
        }
        for (; p < len; p++) {
            x[p] = (float) Math.exp(x[p]);
        }
        for (int i = 0; i < m; i++) {
            int r = i * n;
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                sum += x[r + j];
            }
            float inv = 1f / sum;
            for (int j = 0; j < n; j++) {
                x[r + j] *= inv;
            }
        }
    }
}
