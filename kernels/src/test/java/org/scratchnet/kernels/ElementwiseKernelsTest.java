package org.scratchnet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.scratchnet.kernels.TestData.IMPLEMENTATIONS;
import static org.scratchnet.kernels.TestData.OFFSETS;
import static org.scratchnet.kernels.TestData.SCALAR;
import static org.scratchnet.kernels.TestData.U;
import static org.scratchnet.kernels.TestData.assertNear;
import static org.scratchnet.kernels.TestData.assertSameBits;
import static org.scratchnet.kernels.TestData.gaussian;
import static org.scratchnet.kernels.TestData.sizes;
import static org.scratchnet.kernels.TestData.FACADE_TAG;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bias add, column sums, ReLU, axpy, multiply and the optimiser updates: known answers through {@link Kernels} (the
 * backend this JVM picked), then each implementation ({@link TestData#IMPLEMENTATIONS}, called directly, so both are
 * tested whichever backend is picked) against a double-precision reference and the two against each other bit for bit
 * (bit equality also shows that no fma contraction crept in), over tail-hitting sizes, non-zero offsets and leading
 * dimensions > the row.
 */
class ElementwiseKernelsTest {

    private static final float GUARD = 7.25f;

    // ------------------------------------------------------------------------------------------------ known answers

    @Test
    @Tag(FACADE_TAG)
    void knownAnswers() {
        float[] c = {1, 2, 3, 99, 4, 5, 6, 99};
        Kernels.addRowBias(2, 3, new float[] {0, 10, 20, 30}, 1, c, 0, 4);
        assertArrayEquals(new float[] {11, 22, 33, 99, 14, 25, 36, 99}, c);

        float[] out = {1, 1, 1};
        Kernels.columnSums(2, 3, 0.5f, new float[] {1, 2, 3, -1, 4, 5, 6, -1}, 0, 4, 2f, out, 0);
        assertArrayEquals(new float[] {4.5f, 5.5f, 6.5f}, out);
        float[] nanOut = {Float.NaN, Float.NaN, Float.NaN};
        Kernels.columnSums(2, 3, 1f, new float[] {1, 2, 3, 4, 5, 6}, 0, 3, 0f, nanOut, 0);
        assertArrayEquals(new float[] {5, 7, 9}, nanOut, "beta = 0 must not read out");

        float[] y = new float[5];
        Kernels.relu(5, new float[] {-1, 0, 2, -0f, Float.NaN}, 0, y, 0);
        assertArrayEquals(new float[] {0, 0, 2, 0, Float.NaN}, y);
        assertEquals(0, Float.floatToRawIntBits(y[3]), "relu(−0) is +0");

        float[] dx = new float[4];
        Kernels.reluBackward(4, new float[] {-1, 0, 2, Float.NaN}, 0, new float[] {1, 2, 3, 4}, 0, dx, 0);
        assertArrayEquals(new float[] {0, 0, 3, 0}, dx);

        float[] ay = {1, 2};
        Kernels.axpy(2, 2f, new float[] {3, 4}, 0, ay, 0);
        assertArrayEquals(new float[] {7, 10}, ay);

        float[] prod = new float[3];
        Kernels.multiply(3, new float[] {1, 2, 3}, 0, new float[] {4, 5, -6}, 0, prod, 0);
        assertArrayEquals(new float[] {4, 10, -18}, prod);

        float[] w = {1, 2};
        Kernels.sgd(2, 0.25f, new float[] {0.5f, 1}, 0, w, 0);
        assertArrayEquals(new float[] {0.875f, 1.75f}, w);
    }

    @Test
    @Tag(FACADE_TAG)
    void knownAnswersOptimisers() {
        // EMA: v = 0.5·1 + 0.5·3 = 2; w = 4 − 0.25·2 = 3.5 (all exact in float)
        float[] v = {1};
        float[] w = {4};
        Kernels.momentumEma(1, 0.25f, 0.5f, new float[] {3}, 0, v, 0, w, 0);
        assertEquals(2f, v[0]);
        assertEquals(3.5f, w[0]);
        // classical: v = 0.5·2 + 3 = 4; w = 4 − 0.25·4 = 3
        v[0] = 2;
        w[0] = 4;
        Kernels.momentumClassical(1, 0.25f, 0.5f, new float[] {3}, 0, v, 0, w, 0);
        assertEquals(4f, v[0]);
        assertEquals(3f, w[0]);
        // Nesterov: v = 0.5·2 + 3 = 4; w = 4 − 0.25·(3 + 0.5·4) = 2.75
        v[0] = 2;
        w[0] = 4;
        Kernels.momentumNesterov(1, 0.25f, 0.5f, new float[] {3}, 0, v, 0, w, 0);
        assertEquals(4f, v[0]);
        assertEquals(2.75f, w[0]);
        // Adam: m = 0.5·0 + 0.5·2 = 1; v = 0.75·0 + 0.25·4 = 1; w = 1 − 0.5·1/(1 + 0) = 0.5
        float[] m = {0};
        v[0] = 0;
        w[0] = 1;
        Kernels.adam(1, 0.5f, 0.5f, 0.75f, 0f, new float[] {2}, 0, m, 0, v, 0, w, 0);
        assertEquals(1f, m[0]);
        assertEquals(1f, v[0]);
        assertEquals(0.5f, w[0]);
    }

    @Test
    void optimiserStateBelowTheSmallestNormalFloatIsFlushedToZero() {
        float tiny = Float.MIN_NORMAL / 4;          // subnormal
        for (KernelImplementation impl : IMPLEMENTATIONS) {
            for (int n : sizes()) {
                int off = 3;
                int len = off + n + 2;
                // v holds, in turn: a subnormal, minus a subnormal, the smallest normal, minus it, a normal value
                float[] init = {tiny, -tiny, Float.MIN_NORMAL / 0.5f, -Float.MIN_NORMAL / 0.5f, 0.25f};
                float[] v = new float[len];
                float[] m = new float[len];
                for (int i = 0; i < len; i++) {
                    v[i] = init[i % init.length];
                    m[i] = init[(i + 1) % init.length];
                }
                float[] g = new float[len];
                for (int kind = 1; kind < 5; kind++) {
                    float[] s1 = (kind == 4 ? m : v).clone();
                    float[] s2 = v.clone();
                    float[] w = new float[len];
                    java.util.Arrays.fill(w, 1f);
                    // beta 0.5 and a zero gradient: the state halves; Adam's second moment gets beta2 = 0.5 too
                    float[] g0 = g.clone();
                    switch (kind) {
                        case 1 -> impl.momentumEma(n, 0.1f, 0.5f, g0, off, s1, off, w, off);
                        case 2 -> impl.momentumClassical(n, 0.1f, 0.5f, g0, off, s1, off, w, off);
                        case 3 -> impl.momentumNesterov(n, 0.1f, 0.5f, g0, off, s1, off, w, off);
                        default -> impl.adam(n, 0.1f, 0.5f, 0.5f, 1e-8f, g0, off, s1, off, s2, off, w, off);
                    }
                    float[] before = kind == 4 ? m : v;
                    for (int i = 0; i < len; i++) {
                        boolean inside = i >= off && i < off + n;
                        float expected = !inside ? before[i] : Math.abs(before[i] * 0.5f) < Float.MIN_NORMAL
                                ? 0f : before[i] * 0.5f;
                        String at = impl.backend() + " kind " + kind + " n=" + n + " i=" + i;
                        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(s1[i]), at
                                + ": state " + s1[i] + ", expected " + expected);
                        if (kind == 4 && inside) {
                            float vHalf = v[i] * 0.5f;
                            float vExpected = Math.abs(vHalf) < Float.MIN_NORMAL ? 0f : vHalf;
                            assertEquals(Float.floatToRawIntBits(vExpected), Float.floatToRawIntBits(s2[i]),
                                    at + ": second moment");
                        }
                    }
                }
            }
        }
    }

    @Test
    void unsignedBytesToFloatsReadsBytesAs0To255() {
        byte[] b = {0, 1, 127, -128, -1, 5};
        float[] y = new float[7];
        Kernels.unsignedBytesToFloats(5, 0.5f, b, 1, y, 2);
        assertArrayEquals(new float[] {0, 0, 0.5f, 63.5f, 64f, 127.5f, 2.5f}, y);
        Random rnd = new Random(404);
        for (int n : sizes()) {
            for (int off : OFFSETS) {
                byte[] x = new byte[off + n + 5];
                rnd.nextBytes(x);
                float[][] out = new float[IMPLEMENTATIONS.size()][];
                for (int r = 0; r < out.length; r++) {
                    KernelImplementation impl = IMPLEMENTATIONS.get(r);
                    out[r] = guarded(new float[off + n + 4], off, 0);
                    impl.unsignedBytesToFloats(n, 1f / 255f, x, off + 1, out[r], off);
                    String at = impl.backend() + " n=" + n + " off=" + off;
                    assertGuards(out[r], off, n, "unsignedBytesToFloats " + at);
                    for (int i = 0; i < n; i++) {
                        assertEquals((x[off + 1 + i] & 0xFF) * (1f / 255f), out[r][off + i],
                                "reference " + at + " i=" + i);
                    }
                }
                assertSameBits(out[0], out[1], "unsignedBytesToFloats vector vs scalar n=" + n + " off=" + off);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ differential

    /** A copy of {@code x} with [off, off+n) kept and everything else set to {@link #GUARD}. */
    private static float[] guarded(float[] x, int off, int n) {
        float[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            if (i < off || i >= off + n) {
                y[i] = GUARD;
            }
        }
        return y;
    }

    private static void assertGuards(float[] x, int off, int n, String what) {
        for (int i = 0; i < x.length; i++) {
            if ((i < off || i >= off + n) && x[i] != GUARD) {
                throw new AssertionError(what + ": element " + i + " outside [" + off + ", " + (off + n)
                        + ") was written: " + x[i]);
            }
        }
    }

    @Test
    void reluAndReluBackward() {
        Random rnd = new Random(101);
        for (int n : sizes()) {
            for (int off : OFFSETS) {
                String at = "n=" + n + " off=" + off;
                float[] x = guarded(gaussian(rnd, off + n + 3, 1f), off, n);
                if (n > 2) {
                    x[off + n / 2] = Float.NaN;
                }
                float[] dy = guarded(gaussian(rnd, x.length, 2f), off, n);
                float[][] y = new float[IMPLEMENTATIONS.size()][];
                float[][] dx = new float[IMPLEMENTATIONS.size()][];
                for (int r = 0; r < y.length; r++) {
                    KernelImplementation impl = IMPLEMENTATIONS.get(r);
                    String in = impl.backend() + " " + at;
                    y[r] = guarded(new float[x.length], off, 0);
                    impl.relu(n, x, off, y[r], off);
                    assertGuards(y[r], off, n, "relu " + in);
                    for (int i = off; i < off + n; i++) {
                        float expected = Float.isNaN(x[i]) ? Float.NaN : x[i] > 0 ? x[i] : 0f;
                        assertSameBits(new float[] {expected}, new float[] {y[r][i]},
                                "relu reference " + in + " i=" + i);
                    }
                    float[] inPlace = x.clone();
                    impl.relu(n, inPlace, off, inPlace, off);
                    assertSameBits(y[r], inPlace, "relu in place " + in);

                    dx[r] = dy.clone();
                    impl.reluBackward(n, x, off, dy, off, dx[r], off);
                    float[] dxInPlace = dy.clone();
                    impl.reluBackward(n, x, off, dxInPlace, off, dxInPlace, off);
                    assertSameBits(dx[r], dxInPlace, "reluBackward in place " + in);
                    for (int i = off; i < off + n; i++) {
                        assertEquals(x[i] > 0 ? dy[i] : 0f, dx[r][i], "reluBackward reference " + in + " i=" + i);
                    }
                }
                assertSameBits(y[0], y[1], "relu vector vs scalar " + at);
                assertSameBits(dx[0], dx[1], "reluBackward vector vs scalar " + at);
            }
        }
    }

    @Test
    void addRowBiasAndColumnSums() {
        Random rnd = new Random(202);
        for (int n : sizes()) {
            for (int m : new int[] {1, 3, 17}) {
                for (int pad : new int[] {0, 5}) {
                    int ld = Math.max(1, n + pad);
                    int off = 2;
                    String at = "m=" + m + " n=" + n + " ld=" + ld;
                    float[] bias = gaussian(rnd, n + 1, 1f);
                    float[] c = gaussian(rnd, off + m * ld + 1, 3f);
                    float[][] cs = new float[IMPLEMENTATIONS.size()][];
                    for (int r = 0; r < cs.length; r++) {
                        KernelImplementation impl = IMPLEMENTATIONS.get(r);
                        cs[r] = c.clone();
                        impl.addRowBias(m, n, bias, 1, cs[r], off, ld);
                        for (int i = 0; i < c.length; i++) {
                            int col = (i - off) % ld;
                            boolean inside = i >= off && i < off + m * ld && col < n;
                            assertEquals(inside ? c[i] + bias[1 + col] : c[i], cs[r][i],
                                    "addRowBias reference " + impl.backend() + " " + at);
                        }
                    }
                    assertSameBits(cs[0], cs[1], "addRowBias vector vs scalar " + at);

                    for (float beta : new float[] {0f, 0.5f}) {
                        float alpha = 1f / m;
                        float[] out = gaussian(rnd, n + 4, 1f);
                        float[][] os = new float[IMPLEMENTATIONS.size()][];
                        for (int r = 0; r < os.length; r++) {
                            KernelImplementation impl = IMPLEMENTATIONS.get(r);
                            os[r] = out.clone();
                            impl.columnSums(m, n, alpha, c, off, ld, beta, os[r], 4);
                            for (int j = 0; j < n; j++) {
                                double sum = 0;
                                double abs = 0;
                                for (int i = 0; i < m; i++) {
                                    sum += c[off + i * ld + j];
                                    abs += Math.abs(c[off + i * ld + j]);
                                }
                                double ref = alpha * sum + beta * out[4 + j];
                                double tol = (m + 2) * U * (alpha * abs + Math.abs(beta * out[4 + j]));
                                assertNear(ref, os[r][4 + j], tol, "columnSums reference " + impl.backend() + " " + at
                                        + " j=" + j);
                            }
                        }
                        assertSameBits(os[0], os[1], "columnSums vector vs scalar " + at + " beta=" + beta);
                    }
                }
            }
        }
    }

    @Test
    void axpyMultiplySgd() {
        Random rnd = new Random(303);
        for (int n : sizes()) {
            for (int off : OFFSETS) {
                String at = "n=" + n + " off=" + off;
                int len = off + n + 3;
                float[] x = gaussian(rnd, len, 1f);
                float[] y = gaussian(rnd, len, 1f);
                float alpha = 0.37f;
                float[][] ys = new float[IMPLEMENTATIONS.size()][];
                float[][] ws = new float[IMPLEMENTATIONS.size()][];
                float[][] ps = new float[IMPLEMENTATIONS.size()][];
                for (int r = 0; r < ys.length; r++) {
                    KernelImplementation impl = IMPLEMENTATIONS.get(r);
                    String in = impl.backend() + " " + at;
                    ys[r] = y.clone();
                    impl.axpy(n, alpha, x, off, ys[r], off);
                    ws[r] = y.clone();
                    impl.sgd(n, alpha, x, off, ws[r], off);
                    ps[r] = new float[len];
                    impl.multiply(n, x, off, y, off, ps[r], off);
                    float[] pInPlace = x.clone();
                    impl.multiply(n, pInPlace, off, y, off, pInPlace, off);
                    for (int i = 0; i < len; i++) {
                        boolean inside = i >= off && i < off + n;
                        double mag = Math.abs(y[i]) + Math.abs(alpha * x[i]);
                        assertNear(inside ? y[i] + (double) alpha * x[i] : y[i], ys[r][i], 2 * U * mag,
                                "axpy reference " + in);
                        assertNear(inside ? y[i] - (double) alpha * x[i] : y[i], ws[r][i], 2 * U * mag,
                                "sgd reference " + in);
                        if (inside) {
                            assertNear((double) x[i] * y[i], ps[r][i], U * Math.abs((double) x[i] * y[i]),
                                    "multiply " + in);
                            assertSameBits(new float[] {ps[r][i]}, new float[] {pInPlace[i]},
                                    "multiply (out = x) " + in);
                        } else {
                            assertEquals(0f, ps[r][i], "multiply wrote outside the range " + in);
                        }
                    }
                }
                assertSameBits(ys[0], ys[1], "axpy vector vs scalar " + at);
                assertSameBits(ws[0], ws[1], "sgd vector vs scalar " + at);
                assertSameBits(ps[0], ps[1], "multiply vector vs scalar " + at);
            }
        }
    }

    @Test
    void momentumUpdates() {
        Random rnd = new Random(404);
        float alpha = 0.5f;
        float beta = 0.9f;
        for (int n : sizes()) {
            for (int off : OFFSETS) {
                String at = "n=" + n + " off=" + off;
                int len = off + n + 3;
                float[] g = gaussian(rnd, len, 1f);
                float[] v = gaussian(rnd, len, 0.5f);
                float[] w = gaussian(rnd, len, 0.1f);
                for (int kind = 0; kind < 3; kind++) {
                    String name = new String[] {"momentumEma", "momentumClassical", "momentumNesterov"}[kind];
                    float[][] vs = new float[IMPLEMENTATIONS.size()][];
                    float[][] ws = new float[IMPLEMENTATIONS.size()][];
                    for (int r = 0; r < vs.length; r++) {
                        KernelImplementation impl = IMPLEMENTATIONS.get(r);
                        vs[r] = v.clone();
                        ws[r] = w.clone();
                        switch (kind) {
                            case 0 -> impl.momentumEma(n, alpha, beta, g, off, vs[r], off, ws[r], off);
                            case 1 -> impl.momentumClassical(n, alpha, beta, g, off, vs[r], off, ws[r], off);
                            default -> impl.momentumNesterov(n, alpha, beta, g, off, vs[r], off, ws[r], off);
                        }
                        String in = name + " " + impl.backend() + " " + at;
                        for (int i = 0; i < len; i++) {
                            boolean inside = i >= off && i < off + n;
                            double gd = g[i];
                            double vd = v[i];
                            double vRef = kind == 0 ? beta * vd + (1 - (double) beta) * gd : beta * vd + gd;
                            double step = kind == 2 ? gd + beta * vRef : vRef;
                            double mag = Math.abs(beta * vd) + Math.abs(gd);
                            assertNear(inside ? vRef : v[i], vs[r][i], 4 * U * mag, in + " v reference");
                            assertNear(inside ? w[i] - alpha * step : w[i], ws[r][i],
                                    8 * U * (Math.abs(w[i]) + alpha * (mag + Math.abs(step))), in + " w reference");
                        }
                    }
                    assertSameBits(vs[0], vs[1], name + " v vector vs scalar " + at);
                    assertSameBits(ws[0], ws[1], name + " w vector vs scalar " + at);
                }
            }
        }
    }

    /**
     * Updates over at least 2^15 parameters are split across the pool by the vector implementation: with 1, 2 and 3
     * threads (and an odd length and offset, so chunks and the tail are uneven) every update of either implementation
     * must give the one-thread scalar bits. Each update has its own loop, so a split job running another update's loop
     * would show here.
     */
    @Test
    void splitOptimiserUpdatesGiveTheScalarBitsForAnyThreadCount() {
        int saved = Kernels.threads();
        Random rnd = new Random(505);
        int n = 3 * (1 << 15) + 11;
        int off = 3;
        int len = off + n + 2;
        float[] g = gaussian(rnd, len, 1f);
        float[] s1 = gaussian(rnd, len, 0.5f);
        float[] s2 = new float[len];
        for (int i = 0; i < len; i++) {
            s2[i] = Math.abs(gaussian(rnd, 1, 0.5f)[0]);
        }
        float[] w = gaussian(rnd, len, 0.1f);
        try {
            for (int kind = 0; kind < 5; kind++) {
                String name = new String[] {"sgd", "momentumEma", "momentumClassical", "momentumNesterov",
                        "adam"}[kind];
                float[] s1s = s1.clone();
                float[] s2s = s2.clone();
                float[] ws = w.clone();
                Kernels.setThreads(1);
                update(SCALAR, kind, n, off, g, s1s, s2s, ws);
                for (KernelImplementation impl : IMPLEMENTATIONS) {
                    for (int threads : new int[] {1, 2, 3}) {
                        Kernels.setThreads(threads);
                        float[] s1v = s1.clone();
                        float[] s2v = s2.clone();
                        float[] wv = w.clone();
                        update(impl, kind, n, off, g, s1v, s2v, wv);
                        String at = name + ", " + impl.backend() + ", " + threads + " threads";
                        assertSameBits(s1s, s1v, at + ": first state");
                        assertSameBits(s2s, s2v, at + ": second state");
                        assertSameBits(ws, wv, at + ": weights");
                    }
                }
            }
        } finally {
            Kernels.setThreads(saved);
        }
    }

    private static void update(KernelImplementation impl, int kind, int n, int off, float[] g, float[] s1, float[] s2,
                               float[] w) {
        switch (kind) {
            case 0 -> impl.sgd(n, 0.3f, g, off, w, off);
            case 1 -> impl.momentumEma(n, 0.3f, 0.9f, g, off, s1, off, w, off);
            case 2 -> impl.momentumClassical(n, 0.3f, 0.9f, g, off, s1, off, w, off);
            case 3 -> impl.momentumNesterov(n, 0.3f, 0.9f, g, off, s1, off, w, off);
            default -> impl.adam(n, 0.01f, 0.9f, 0.999f, 1e-8f, g, off, s1, off, s2, off, w, off);
        }
    }

    @Test
    void adam() {
        Random rnd = new Random(505);
        float step = 0.01f;
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float eps = 1e-8f;
        for (int n : sizes()) {
            for (int off : OFFSETS) {
                String at = "n=" + n + " off=" + off;
                int len = off + n + 3;
                float[] g = gaussian(rnd, len, 1f);
                float[] m = gaussian(rnd, len, 0.1f);
                float[] v = new float[len];
                for (int i = 0; i < len; i++) {
                    v[i] = rnd.nextFloat() * 0.01f;
                }
                float[] w = gaussian(rnd, len, 0.1f);
                float[][] ms = new float[IMPLEMENTATIONS.size()][];
                float[][] vs = new float[IMPLEMENTATIONS.size()][];
                float[][] ws = new float[IMPLEMENTATIONS.size()][];
                for (int r = 0; r < ms.length; r++) {
                    KernelImplementation impl = IMPLEMENTATIONS.get(r);
                    String in = impl.backend() + " " + at;
                    ms[r] = m.clone();
                    vs[r] = v.clone();
                    ws[r] = w.clone();
                    impl.adam(n, step, beta1, beta2, eps, g, off, ms[r], off, vs[r], off, ws[r], off);
                    for (int i = off; i < off + n; i++) {
                        double mRef = beta1 * (double) m[i] + (1 - (double) beta1) * g[i];
                        double vRef = beta2 * (double) v[i] + (1 - (double) beta2) * g[i] * g[i];
                        double upd = step * mRef / (Math.sqrt(vRef) + eps);
                        assertNear(mRef, ms[r][i], 4 * U * (Math.abs(m[i]) + Math.abs(g[i])), "adam m reference " + in);
                        assertNear(vRef, vs[r][i], 4 * U * (v[i] + g[i] * g[i]), "adam v reference " + in);
                        double tol = 4 * U * Math.abs(w[i]) + 16 * U * Math.abs(upd)
                                + step * 4 * U * (Math.abs(m[i]) + Math.abs(g[i])) / (Math.sqrt(vRef) + eps);
                        assertNear(w[i] - upd, ws[r][i], tol, "adam w reference " + in);
                    }
                }
                assertSameBits(ms[0], ms[1], "adam m vector vs scalar " + at);
                assertSameBits(vs[0], vs[1], "adam v vector vs scalar " + at);
                assertSameBits(ws[0], ws[1], "adam w vector vs scalar " + at);
            }
        }
    }
}
