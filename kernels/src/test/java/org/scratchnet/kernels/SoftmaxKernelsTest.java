package org.scratchnet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchnet.kernels.TestData.IMPLEMENTATIONS;
import static org.scratchnet.kernels.TestData.U;
import static org.scratchnet.kernels.TestData.assertNear;
import static org.scratchnet.kernels.TestData.sizes;
import static org.scratchnet.kernels.TestData.FACADE_TAG;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Softmax, the fused softmax + cross-entropy, argmax and the vector backend's polynomial exp: known answers through
 * {@link Kernels}, extremes, then each implementation ({@link TestData#IMPLEMENTATIONS}) against a double-precision
 * reference with tolerances scaled by the row length, and argmax's two implementations against each other.
 */
class SoftmaxKernelsTest {

    // ------------------------------------------------------------------------------------------------ known answers

    @Test
    @Tag(FACADE_TAG)
    void softmaxKnownAnswer() {
        // rows [1, 1] and [0, ln 3] with ld = 3: [1/2, 1/2] and [1/4, 3/4]; the padding is left alone
        float[] x = {1, 1, 42, 0, (float) Math.log(3), 42};
        Kernels.softmaxRows(2, 2, x, 0, 3);
        assertArrayEquals(new float[] {0.5f, 0.5f, 42, 0.25f, 0.75f, 42}, x, 2e-7f);
    }

    @Test
    @Tag(FACADE_TAG)
    void softmaxCrossEntropyKnownAnswer() {
        // row 0: z = [0, 0], label 1: P = [1/2, 1/2], loss ln 2, G = scale·[1/2, −1/2]
        // row 1: z = [ln 3, 0], label 0: P = [3/4, 1/4], loss ln(4/3), G = scale·[−1/4, 1/4]
        float[] z = {0, 0, (float) Math.log(3), 0};
        float[] g = new float[4];
        double loss = Kernels.softmaxCrossEntropy(2, 2, z, 0, 2, new int[] {1, 0}, 0, 0.5f, g, 0, 2);
        assertEquals(Math.log(2) + Math.log(4.0 / 3), loss, 1e-6);
        assertArrayEquals(new float[] {0.25f, -0.25f, -0.125f, 0.125f}, g, 1e-7f);
        assertArrayEquals(new float[] {0, 0, (float) Math.log(3), 0}, z, "Z is not modified");
    }

    @Test
    void rowLossesAddUpToTheSumBitForBitAndASplitBatchGivesTheSameRows() {
        Random rnd = new Random(12);
        int m = 37;
        int n = 10;
        float[] z = new float[m * n];
        int[] labels = new int[m];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextGaussian() * 3;
        }
        for (int i = 0; i < m; i++) {
            labels[i] = rnd.nextInt(n);
        }
        for (KernelImplementation impl : IMPLEMENTATIONS) {
            double[] rows = new double[m + 2];
            float[] g = new float[m * n];
            double sum = impl.softmaxCrossEntropy(m, n, z, 0, n, labels, 0, 1f / m, g, 0, n, rows, 1);
            double added = 0;
            for (int i = 0; i < m; i++) {
                added += rows[1 + i];
            }
            assertEquals(sum, added, 0.0, impl.backend() + ": row losses in order add up to the sum");
            assertEquals(0.0, rows[0], 0.0, impl.backend() + ": nothing written before the offset");
            // the same rows in two calls (a batch split 20 + 17) give the same row losses and gradients
            double[] split = new double[m + 2];
            float[] g2 = new float[m * n];
            Kernels.softmaxCrossEntropy(20, n, z, 0, n, labels, 0, 1f / m, g2, 0, n, split, 1);
            Kernels.softmaxCrossEntropy(m - 20, n, z, 20 * n, n, labels, 20, 1f / m, g2, 20 * n, n, split, 21);
            double[] whole = new double[m + 2];
            float[] g3 = new float[m * n];
            Kernels.softmaxCrossEntropy(m, n, z, 0, n, labels, 0, 1f / m, g3, 0, n, whole, 1);
            assertArrayEquals(whole, split, 0.0);
            TestData.assertSameBits(g3, g2, "gradient of a split batch");
        }
        assertThrows(IllegalArgumentException.class,
                () -> Kernels.softmaxCrossEntropy(2, 2, new float[4], 0, 2, new int[2], 0, 1f, new float[4], 0, 2,
                        new double[2], 1));
    }

    @Test
    @Tag(FACADE_TAG)
    void argmaxKnownAnswers() {
        float nan = Float.NaN;
        float[] x = {
                1, 3, 3, 2,                  // tie: the first 3
                nan, 1, nan, 2,              // NaN never wins
                nan, nan, nan, nan,          // all NaN: 0
                Float.NEGATIVE_INFINITY, nan, Float.NEGATIVE_INFINITY, -5,
        };
        int[] out = new int[5];
        Kernels.argmaxRows(4, 4, x, 0, 4, out, 1);
        assertArrayEquals(new int[] {0, 1, 3, 0, 3}, out);
    }

    // ------------------------------------------------------------------------------------------------ extremes

    @Test
    void hugeLogitsGiveFiniteProbabilitiesThatSumToOne() {
        int n = 10;
        float[] x = new float[3 * n];
        Random rnd = new Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextBoolean() ? 1e4f : -1e4f;
        }
        x[2 * n + 4] = 1e4f + 100;
        for (KernelImplementation impl : IMPLEMENTATIONS) {
            float[] p = x.clone();
            impl.softmaxRows(3, n, p, 0, n);
            for (int i = 0; i < 3; i++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    assertTrue(Float.isFinite(p[i * n + j]) && p[i * n + j] >= 0, "p is a finite probability");
                    sum += p[i * n + j];
                }
                assertNear(1, sum, 2 * n * U, impl.backend() + " row " + i + " sum");
            }
            assertNear(1, p[2 * n + 4], 4 * U, impl.backend() + ": the row with a single maximum puts all mass on it");
        }
    }

    @Test
    void lossOfAZeroProbabilityIsClampedAndFinite() {
        float[] z = {1e4f, -1e4f, 0f, 3f};
        double clamped = -Math.log(Kernels.LOG_CLAMP);
        for (KernelImplementation impl : IMPLEMENTATIONS) {
            float[] g = new float[4];
            double loss = impl.softmaxCrossEntropy(1, 4, z, 0, 4, new int[] {1}, 0, 1f, g, 0, 4);
            assertEquals(clamped, loss, 1e-9, impl.backend() + " loss");
            assertArrayEquals(new float[] {1, -1, 0, 0}, g, 1e-30f, impl.backend() + " gradient");
        }
    }

    @Test
    void polynomialExp() {
        Random rnd = new Random(8);
        assertEquals(1f, VectorKernels.exp(0f));
        assertTrue(Float.isNaN(VectorKernels.exp(Float.NaN)));
        float tiny = VectorKernels.exp(-1e4f);
        assertTrue(tiny > 0 && tiny < 2e-38f, "exp(−1e4) is clamped to a tiny normal float, got " + tiny);
        assertTrue(Float.isFinite(VectorKernels.exp(1e4f)));
        for (int i = 0; i < 100_000; i++) {
            float x = -87f + rnd.nextFloat() * 175f;
            double ref = Math.exp(x);
            assertNear(ref, VectorKernels.exp(x), 3 * U * ref, "exp(" + x + ")");
        }
    }

    /**
     * The polynomial exp's largest relative error against {@code Math.exp} over every 256th float of [−87, 88] (both
     * signs, about 9 million points), printed to stderr: the figure of docs/decisions/0001-polynomial-exp.md.
     */
    @Test
    void polynomialExpErrorOverASweepOfFloats() {
        double worst = 0;
        float worstAt = 0;
        for (float limit : new float[] {88f, -87f}) {
            int top = Float.floatToRawIntBits(Math.abs(limit));
            for (int bits = 0; bits <= top; bits += 256) {
                float x = Math.copySign(Float.intBitsToFloat(bits), limit);
                double ref = Math.exp(x);
                double err = Math.abs(VectorKernels.exp(x) - ref) / ref;
                if (err > worst) {
                    worst = err;
                    worstAt = x;
                }
            }
        }
        System.err.printf("polynomial exp: largest relative error %.3g = %.3f·2^-24 (at x = %s), every 256th float "
                + "of [-87, 88]%n", worst, worst / U, worstAt);
        assertTrue(worst <= 2 * U, "relative error " + worst / U + "·2^-24 at x = " + worstAt);
    }

    // ------------------------------------------------------------------------------------------------ differential

    @Test
    void softmaxRowsAgainstReference() {
        Random rnd = new Random(9);
        for (int n : sizes()) {
            if (n == 0) {
                continue;
            }
            for (int m : new int[] {1, 5}) {
                for (int pad : new int[] {0, 3}) {
                    int ld = n + pad;
                    int off = 1;
                    float[] x = new float[off + m * ld + 2];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) rnd.nextGaussian() * 4f;
                    }
                    for (KernelImplementation impl : IMPLEMENTATIONS) {
                        String at = impl.backend() + " m=" + m + " n=" + n + " ld=" + ld;
                        float[] p = x.clone();
                        impl.softmaxRows(m, n, p, off, ld);
                        for (int i = 0; i < x.length; i++) {
                            int col = (i - off) % ld;
                            if (i < off || i >= off + m * ld || col >= n) {
                                assertEquals(x[i], p[i], at + ": element " + i + " outside the matrix was written");
                            }
                        }
                        for (int i = 0; i < m; i++) {
                            double[] ref = softmax(x, off + i * ld, n);
                            double sum = 0;
                            for (int j = 0; j < n; j++) {
                                float pj = p[off + i * ld + j];
                                assertNear(ref[j], pj, (n + 10) * U * ref[j] + 1e-37, at + " [" + i + "][" + j + "]");
                                sum += pj;
                            }
                            assertNear(1, sum, (2 * n + 10) * U, at + " row " + i + " sum");
                        }
                    }
                }
            }
        }
    }

    @Test
    void softmaxDoesNotDependOnTheLayout() {
        // the vector implementation runs exp over the block as one stretch when ld == n, row by row when ld > n; the
        // same numbers in another position (vector lane or scalar tail) must give the same bits, so the tail's exp is
        // the lanes' exp. The scalar implementation must not depend on the layout either.
        Random rnd = new Random(10);
        for (int n : new int[] {1, 3, 10, TestData.VECTOR.lanes() + 1, 37}) {
            int m = 7;
            float[] packed = new float[m * n];
            float[] padded = new float[m * (n + 2)];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float v = (float) rnd.nextGaussian() * 5f;
                    packed[i * n + j] = v;
                    padded[i * (n + 2) + j] = v;
                }
            }
            for (KernelImplementation impl : IMPLEMENTATIONS) {
                float[] p = packed.clone();
                float[] q = padded.clone();
                impl.softmaxRows(m, n, p, 0, n);
                impl.softmaxRows(m, n, q, 0, n + 2);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(Float.floatToIntBits(p[i * n + j]), Float.floatToIntBits(q[i * (n + 2) + j]),
                                impl.backend() + " n=" + n + " [" + i + "][" + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void softmaxCrossEntropyAgainstReference() {
        Random rnd = new Random(11);
        for (int n : sizes()) {
            if (n == 0) {
                continue;
            }
            for (int m : new int[] {1, 6}) {
                for (int pad : new int[] {0, 2}) {
                    int ld = n + pad;
                    float[] z = new float[2 + m * ld];
                    for (int i = 0; i < z.length; i++) {
                        z[i] = (float) rnd.nextGaussian() * 3f;
                    }
                    int[] labels = new int[m + 1];
                    for (int i = 0; i < labels.length; i++) {
                        labels[i] = rnd.nextInt(n);
                    }
                    float scale = 1f / m;
                    double lossRef = 0;
                    double[][] gRef = new double[m][];
                    for (int i = 0; i < m; i++) {
                        double[] p = softmax(z, 2 + i * ld, n);
                        lossRef -= Math.log(Math.max(p[labels[1 + i]], Kernels.LOG_CLAMP));
                        for (int j = 0; j < n; j++) {
                            p[j] = scale * (p[j] - (j == labels[1 + i] ? 1 : 0));
                        }
                        gRef[i] = p;
                    }
                    for (KernelImplementation impl : IMPLEMENTATIONS) {
                        String at = impl.backend() + " m=" + m + " n=" + n + " ld=" + ld;
                        float[] g = new float[1 + m * ld];
                        double loss = impl.softmaxCrossEntropy(m, n, z, 2, ld, labels, 1, scale, g, 1, ld);
                        assertNear(lossRef, loss, m * (n + 10) * U * 2 + U * lossRef, at + " loss");
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double ref = gRef[i][j];
                                assertNear(ref, g[1 + i * ld + j],
                                        scale * ((n + 10) * U * (Math.abs(ref / scale) + 1) + 2 * U),
                                        at + " G[" + i + "][" + j + "]");
                            }
                        }
                        // in place (G = Z at the same offset) gives the same bits as out of place
                        float[] zg = z.clone();
                        double lossInPlace = impl.softmaxCrossEntropy(m, n, zg, 2, ld, labels, 1, scale, zg, 2, ld);
                        assertEquals(loss, lossInPlace, at + " loss in place");
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                assertEquals(g[1 + i * ld + j], zg[2 + i * ld + j],
                                        at + " in place [" + i + "][" + j + "]");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void argmaxVectorMatchesScalarAndReference() {
        Random rnd = new Random(12);
        float[] values = {-2, -1, 0, 1, 2, Float.NaN, Float.NEGATIVE_INFINITY, -0f};
        for (int n : sizes()) {
            if (n == 0) {
                continue;
            }
            int m = 9;
            int ld = n + 1;
            float[] x = new float[3 + m * ld];
            for (int i = 0; i < x.length; i++) {
                x[i] = values[rnd.nextInt(values.length)];
            }
            // a row of NaNs, a row whose maximum sits in the tail, past every vector, and a row of negative numbers
            for (int j = 0; j < n; j++) {
                x[3 + j] = Float.NaN;
                x[3 + ld + j] = -3;
                x[3 + 2 * ld + j] = -7 - j % 3;
            }
            x[3 + ld + n - 1] = 5;
            x[3 + 2 * ld + n / 2] = -6;
            int[][] out = new int[IMPLEMENTATIONS.size()][];
            for (int r = 0; r < out.length; r++) {
                KernelImplementation impl = IMPLEMENTATIONS.get(r);
                out[r] = new int[m];
                impl.argmaxRows(m, n, x, 3, ld, out[r], 0);
                for (int i = 0; i < m; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    int ref = -1;
                    for (int j = 0; j < n; j++) {
                        float v = x[3 + i * ld + j];
                        if (!Float.isNaN(v) && (ref < 0 || v > max)) {
                            max = v;
                            ref = j;
                        }
                    }
                    assertEquals(Math.max(ref, 0), out[r][i], "argmax reference " + impl.backend() + ", n=" + n
                            + " row " + i);
                }
            }
            assertArrayEquals(out[0], out[1], "argmax vector vs scalar, n=" + n);
        }
    }

    private static double[] softmax(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int j = 0; j < n; j++) {
            p[j] = Math.exp(x[off + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < n; j++) {
            p[j] /= sum;
        }
        return p;
    }
}
