package org.scratchnet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.scratchnet.kernels.TestData.FACADE_TAG;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * gemm: known answers, both implementations and the facade against a double-precision reference over tail-hitting
 * shapes, every layout, offsets, leading dimensions, alpha/beta (beta = 0 with NaN in C), argument errors (C
 * overlapping A or B among them), and bit-identical results for any thread count.
 */
class GemmTest {

    private static final Transpose N = Transpose.N;
    private static final Transpose T = Transpose.T;
    private static final int SEED = 20261125;

    private final int savedThreads = Kernels.threads();

    @AfterEach
    void restoreThreads() {
        Kernels.setThreads(savedThreads);
    }

    /** One implementation under test, with the signature of {@link Kernels#gemm}. */
    @FunctionalInterface
    interface Gemm {
        void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                  float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);
    }

    private static final Gemm VECTOR = TestData.VECTOR::gemm;
    private static final Gemm SCALAR = TestData.SCALAR::gemm;
    private static final Gemm FACADE = Kernels::gemm;

    // ------------------------------------------------------------------------------------------------ known answers

    @Test
    @Tag(FACADE_TAG)
    void knownAnswerTwoByThreeTimesThreeByTwo() {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {7, 8, 9, 10, 11, 12};
        float[] expected = {58, 64, 139, 154};
        for (Gemm g : new Gemm[] {VECTOR, SCALAR, FACADE}) {
            float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
            g.gemm(N, N, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
            assertArrayEquals(expected, c);
            // the same product from stored transposes: A as 3x2 (Aᵀ stored), B as 2x3 (Bᵀ stored)
            float[] at = {1, 4, 2, 5, 3, 6};
            float[] bt = {7, 9, 11, 8, 10, 12};
            float[] c2 = new float[4];
            g.gemm(T, T, 2, 2, 3, 1f, at, 0, 2, bt, 0, 3, 0f, c2, 0, 2);
            assertArrayEquals(expected, c2);
            // alpha and beta: C = 2·AB − 1·C
            float[] c3 = {1, 1, 1, 1};
            g.gemm(N, T, 2, 2, 3, 2f, a, 0, 3, bt, 0, 3, -1f, c3, 0, 2);
            assertArrayEquals(new float[] {115, 127, 277, 307}, c3);
            float[] c4 = {1, 2, 3, 4};
            g.gemm(T, N, 2, 2, 3, 1f, at, 0, 2, b, 0, 2, 0.5f, c4, 0, 2);
            assertArrayEquals(new float[] {58.5f, 65, 140.5f, 156}, c4);
        }
    }

    @Test
    @Tag(FACADE_TAG)
    void kZeroScalesCAndBetaZeroClearsNaN() {
        for (Gemm g : new Gemm[] {VECTOR, SCALAR, FACADE}) {
            float[] c = {1, Float.NaN, 3, 4};
            g.gemm(N, N, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
            assertArrayEquals(new float[4], c);
            float[] d = {1, 2, 3, 4};
            g.gemm(N, N, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 3f, d, 0, 2);
            assertArrayEquals(new float[] {3, 6, 9, 12}, d);
        }
    }

    // ------------------------------------------------------------------------------------------------ differential

    @Test
    void vectorAndScalarMatchDoubleReferenceOnTailSizes() {
        int lanes = TestData.VECTOR.lanes();
        int[] sizes = {0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes + 1, 31, VectorGemm.NR + 1, 127};
        float[][] alphaBeta = {{1f, 0f}, {-0.75f, 1f}, {1.5f, -0.5f}};
        Random rnd = new Random(SEED);
        int cases = 0;
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                for (int m : sizes) {
                    for (int n : sizes) {
                        for (int k : sizes) {
                            float[] ab = alphaBeta[cases++ % alphaBeta.length];
                            check(rnd, ta, tb, m, n, k, ab[0], ab[1]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shapesLargerThanEveryBlock() {
        Random rnd = new Random(SEED + 1);
        int m = VectorGemm.MC + VectorGemm.MR + 3;
        int n = VectorGemm.NC + VectorGemm.NR + 5;
        int k = 2 * VectorGemm.KC + 7;
        check(rnd, N, N, m, n, k, 1f, 0f);
        // the other layouts at a size that still spans several blocks of m and k
        int n2 = 3 * VectorGemm.NR + 1;
        check(rnd, T, T, m, n2, k, 0.5f, 2f);
        check(rnd, T, N, m, n2, k, 1f, 1f);
        check(rnd, N, T, m, n2, k, -1f, 0f);
    }

    /**
     * The narrow last panel of A·B that is summed along k ({@link VectorGemm#dotEdgeColumns}): edge widths 1-8, k a
     * multiple of the lanes and not (the scalar tail), row counts that leave every remainder of its four rows, and the
     * first layer's shape.
     */
    @Test
    void aNarrowEdgeSummedAlongKMatchesTheReference() {
        Random rnd = new Random(SEED + 8);
        int lanes = TestData.VECTOR.lanes();
        int cases = 0;
        for (int k : new int[] {16 * lanes, 16 * lanes + lanes / 2 + 1, 784}) {
            for (int nr = 1; nr <= 8; nr++) {
                for (int m : new int[] {1, 3, 6, 9}) {
                    int n = (nr % 3) * VectorGemm.NR + nr;
                    if (VectorGemm.dotEdgeColumns(false, false, n, k) == nr) {
                        check(rnd, N, N, m, n, k, cases % 2 == 0 ? 1f : -0.75f, cases % 3 == 0 ? 0f : 0.5f);
                        cases++;
                    }
                }
            }
        }
        check(rnd, N, N, 130, 100, 784, 1f, 0f);
        assertTrue(cases >= 40, "only " + cases + " shapes summed the edge along k");
    }

    @Test
    void backpropShapes() {
        Random rnd = new Random(SEED + 2);
        // the 200 -> 100 layer at batch 128, large enough to be split over the pool's threads
        check(rnd, N, N, 128, 100, 200, 1f, 0f);   // X·W
        check(rnd, T, N, 200, 100, 128, 1f / 128, 0f);   // Xᵀ·dZ
        check(rnd, N, T, 128, 200, 100, 1f, 0f);   // dZ·Wᵀ
        check(rnd, N, N, 128, 10, 25, 1f, 0f);
    }

    /** Runs vector, scalar and the facade on the same random problem and compares each with a double reference. */
    private static void check(Random rnd, Transpose ta, Transpose tb, int m, int n, int k, float alpha, float beta) {
        int aRows = ta == N ? m : k;
        int aCols = ta == N ? k : m;
        int bRows = tb == N ? k : n;
        int bCols = tb == N ? n : k;
        int aOff = 3, lda = aCols + 2;
        int bOff = 5, ldb = bCols + 3;
        int cOff = 7, ldc = n + 1;
        float[] a = random(rnd, aOff + aRows * lda);
        float[] b = random(rnd, bOff + bRows * ldb);
        float[] c0 = random(rnd, cOff + m * ldc);
        if (beta == 0f) {
            Arrays.fill(c0, Float.NaN);
        }
        double[] ref = new double[m * n];
        double[] bound = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta == N ? a[aOff + i * lda + p] : a[aOff + p * lda + i];
                    double y = tb == N ? b[bOff + p * ldb + j] : b[bOff + j * ldb + p];
                    s += x * y;
                    abs += Math.abs(x * y);
                }
                double cv = beta == 0f ? 0 : c0[cOff + i * ldc + j];
                ref[i * n + j] = alpha * s + beta * cv;
                // float summation of k products, a few k-blocks and the alpha/beta update: (k + 8) roundings at most
                bound[i * n + j] = 2.0 * (k + 8) * 0x1p-24 * (Math.abs(alpha) * abs + Math.abs(beta * cv)) + 1e-30;
            }
        }
        String what = ta + "" + tb + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha + " beta=" + beta;
        for (Gemm g : new Gemm[] {VECTOR, SCALAR, FACADE}) {
            float[] c = c0.clone();
            g.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double got = c[cOff + i * ldc + j];
                    double err = Math.abs(got - ref[i * n + j]);
                    if (!(err <= bound[i * n + j])) {
                        fail(what + ": C[" + i + "][" + j + "] = " + got + ", expected " + ref[i * n + j]
                                + " within " + bound[i * n + j] + " (" + (g == VECTOR ? "vector" : g == SCALAR
                                        ? "scalar" : "facade")
                                + ")");
                    }
                }
            }
            // nothing outside the m×n block of C moved (padding columns, offset prefix, tail)
            for (int idx = 0; idx < c.length; idx++) {
                int rel = idx - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside && Float.floatToRawIntBits(c[idx]) != Float.floatToRawIntBits(c0[idx])) {
                    fail(what + ": element " + idx + " outside C was changed");
                }
            }
        }
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    // ------------------------------------------------------------------------------------------------ scalar scratch

    /**
     * The scalar twin keeps its row of partial sums per thread: a narrower product after a wider one still matches the
     * documented summation order bit for bit, and repeated calls allocate nothing.
     */
    @Test
    void scalarGemmReusesItsScratchRowWithoutAllocating() {
        Random rnd = new Random(SEED + 4);
        int m = 3, k = 9;
        for (int n : new int[] {41, 5, 41, 1}) {
            float[] a = random(rnd, m * k);
            float[] b = random(rnd, k * n);
            float[] c = random(rnd, m * n);
            float[] expected = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float sum = 0f;
                    for (int p = 0; p < k; p++) {
                        sum += a[i * k + p] * b[p * n + j];
                    }
                    expected[i * n + j] = 0.5f * sum + 2f * c[i * n + j];
                }
            }
            SCALAR.gemm(N, N, m, n, k, 0.5f, a, 0, k, b, 0, n, 2f, c, 0, n);
            assertArrayEquals(expected, c, "n = " + n);
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean
                && ((com.sun.management.ThreadMXBean) mx).isThreadAllocatedMemorySupported(),
                "per-thread allocation counting not supported");
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) mx;
        sun.setThreadAllocatedMemoryEnabled(true);
        float[] a = random(rnd, 4 * 8);
        float[] b = random(rnd, 8 * 40);
        float[] c = new float[4 * 40];
        int calls = 1000;
        long start = sun.getCurrentThreadAllocatedBytes();
        for (int r = 0; r < calls; r++) {
            SCALAR.gemm(N, N, 4, 40, 8, 1f, a, 0, 8, b, 0, 40, 0f, c, 0, 40);
        }
        long bytes = sun.getCurrentThreadAllocatedBytes() - start;
        assertTrue(bytes < calls * 16L, "scalar gemm allocated " + bytes + " bytes over " + calls + " calls");
    }

    // ------------------------------------------------------------------------------------------------ threads

    @Test
    void bitIdenticalForAnyThreadCount() {
        Random rnd = new Random(SEED + 3);
        int[][] shapes = {
                {128, 200, 784}, // NN: X·W, split over rows
                {784, 200, 128}, // TN: Xᵀ·dZ
                {128, 784, 200}, // NT: dZ·Wᵀ
                {8, 1000, 600},  // one row panel: split over columns
                {301, 97, 517},  // ragged everywhere, several k-blocks
                {8, 196, 784},   // one row panel, split over columns: a 4-column edge summed along k
        };
        Transpose[][] layouts = {{N, N}, {T, N}, {N, T}, {N, N}, {T, T}, {N, N}};
        // the first layer's X·W on 200 columns and the last shape end in an edge summed along k
        assertEquals(8, VectorGemm.dotEdgeColumns(false, false, 200, 784));
        assertEquals(4, VectorGemm.dotEdgeColumns(false, false, 196, 784));
        Map<String, Long> parksBefore = PoolWorkers.settledParkCounts();
        for (int s = 0; s < shapes.length; s++) {
            int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
            Transpose ta = layouts[s][0], tb = layouts[s][1];
            assertTrue((long) m * n * k >= VectorGemm.PARALLEL_MIN, "shape too small to split");
            float[] a = random(rnd, m * k);
            float[] b = random(rnd, k * n);
            float[] c0 = random(rnd, m * n);
            int lda = ta == N ? k : m;
            int ldb = tb == N ? n : k;
            float[] reference = null;
            for (int threads : new int[] {1, 2, 3, 1}) {
                Kernels.setThreads(threads);
                float[] c = c0.clone();
                VECTOR.gemm(ta, tb, m, n, k, 0.5f, a, 0, lda, b, 0, ldb, 0.25f, c, 0, n);
                if (reference == null) {
                    reference = c;
                } else if (!Arrays.equals(reference, c)) {
                    fail(ta + "" + tb + " " + m + "x" + n + "x" + k + ": " + threads
                            + " threads differ from 1 thread in the raw floats");
                }
            }
        }
        // the 3-thread calls wake workers 1 and 2 (creating them if need be): each has parked again since
        Map<String, Long> parksAfter = PoolWorkers.settledParkCounts();
        for (String worker : new String[] {PoolWorkers.NAME_PREFIX + 1, PoolWorkers.NAME_PREFIX + 2}) {
            assertTrue(parksAfter.getOrDefault(worker, 0L) > parksBefore.getOrDefault(worker, 0L),
                    "the splits never reached " + worker + " (parks before " + parksBefore + ", after " + parksAfter
                            + ")");
        }
    }

    /**
     * A row split over several column blocks of NC and several k-blocks, every layout, with offsets and leading
     * dimensions wider than the rows, gives the one-thread bits.
     */
    @Test
    void rowSplitAcrossColumnBlocksGivesTheOneThreadBits() {
        Random rnd = new Random(SEED + 4);
        int m = 48, n = VectorGemm.NC + VectorGemm.NR + 5, k = VectorGemm.KC + 37;
        for (Transpose tb : new Transpose[] {N, T}) {
            for (Transpose ta : new Transpose[] {N, T}) {
                int lda = (ta == N ? k : m) + 3;
                int ldb = (tb == N ? n : k) + 7;
                int ldc = n + 2;
                float[] a = random(rnd, 5 + (ta == N ? m : k) * lda);
                float[] b = random(rnd, 11 + (tb == N ? k : n) * ldb);
                float[] c0 = random(rnd, 2 + m * ldc);
                float[] reference = null;
                for (int threads : new int[] {1, 2, 3}) {
                    Kernels.setThreads(threads);
                    float[] c = c0.clone();
                    VECTOR.gemm(ta, tb, m, n, k, -0.75f, a, 5, lda, b, 11, ldb, 0.5f, c, 2, ldc);
                    if (reference == null) {
                        reference = c;
                    } else if (!Arrays.equals(reference, c)) {
                        fail(ta + "" + tb + " " + m + "x" + n + "x" + k + ": " + threads
                                + " threads differ from 1 thread in the raw floats");
                    }
                }
                Kernels.setThreads(2);
                assertEquals(2, VectorGemm.parts(m, n, k), "the shape must really split");
            }
        }
    }

    /**
     * op(B) = B with short rows is read in place, with long rows packed: the same product through both paths (the same
     * B stored with ldb 200 and with ldb 256) must give the same bits, for NN and TN, split or not.
     */
    @Test
    void inPlaceAndPackedBGiveTheSameBits() {
        Random rnd = new Random(SEED + 5);
        int n = 200;
        assertTrue(VectorGemm.inPlaceB(false, n) && !VectorGemm.inPlaceB(false, 256) && !VectorGemm.inPlaceB(true, n));
        for (int threads : new int[] {1, 2}) {
            Kernels.setThreads(threads);
            for (Transpose ta : new Transpose[] {N, T}) {
                int m = 96, k = 333;
                int lda = ta == N ? k : m;
                float[] a = random(rnd, (ta == N ? m : k) * lda);
                float[] shortRows = random(rnd, k * n);
                float[] longRows = new float[k * 256];
                for (int p = 0; p < k; p++) {
                    System.arraycopy(shortRows, p * n, longRows, p * 256, n);
                }
                float[] c0 = random(rnd, m * n);
                float[] c1 = c0.clone();
                float[] c2 = c0.clone();
                VECTOR.gemm(ta, N, m, n, k, 0.5f, a, 0, lda, shortRows, 0, n, 0.25f, c1, 0, n);
                VECTOR.gemm(ta, N, m, n, k, 0.5f, a, 0, lda, longRows, 0, 256, 0.25f, c2, 0, n);
                if (!Arrays.equals(c1, c2)) {
                    fail(ta + "N " + m + "x" + n + "x" + k + ", " + threads + " threads: in place and packed differ");
                }
            }
        }
    }

    /**
     * The last, narrower panel of op(B) = B is read in place when its whole-vector reads stay inside the array and is
     * packed otherwise: the same B in an array with slack after it and in an exact-size array must give the same bits,
     * for widths that leave every kind of last panel (one strip, two strips, three strips short of NR), NN and TN.
     */
    @Test
    void aNarrowLastPanelGivesTheSameBitsInPlaceAndPacked() {
        Random rnd = new Random(SEED + 6);
        int lanes = TestData.VECTOR.lanes();
        for (int n : new int[] {VectorGemm.NR + 1, VectorGemm.NR + lanes + 3, 2 * VectorGemm.NR - 1, 10, 25, 100}) {
            for (Transpose ta : new Transpose[] {N, T}) {
                int m = 37, k = 150;
                int lda = ta == N ? k : m;
                float[] a = random(rnd, (ta == N ? m : k) * lda);
                float[] exact = random(rnd, k * n);
                float[] slack = Arrays.copyOf(exact, exact.length + 3 * lanes);
                Arrays.fill(slack, exact.length, slack.length, Float.NaN);   // lanes past the last column are unused
                float[] c0 = random(rnd, m * n);
                float[] c1 = c0.clone();
                VECTOR.gemm(ta, N, m, n, k, 0.5f, a, 0, lda, exact, 0, n, 0.25f, c0, 0, n);
                VECTOR.gemm(ta, N, m, n, k, 0.5f, a, 0, lda, slack, 0, n, 0.25f, c1, 0, n);
                if (!Arrays.equals(c0, c1)) {
                    fail(ta + "N " + m + "x" + n + "x" + k + ": in place and packed last panel differ");
                }
                for (float v : c1) {
                    assertTrue(Float.isFinite(v), "a lane past the last column leaked into C");
                }
            }
        }
    }

    /**
     * A narrow last panel (fewer columns than a tile: the strip kernels, and for op(A) = Aᵀ the edge kernels with the
     * rows as lanes) gives the bits that the same columns get inside a full tile, for every width up to a tile, row
     * counts that leave every remainder of the edge kernels' 64, 32 and 16 rows, one and several k-blocks. A
     * training step cuts the first layer's dW columns by thread count, so a column is in the edge on one thread count
     * and in a full tile on another. The exception, an edge of A·B summed along k ({@link VectorGemm#dotEdgeColumns}),
     * is skipped: its columns stay the edge on any thread count (TrainingStep.firstLayerCuts).
     */
    @Test
    void aNarrowLastPanelGivesTheBitsOfAFullTile() {
        Random rnd = new Random(SEED + 7);
        int nr0 = VectorGemm.NR;
        for (Transpose ta : new Transpose[] {T, N}) {
            for (int k : new int[] {7, VectorGemm.KC + 18}) {
                for (int m : new int[] {1, 16, 17, 40, 64, 100, 130}) {
                    for (int nr = 1; nr < nr0; nr += nr < 10 ? 1 : 7) {
                        int n = nr0 + nr;
                        if (ta == N && VectorGemm.dotEdgeColumns(false, false, n, k) > 0) {
                            continue;
                        }
                        int wide = 2 * nr0;
                        int lda = ta == N ? k : m;
                        float[] a = random(rnd, m * k);
                        float[] bWide = random(rnd, k * wide);
                        float[] bNarrow = new float[k * n];
                        for (int p = 0; p < k; p++) {
                            System.arraycopy(bWide, p * wide, bNarrow, p * n, n);
                        }
                        float[] c0 = random(rnd, m * wide);
                        float[] cWide = c0.clone();
                        float[] cNarrow = c0.clone();
                        VECTOR.gemm(ta, N, m, wide, k, -0.75f, a, 0, lda, bWide, 0, wide, 0.25f, cWide, 0, wide);
                        VECTOR.gemm(ta, N, m, n, k, -0.75f, a, 0, lda, bNarrow, 0, n, 0.25f, cNarrow, 0, wide);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < wide; j++) {
                                float expected = j < n ? cWide[i * wide + j] : c0[i * wide + j];
                                if (Float.floatToRawIntBits(expected) != Float
                                        .floatToRawIntBits(cNarrow[i * wide + j])) {
                                    fail(ta + "N " + m + "x" + n + "x" + k + ": element (" + i + ", " + j + ") is "
                                            + cNarrow[i * wide + j] + " in the narrow panel, " + expected
                                            + " in a full tile");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * A call below {@link VectorGemm#PARALLEL_MIN} runs on the calling thread: spaced further apart than a worker
     * spins, split calls would each wake a parked worker (one park more in its waited count); small ones wake none. Up
     * to two wake-ups are allowed for a late or spurious one; a split would give about one per call.
     */
    @Test
    void smallProblemsStayOnTheCaller() {
        Kernels.setThreads(2);
        assertTrue(16L * 16 * 16 < VectorGemm.PARALLEL_MIN);
        assertEquals(1, VectorGemm.parts(16, 16, 16));
        // a split call first, so that there is a worker the small calls could wake
        assertEquals(2, VectorGemm.parts(128, 200, 784));
        float[] x = new float[128 * 784];
        float[] w = new float[784 * 200];
        VECTOR.gemm(N, N, 128, 200, 784, 1f, x, 0, 784, w, 0, 200, 0f, new float[128 * 200], 0, 200);
        assertTrue(PoolWorkers.count() >= 1, "the split call created no worker");
        float[] a = new float[16 * 16];
        Arrays.fill(a, 1f);
        int calls = 50;
        long parksBefore = PoolWorkers.settledParkCount();
        for (int call = 0; call < calls; call++) {
            float[] c = new float[16 * 16];
            VECTOR.gemm(N, N, 16, 16, 16, 1f, a, 0, 16, a, 0, 16, 0f, c, 0, 16);
            for (float v : c) {
                assertEquals(16f, v);
            }
            // longer than a woken worker spins before it parks again
            LockSupport.parkNanos(3 * Parallel.SPIN_NANOS);
        }
        long wakeUps = PoolWorkers.settledParkCount() - parksBefore;
        assertTrue(wakeUps <= 2, calls + " small gemm calls woke a worker " + wakeUps + " times; they must stay on the "
                + "calling thread");
    }

    // ------------------------------------------------------------------------------------------------ arguments

    @Test
    @Tag(FACADE_TAG)
    void argumentErrorsNameTheNumbers() {
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = new float[4];
        assertMessage("m must be >= 0, got -1",
                () -> Kernels.gemm(N, N, -1, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
        assertMessage("k must be >= 0, got -3",
                () -> Kernels.gemm(N, N, 2, 2, -3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
        assertMessage("A: leading dimension 2 is smaller than the row length 3",
                () -> Kernels.gemm(N, N, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        // Aᵀ is stored 3x2: lda 2 is fine there, but the array must hold offset 1 + 2·2 + 2 = 7 elements
        assertMessage("A: 3x2 at offset 1 with leading dimension 2 needs 7 elements, the array has 6",
                () -> Kernels.gemm(T, N, 2, 2, 3, 1f, a, 1, 2, b, 0, 2, 0f, c, 0, 2));
        assertMessage("B: 2x3 at offset 0 with leading dimension 4 needs 7 elements, the array has 6",
                () -> Kernels.gemm(N, T, 2, 2, 3, 1f, a, 0, 3, b, 0, 4, 0f, c, 0, 2));
        assertMessage("C: 2x2 at offset 1 with leading dimension 2 needs 5 elements, the array has 4",
                () -> Kernels.gemm(N, N, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 1, 2));
        assertMessage("C: offset -1 is negative",
                () -> Kernels.gemm(N, N, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, -1, 2));
        assertMessage("transA and transB must not be null",
                () -> Kernels.gemm(null, N, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
        assertMessage("B must not be null",
                () -> Kernels.gemm(N, N, 2, 2, 3, 1f, a, 0, 3, null, 0, 2, 0f, c, 0, 2));
        assertMessage("threads must be >= 1, got 0", () -> Kernels.setThreads(0));
    }

    /**
     * C must not overlap A or B: in the same array, spans that share an element are refused before any work, naming
     * both spans; spans that only touch, or an empty operand (k = 0), are fine.
     */
    @Test
    @Tag(FACADE_TAG)
    void cOverlappingAOrBIsRefusedWithTheRanges() {
        // A = [1 2 3; 4 5 6] at 0..5, B = [7 8; 9 10; 11 12]
        float[] b = {7, 8, 9, 10, 11, 12};
        float[] ab = {1, 2, 3, 4, 5, 6, 0, 0, 0, 0};
        float[] before = ab.clone();
        assertMessage("C (elements [4, 8)) overlaps A (elements [0, 6)) in the same array",
                () -> Kernels.gemm(N, N, 2, 2, 3, 1f, ab, 0, 3, b, 0, 2, 0f, ab, 4, 2));
        // C in place of A exactly, and C inside A's span
        assertMessage("overlaps A (elements [0, 6))",
                () -> Kernels.gemm(N, N, 2, 2, 3, 1f, ab, 0, 3, b, 0, 2, 0f, ab, 0, 2));
        assertMessage("C (elements [1, 5))", () -> Kernels.gemm(N, N, 2, 2, 3, 1f, ab, 0, 3, b, 0, 2, 0f, ab, 1, 2));
        assertArrayEquals(before, ab, "nothing was written before the check failed");
        // B stored transposed (2x3 at offset 4, ld 3: span [4, 10)) with C at [0, 4) after it, then overlapping it
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] cb = {0, 0, 0, 0, 7, 9, 11, 8, 10, 12};
        Kernels.gemm(N, T, 2, 2, 3, 1f, a, 0, 3, cb, 4, 3, 0f, cb, 0, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, Arrays.copyOf(cb, 4), "C right before B: disjoint spans");
        assertMessage("C (elements [3, 7)) overlaps B (elements [4, 10)) in the same array",
                () -> Kernels.gemm(N, T, 2, 2, 3, 1f, a, 0, 3, cb, 4, 3, 0f, cb, 3, 2));
        // interleaved: C in the columns of a wide array that A's rows skip is still refused (the spans cross)
        float[] wide = new float[12];
        float[] b3 = new float[9];
        assertMessage("C (elements [3, 12)) overlaps A (elements [0, 9))",
                () -> Kernels.gemm(N, N, 2, 3, 3, 1f, wide, 0, 6, b3, 0, 3, 0f, wide, 3, 6));
        // C right after A in one array: allowed, and the known answer
        float[] ac = {1, 2, 3, 4, 5, 6, Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Kernels.gemm(N, N, 2, 2, 3, 1f, ac, 0, 3, b, 0, 2, 0f, ac, 6, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 58, 64, 139, 154}, ac);
        // k = 0: A and B are empty, so C may sit anywhere in their arrays
        float[] kz = {1, 2, 3, 4};
        Kernels.gemm(N, N, 2, 2, 0, 1f, kz, 0, 1, kz, 0, 2, 2f, kz, 0, 2);
        assertArrayEquals(new float[] {2, 4, 6, 8}, kz);
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected),
                () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
