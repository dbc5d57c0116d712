package org.scratchnet.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API sgemm: C = alpha·op(A)·op(B) + beta·C on row-major arrays (meaning and arguments as
 * {@link Kernels#gemm}), blocked for the caches, register-blocked, and split over {@link Parallel}'s threads.
 *
 * <p>Algorithm (the GotoBLAS/BLIS loop nest). For each block of {@link #NC} columns of C and each block of k (see
 * below), op(B)'s kc × nc block is packed into panels {@link #NR} = 3·lanes wide, zero-padded, row by row (when
 * op(B) = B has short rows, panels are read in place instead, see {@link #inPlaceB}: the full ones, and the last,
 * narrower one when its whole-vector reads stay inside the array; the lanes it reads past the last column only feed
 * accumulators whose results are never stored); for each
 * block of {@link #MC} rows, op(A)'s mc × kc block is packed row by row with the constant row stride {@link #KC}
 * (element (i, p) at {@code i·KC + p}; rows past mc zero), so that the eight values of A one step p needs sit at fixed
 * distances {@code r·KC} from one index and op(A) = A packs by {@link System#arraycopy}. The micro-kernel then computes
 * an {@link #MR} × NR = 8 × NR tile of C in 24 vector accumulators: per p it loads three vectors of the B panel,
 * broadcasts each of the eight A values and issues 24 FMAs; a last panel narrower than three vectors runs a strip
 * kernel (16 rows × one vector) per strip it needs instead, or, for op(A) = Aᵀ, edge kernels that put the rows in the
 * vector's lanes, one FMA per 16 rows and column ({@link #edgePanelT}), or, for a few columns of A·B with a long k,
 * dot products with k in the lanes over the whole of k ({@link #dotEdgePanel}). Thanks to the padding the hot loops
 * have no masks (JDK 17 does not intrinsify them) and no tails (only the dot products finish their last k mod L
 * products in scalar code). The accumulators go to a per-thread scratch tile, from which full tiles update C with
 * vector operations and ragged tiles with scalar code doing the same float operations.
 *
 * <p>Reduction order (why results are bit-identical for any thread count). k is cut into
 * nb = ⌈k / {@link #KC}⌉ blocks of ⌈k / nb⌉ (the last one shorter), a function of k alone. For block b, each element's
 * accumulator starts at 0 and takes fma(a[i][p], b[p][j], acc) for p ascending through the block. C is then updated
 * as C = alpha·acc + beta·C after block 0 (C = alpha·acc, without reading C, when beta == 0) and C = C + alpha·acc
 * after each later block. Threads split C into disjoint blocks of whole micro-tiles and never split k, so every element
 * sees exactly these operations whatever the split. The one exception is a narrow last panel of A·B that
 * {@link #dotEdgeColumns} picks (a function of n mod NR and k alone, so the same columns on any split): there each
 * element is summed over all of k in L interleaved partial sums, as {@link #dotEdgePanel} describes. The sum differs
 * from {@link ScalarKernels#gemm}'s (fused multiply-adds, k-blocks) by rounding only.
 *
 * <p>Packing buffers belong to the thread (a {@link ThreadLocal}, grown on demand and then reused), and so does the
 * job object of a split call, so a warm call allocates nothing.
 */
final class VectorGemm {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int L = SPECIES.length();
    /** Rows of C per micro-tile (docs/decisions/0003-gemm-micro-kernel-and-blocks.md). */
    static final int MR = 8;
    /** Columns of C per micro-tile: three vectors (docs/decisions/0003-gemm-micro-kernel-and-blocks.md). */
    static final int NR = 3 * L;
    /**
     * Largest k-block; the packed B micro-panel (KC × NR floats) should sit in L1. Also the row stride of packed A, so
     * the micro-kernel reaches its eight rows at constant offsets. Measured in
     * docs/decisions/0004-row-packed-a-and-kc.md.
     */
    static final int KC = 132;
    /** Rows of a pair of row panels: the strip kernel's height and the p-stride of the transposed A pack. */
    static final int PAIR = 2 * MR;
    /** Rows of op(A) packed at once (MC × KC floats, for L2; docs/decisions/0003-gemm-micro-kernel-and-blocks.md). */
    static final int MC = 256;
    /** Columns of op(B) packed at once (KC × NC floats; docs/decisions/0003-gemm-micro-kernel-and-blocks.md). */
    static final int NC = 1024;
    /**
     * Below this many multiply-adds (m·n·k) a call stays on the calling thread; overridable with the system property
     * {@code scratchnet.gemm.parallelMin} for measurements (docs/decisions/0006-gemm-split-threshold.md).
     */
    static final long PARALLEL_MIN = Long.getLong("scratchnet.gemm.parallelMin", 1L << 20);

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private VectorGemm() {
    }

    /** Per-thread scratch: packed panels of A and B, and one micro-tile. */
    private static final class Buffers {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];
        /** The second row panel's tile of the 16-row strip kernel. */
        final float[] tile2 = new float[MR * NR];
        /** The narrow-edge kernels' accumulators, column by column ({@link #EDGE_COLUMNS} × 4 pairs of rows). */
        final float[] columns = new float[EDGE_COLUMNS * 4 * PAIR];
        /** The accumulators of {@link #dotKernel}, lane by lane (16 vectors). */
        final float[] lanes = new float[16 * L];
        /** The job this thread hands to {@link Parallel} when it splits a call (reused: no allocation per call). */
        final Split split = new Split();

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }

    /**
     * One split call's arguments, owned by the calling thread: part p computes its share of the row panels (or column
     * panels) of C, packing op(B) and op(A) into its own thread's buffers. Fields are written by the caller before
     * {@link Parallel#run} publishes the job, and the array references are cleared after it.
     */
    private static final class Split implements Parallel.Part {
        int parts;
        int panels;
        boolean rows;
        boolean ta;
        boolean tb;
        int m;
        int n;
        int k;
        float alpha;
        float[] a;
        int aOff;
        int lda;
        float[] b;
        int bOff;
        int ldb;
        float beta;
        float[] c;
        int cOff;
        int ldc;

        @Override
        public void run(int part) {
            int p0 = (int) ((long) panels * part / parts);
            int p1 = (int) ((long) panels * (part + 1) / parts);
            if (rows) {
                block(ta, tb, p0 * MR, Math.min(m, p1 * MR), 0, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                        beta, c, cOff, ldc);
            } else {
                block(ta, tb, 0, m, p0 * NR, Math.min(n, p1 * NR), k, alpha, a, aOff, lda, b, bOff, ldb,
                        beta, c, cOff, ldc);
            }
        }
    }

    /** Arguments as {@link Kernels#gemm}, already checked; m, n &gt; 0. */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (k == 0) {
            scaleOnly(m, n, alpha, beta, c, cOff, ldc);
            return;
        }
        int parts = parts(m, n, k);
        if (parts <= 1) {
            block(ta, tb, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        boolean splitRows = splitRows(m, n);
        Split s = BUFFERS.get().split;
        s.parts = parts;
        s.panels = splitRows ? (m + MR - 1) / MR : (n + NR - 1) / NR;
        s.rows = splitRows;
        s.ta = ta;
        s.tb = tb;
        s.m = m;
        s.n = n;
        s.k = k;
        s.alpha = alpha;
        s.a = a;
        s.aOff = aOff;
        s.lda = lda;
        s.b = b;
        s.bOff = bOff;
        s.ldb = ldb;
        s.beta = beta;
        s.c = c;
        s.cOff = cOff;
        s.ldc = ldc;
        try {
            Parallel.run(parts, s);
        } finally {
            // the pool must not keep the caller's arrays alive
            s.a = null;
            s.b = null;
            s.c = null;
        }
    }

    /**
     * Into how many parts an m × n × k call is split: 1 below {@link #PARALLEL_MIN} multiply-adds, otherwise the thread
     * count, at most one part per micro-tile row (or column) of C.
     */
    static int parts(int m, int n, int k) {
        if ((long) m * n * k < PARALLEL_MIN) {
            return 1;
        }
        int panels = splitRows(m, n) ? (m + MR - 1) / MR : (n + NR - 1) / NR;
        return Math.max(1, Math.min(Parallel.threads(), panels));
    }

    /** Split C by rows (each part packs all of op(B)) unless there are too few row panels to go round. */
    private static boolean splitRows(int m, int n) {
        int mPanels = (m + MR - 1) / MR;
        return mPanels >= (n + NR - 1) / NR || mPanels >= 2 * Parallel.threads();
    }

    /** C = beta·C + alpha·0, the k = 0 case, written as the scalar twin does (C not read when beta == 0). */
    private static void scaleOnly(int m, int n, float alpha, float beta, float[] c, int cOff, int ldc) {
        float zero = alpha * 0f;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = beta == 0f ? zero : zero + beta * c[ci + j];
            }
        }
    }

    /** Computes rows [i0, i1) and columns [j0, j1) of C on the calling thread. */
    static void block(boolean ta, boolean tb, int i0, int i1, int j0, int j1, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Buffers buf = BUFFERS.get();
        int nb = (k + KC - 1) / KC;
        int kcStd = (k + nb - 1) / nb;
        boolean direct = inPlaceB(tb, ldb);
        int dotEdge = dotEdgeColumns(ta, tb, j1 - j0, k);
        int jEnd = j1 - dotEdge;
        for (int jc = j0; jc < jEnd; jc += NC) {
            int nc = Math.min(NC, jEnd - jc);
            int ncPad = (nc + NR - 1) / NR * NR;
            for (int pc = 0; pc < k; pc += kcStd) {
                int kc = Math.min(kcStd, k - pc);
                boolean first = pc == 0;
                float[] bp = buf.b(kc * ncPad);
                // in place: every full panel, and the last, partial one when its vector reads stay inside b
                int tail = nc / NR * NR;
                boolean tailInPlace = direct && (tail == nc || bOff + (pc + kc - 1) * ldb + jc + tail
                        + readWidth(nc - tail) <= b.length);
                packB(tb, b, bOff, ldb, pc, kc, jc, nc, bp, direct ? (tailInPlace ? nc : tail) : 0);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    float[] ap = buf.a(KC * packedRows(mc));
                    packA(ta, a, aOff, lda, ic, mc, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int strips = (nr + L - 1) / L;
                        boolean inPlace = direct && (nr == NR || tailInPlace);
                        float[] bs = inPlace ? b : bp;
                        int bIdx = inPlace ? bOff + pc * ldb + jc + jr : jr * kc;
                        int ld = inPlace ? ldb : NR;
                        if (strips < 3) {
                            if (ta && PAIR == L) {
                                // a narrow last panel of op(A) = Aᵀ: the rows as the vector's lanes
                                edgePanelT(kc, ap, mc, bs, bIdx, ld, nr, c, cOff + ic * ldc + jc + jr, ldc, alpha,
                                        beta, first, buf.columns);
                                continue;
                            }
                            // a narrow last panel: two row panels at a time, only the vector strips that hold columns
                            for (int ir = 0; ir < mc; ir += 2 * MR) {
                                int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                                for (int v = 0; v < strips; v++) {
                                    if (ta) {
                                        stripKernelT(kc, ap, panelStart(true, ir), bs, bIdx + v * L, ld, buf.tile,
                                                buf.tile2, v * L);
                                    } else {
                                        stripKernel(kc, ap, ir * KC, bs, bIdx + v * L, ld, buf.tile, buf.tile2,
                                                v * L);
                                    }
                                }
                                updateEdge(buf.tile, NR, 1, c, cIdx, ldc, Math.min(MR, mc - ir), nr, alpha, beta,
                                        first);
                                if (ir + MR < mc) {
                                    updateEdge(buf.tile2, NR, 1, c, cIdx + MR * ldc, ldc, Math.min(MR, mc - ir - MR),
                                            nr, alpha, beta, first);
                                }
                            }
                            continue;
                        }
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            if (ta) {
                                microKernelT(kc, ap, panelStart(true, ir), bs, bIdx, ld, c, cIdx, ldc, mr, nr, alpha,
                                        beta, first, buf.tile);
                            } else {
                                microKernel(kc, ap, ir * KC, bs, bIdx, ld, c, cIdx, ldc, mr, nr, alpha, beta, first,
                                        buf.tile);
                            }
                        }
                    }
                }
            }
        }
        if (dotEdge > 0) {
            dotEdgePanel(i0, i1, jEnd, dotEdge, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, buf);
        }
    }

    /** Floats a panel of nr &lt; NR columns reads per row of B: whole vectors (the strip kernel's) or three (NR). */
    private static int readWidth(int nr) {
        int strips = (nr + L - 1) / L;
        return strips < 3 ? strips * L : NR;
    }

    /**
     * Whether full NR-wide panels of op(B) = B are read in place (row stride ldb) instead of being packed: when rows
     * are short (a k-block of {@link #KC} rows then spans at most 132 KB, within the first-level TLB's reach) and their
     * stride is not a multiple of 64 floats (which would map the rows to few L1 sets). Measured in
     * docs/decisions/0005-in-place-b.md.
     */
    static boolean inPlaceB(boolean tb, int ldb) {
        return !tb && ldb < 256 && ldb % 64 != 0;
    }

    /**
     * Packs op(B)[pc .. pc+kc)[jc .. jc+nc) into panels of NR columns: panel q holds element (p, j) at
     * {@code q·NR·kc + p·NR + (j − q·NR)}, zero beyond nc.
     */
    private static void packB(boolean tb, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp,
                              int jrFrom) {
        for (int jr = jrFrom; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (!tb) {
                int src = bOff + pc * ldb + jc + jr;
                if (nr == NR) {
                    for (int p = 0; p < kc; p++, src += ldb) {
                        int d = base + p * NR;
                        FloatVector.fromArray(SPECIES, b, src).intoArray(bp, d);
                        FloatVector.fromArray(SPECIES, b, src + L).intoArray(bp, d + L);
                        FloatVector.fromArray(SPECIES, b, src + 2 * L).intoArray(bp, d + 2 * L);
                    }
                } else {
                    // a narrow last panel: only the strips the strip kernel reads, whole vectors by vector copies, the
                    // rest of the last strip by scalar code (columns past nr zero)
                    int strips = (nr + L - 1) / L;
                    int full = nr / L * L;
                    for (int p = 0; p < kc; p++, src += ldb) {
                        int d = base + p * NR;
                        for (int v = 0; v < full; v += L) {
                            FloatVector.fromArray(SPECIES, b, src + v).intoArray(bp, d + v);
                        }
                        for (int jj = full; jj < nr; jj++) {
                            bp[d + jj] = b[src + jj];
                        }
                        for (int jj = nr; jj < strips * L; jj++) {
                            bp[d + jj] = 0f;
                        }
                    }
                }
            } else {
                // op(B)(p, j) = B[j][p]: eight stored rows side by side, each p writes eight contiguous floats
                int jj8 = nr / 8 * 8;
                for (int jg = 0; jg < jj8; jg += 8) {
                    int s0 = bOff + (jc + jr + jg) * ldb + pc;
                    int s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb, s4 = s3 + ldb, s5 = s4 + ldb, s6 = s5 + ldb;
                    int s7 = s6 + ldb;
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * NR + jg;
                        bp[d] = b[s0 + p];
                        bp[d + 1] = b[s1 + p];
                        bp[d + 2] = b[s2 + p];
                        bp[d + 3] = b[s3 + p];
                        bp[d + 4] = b[s4 + p];
                        bp[d + 5] = b[s5 + p];
                        bp[d + 6] = b[s6 + p];
                        bp[d + 7] = b[s7 + p];
                    }
                }
                for (int jj = jj8; jj < nr; jj++) {
                    int src = bOff + (jc + jr + jj) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + jj] = b[src + p];
                    }
                }
                for (int jj = nr; jj < NR; jj++) {
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + jj] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs op(A)[ic .. ic+mc)[pc .. pc+kc) for the micro-kernels, zero-padded to {@link #packedRows} rows (whole
     * pairs of row panels, for the strip kernel). op(A) = A is packed row by row with row stride {@link #KC}: element
     * (i, p) goes to {@code (i − ic)·KC + p}, each row one {@link System#arraycopy}, so that {@link #microKernel} finds
     * its eight values at constant distances r·KC. op(A) = Aᵀ is packed by {@link #packATransposed} instead.
     */
    private static void packA(boolean ta, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        if (ta) {
            packATransposed(a, aOff, lda, ic, mc, pc, kc, ap);
            return;
        }
        for (int r = 0; r < mc; r++) {
            System.arraycopy(a, aOff + (ic + r) * lda + pc, ap, r * KC, kc);
        }
        for (int r = mc; r < packedRows(mc); r++) {
            Arrays.fill(ap, r * KC, r * KC + kc, 0f);
        }
    }

    /**
     * Packs op(A) = Aᵀ by pairs of row panels, p-major: rows [16q, 16q + 16) of the block (columns ic + 16q .. of A)
     * go to {@code ap[q·PAIR·KC + p·PAIR + r]}, r &lt; 16. For each p that is 16 consecutive floats of row pc + p of
     * A, copied as whole vectors, where a row-by-row pack would read A down its columns one float at a time; rows past
     * mc are zero. {@link #microKernelT} and {@link #stripKernelT} read this layout.
     */
    private static void packATransposed(float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        for (int r0 = 0; r0 < mc; r0 += PAIR) {
            int base = r0 * KC;
            int rows = Math.min(PAIR, mc - r0);
            int src = aOff + pc * lda + ic + r0;
            if (rows == PAIR && PAIR % L == 0) {
                for (int p = 0; p < kc; p++, src += lda) {
                    for (int v = 0; v < PAIR; v += L) {
                        FloatVector.fromArray(SPECIES, a, src + v).intoArray(ap, base + p * PAIR + v);
                    }
                }
            } else {
                for (int p = 0; p < kc; p++, src += lda) {
                    int d = base + p * PAIR;
                    for (int r = 0; r < rows; r++) {
                        ap[d + r] = a[src + r];
                    }
                    for (int r = rows; r < PAIR; r++) {
                        ap[d + r] = 0f;
                    }
                }
            }
        }
    }

    /** Where row panel {@code ir} (a multiple of MR) of a packed block starts in either layout of {@link #packA}. */
    private static int panelStart(boolean ta, int ir) {
        return ta ? ir / PAIR * PAIR * KC + ir % PAIR : ir * KC;
    }

    /**
     * Rows of a packed block of mc rows of op(A): mc rounded up to whole pairs of row panels (the strip kernel's 16).
     */
    private static int packedRows(int mc) {
        return (mc + 2 * MR - 1) / (2 * MR) * (2 * MR);
    }

    /**
     * One MR × NR tile: acc = Σₚ a-panel[p] ⊗ b-panel[p] by FMA (p ascending), then C updated as in the class comment.
     * Full tiles update C in place; a ragged tile (mr &lt; MR or nr &lt; NR) goes through {@code tile} and scalar code
     * that performs the same float operations.
     */
    private static void microKernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bs,
                                    float[] c, int cIdx, int ldc, int mr, int nr,
                                    float alpha, float beta, boolean first, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00;
        FloatVector c60 = c00, c61 = c00, c62 = c00;
        FloatVector c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * bs;
            int ai = aIdx + p;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bp, bi + 2 * L);
            FloatVector av = FloatVector.broadcast(SPECIES, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(SPECIES, ap[ai + 1 * KC]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(SPECIES, ap[ai + 2 * KC]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(SPECIES, ap[ai + 3 * KC]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(SPECIES, ap[ai + 4 * KC]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(SPECIES, ap[ai + 5 * KC]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            av = FloatVector.broadcast(SPECIES, ap[ai + 6 * KC]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            c62 = av.fma(b2, c62);
            av = FloatVector.broadcast(SPECIES, ap[ai + 7 * KC]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            c72 = av.fma(b2, c72);
        }
        // Accumulators go to the tile first: calling a helper with vector arguments here would exceed C2's inlining
        // budget for this method and box all 24 vectors (measured: 2-4 GFLOPS instead of > 100).
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c12.intoArray(tile, NR + 2 * L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c32.intoArray(tile, 3 * NR + 2 * L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c42.intoArray(tile, 4 * NR + 2 * L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c52.intoArray(tile, 5 * NR + 2 * L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c62.intoArray(tile, 6 * NR + 2 * L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        c72.intoArray(tile, 7 * NR + 2 * L);
        if (mr == MR && nr == NR) {
            updateFull(tile, c, cIdx, ldc, alpha, beta, first);
        } else {
            updateEdge(tile, NR, 1, c, cIdx, ldc, mr, nr, alpha, beta, first);
        }
    }

    /**
     * Two row panels (16 rows) × one vector strip, for panels narrower than NR: 16 accumulators, per p one vector of
     * the B panel (row stride {@code bs}: NR when packed, ldb in place) and 16 broadcasts (rows beyond the packed ones
     * are zero). The same FMA chain per element as
     * {@link #microKernel}, so the same bits; rows 0-7 go to {@code tile}, rows 8-15 to {@code tile2}, at column
     * {@code col}.
     */
    private static void stripKernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bs, float[] tile,
                                    float[] tile2, int col) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bIdx + p * bs);
            int ai = aIdx + p;
            c0 = FloatVector.broadcast(SPECIES, ap[ai]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, ap[ai + 1 * KC]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, ap[ai + 2 * KC]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, ap[ai + 3 * KC]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, ap[ai + 4 * KC]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, ap[ai + 5 * KC]).fma(b0, c5);
            c6 = FloatVector.broadcast(SPECIES, ap[ai + 6 * KC]).fma(b0, c6);
            c7 = FloatVector.broadcast(SPECIES, ap[ai + 7 * KC]).fma(b0, c7);
            c8 = FloatVector.broadcast(SPECIES, ap[ai + 8 * KC]).fma(b0, c8);
            c9 = FloatVector.broadcast(SPECIES, ap[ai + 9 * KC]).fma(b0, c9);
            c10 = FloatVector.broadcast(SPECIES, ap[ai + 10 * KC]).fma(b0, c10);
            c11 = FloatVector.broadcast(SPECIES, ap[ai + 11 * KC]).fma(b0, c11);
            c12 = FloatVector.broadcast(SPECIES, ap[ai + 12 * KC]).fma(b0, c12);
            c13 = FloatVector.broadcast(SPECIES, ap[ai + 13 * KC]).fma(b0, c13);
            c14 = FloatVector.broadcast(SPECIES, ap[ai + 14 * KC]).fma(b0, c14);
            c15 = FloatVector.broadcast(SPECIES, ap[ai + 15 * KC]).fma(b0, c15);
        }
        c0.intoArray(tile, col);
        c1.intoArray(tile, NR + col);
        c2.intoArray(tile, 2 * NR + col);
        c3.intoArray(tile, 3 * NR + col);
        c4.intoArray(tile, 4 * NR + col);
        c5.intoArray(tile, 5 * NR + col);
        c6.intoArray(tile, 6 * NR + col);
        c7.intoArray(tile, 7 * NR + col);
        c8.intoArray(tile2, col);
        c9.intoArray(tile2, NR + col);
        c10.intoArray(tile2, 2 * NR + col);
        c11.intoArray(tile2, 3 * NR + col);
        c12.intoArray(tile2, 4 * NR + col);
        c13.intoArray(tile2, 5 * NR + col);
        c14.intoArray(tile2, 6 * NR + col);
        c15.intoArray(tile2, 7 * NR + col);
    }

    /**
     * {@link #microKernel} for A packed by {@link #packATransposed}: the eight values of A one step p needs are
     * {@code ap[ai .. ai + 7]} with {@code ai = aIdx + p·PAIR}. The same FMA chain per element, so the same bits. It
     * is written out rather than sharing one body with {@link #microKernel} through stride arguments: C2 needs the
     * eight offsets as constants to keep the loop at its speed, and a method this size is not inlined into
     * {@link #block} where they would fold (docs/decisions/0004-row-packed-a-and-kc.md).
     */
    private static void microKernelT(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bs,
                                     float[] c, int cIdx, int ldc, int mr, int nr,
                                     float alpha, float beta, boolean first, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00;
        FloatVector c60 = c00, c61 = c00, c62 = c00;
        FloatVector c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * bs;
            int ai = aIdx + p * PAIR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bp, bi + 2 * L);
            FloatVector av = FloatVector.broadcast(SPECIES, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(SPECIES, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(SPECIES, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(SPECIES, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(SPECIES, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(SPECIES, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            av = FloatVector.broadcast(SPECIES, ap[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            c62 = av.fma(b2, c62);
            av = FloatVector.broadcast(SPECIES, ap[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            c72 = av.fma(b2, c72);
        }
        // Accumulators go to the tile first: calling a helper with vector arguments here would exceed C2's inlining
        // budget for this method and box all 24 vectors (measured: 2-4 GFLOPS instead of > 100).
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c12.intoArray(tile, NR + 2 * L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c32.intoArray(tile, 3 * NR + 2 * L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c42.intoArray(tile, 4 * NR + 2 * L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c52.intoArray(tile, 5 * NR + 2 * L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c62.intoArray(tile, 6 * NR + 2 * L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        c72.intoArray(tile, 7 * NR + 2 * L);
        if (mr == MR && nr == NR) {
            updateFull(tile, c, cIdx, ldc, alpha, beta, first);
        } else {
            updateEdge(tile, NR, 1, c, cIdx, ldc, mr, nr, alpha, beta, first);
        }
    }

    /**
     * {@link #stripKernel} for A packed by {@link #packATransposed}: the sixteen values of A one step p needs are
     * {@code ap[ai .. ai + 15]} with {@code ai = aIdx + p·PAIR}. The same FMA chain per element, so the same bits.
     */
    private static void stripKernelT(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bs, float[] tile,
                                     float[] tile2, int col) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bIdx + p * bs);
            int ai = aIdx + p * PAIR;
            c0 = FloatVector.broadcast(SPECIES, ap[ai]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, ap[ai + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, ap[ai + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, ap[ai + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, ap[ai + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, ap[ai + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(SPECIES, ap[ai + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(SPECIES, ap[ai + 7]).fma(b0, c7);
            c8 = FloatVector.broadcast(SPECIES, ap[ai + 8]).fma(b0, c8);
            c9 = FloatVector.broadcast(SPECIES, ap[ai + 9]).fma(b0, c9);
            c10 = FloatVector.broadcast(SPECIES, ap[ai + 10]).fma(b0, c10);
            c11 = FloatVector.broadcast(SPECIES, ap[ai + 11]).fma(b0, c11);
            c12 = FloatVector.broadcast(SPECIES, ap[ai + 12]).fma(b0, c12);
            c13 = FloatVector.broadcast(SPECIES, ap[ai + 13]).fma(b0, c13);
            c14 = FloatVector.broadcast(SPECIES, ap[ai + 14]).fma(b0, c14);
            c15 = FloatVector.broadcast(SPECIES, ap[ai + 15]).fma(b0, c15);
        }
        c0.intoArray(tile, col);
        c1.intoArray(tile, NR + col);
        c2.intoArray(tile, 2 * NR + col);
        c3.intoArray(tile, 3 * NR + col);
        c4.intoArray(tile, 4 * NR + col);
        c5.intoArray(tile, 5 * NR + col);
        c6.intoArray(tile, 6 * NR + col);
        c7.intoArray(tile, 7 * NR + col);
        c8.intoArray(tile2, col);
        c9.intoArray(tile2, NR + col);
        c10.intoArray(tile2, 2 * NR + col);
        c11.intoArray(tile2, 3 * NR + col);
        c12.intoArray(tile2, 4 * NR + col);
        c13.intoArray(tile2, 5 * NR + col);
        c14.intoArray(tile2, 6 * NR + col);
        c15.intoArray(tile2, 7 * NR + col);
    }

    /** Columns of a narrow last panel that {@link #edgePanelT}'s kernels compute at once. */
    static final int EDGE_COLUMNS = 4;

    /**
     * A narrow last panel (nr &lt; NR columns, up to two vector strips) of op(A) = Aᵀ, A packed by
     * {@link #packATransposed}, with the rows of C as the vector's lanes: at step p, rows [16q, 16q + 16) of pair q are
     * one vector {@code ap[q·PAIR·KC + p·PAIR ..]}, and column j's accumulator takes fma(a, b[p][j], acc). So the panel
     * costs one FMA per 16 rows, column and p, where the strip kernel issues one per row and vector strip whatever the
     * width (a 4-column edge cost as much as 16 columns). Columns go {@link #EDGE_COLUMNS} at a time, rows four pairs at
     * a time (16 accumulators), then two, then one. Each element sees the same FMA chain as in {@link #microKernelT}
     * (fma(a, b, acc) = fma(b, a, acc)), so the same bits; the columns of a group past nr read the panel's padding or
     * slack and are never stored. Needs {@link #PAIR} == {@link #L}.
     */
    private static void edgePanelT(int kc, float[] ap, int mc, float[] bp, int bIdx, int bs, int nr, float[] c,
                                   int cIdx, int ldc, float alpha, float beta, boolean first, float[] columns) {
        int pairs = (mc + PAIR - 1) / PAIR;
        for (int j = 0; j < nr; j += EDGE_COLUMNS) {
            int w = Math.min(EDGE_COLUMNS, nr - j);
            for (int q = 0; q < pairs;) {
                int group = pairs - q >= 4 ? 4 : pairs - q >= 2 ? 2 : 1;
                int aIdx = q * PAIR * KC;
                switch (group) {
                    case 4 -> edgeKernel4(kc, ap, aIdx, bp, bIdx + j, bs, columns);
                    case 2 -> edgeKernel2(kc, ap, aIdx, bp, bIdx + j, bs, columns);
                    default -> edgeKernel1(kc, ap, aIdx, bp, bIdx + j, bs, columns);
                }
                // column j of the group at columns[j·height ..]: row r of the group is lane r
                int height = group * PAIR;
                updateEdge(columns, 1, height, c, cIdx + q * PAIR * ldc + j, ldc, Math.min(height, mc - q * PAIR), w,
                        alpha, beta, first);
                q += group;
            }
        }
    }

    /** Four pairs of rows (64) × {@link #EDGE_COLUMNS} columns into {@code columns} (column j at j·64). */
    private static void edgeKernel4(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bs, float[] columns) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * PAIR;
            int bi = bIdx + p * bs;
            FloatVector a0 = FloatVector.fromArray(SPECIES, ap, ai);
            FloatVector a1 = FloatVector.fromArray(SPECIES, ap, ai + PAIR * KC);
            FloatVector a2 = FloatVector.fromArray(SPECIES, ap, ai + 2 * PAIR * KC);
            FloatVector a3 = FloatVector.fromArray(SPECIES, ap, ai + 3 * PAIR * KC);
            FloatVector b = FloatVector.broadcast(SPECIES, bp[bi]);
            c00 = a0.fma(b, c00);
            c10 = a1.fma(b, c10);
            c20 = a2.fma(b, c20);
            c30 = a3.fma(b, c30);
            b = FloatVector.broadcast(SPECIES, bp[bi + 1]);
            c01 = a0.fma(b, c01);
            c11 = a1.fma(b, c11);
            c21 = a2.fma(b, c21);
            c31 = a3.fma(b, c31);
            b = FloatVector.broadcast(SPECIES, bp[bi + 2]);
            c02 = a0.fma(b, c02);
            c12 = a1.fma(b, c12);
            c22 = a2.fma(b, c22);
            c32 = a3.fma(b, c32);
            b = FloatVector.broadcast(SPECIES, bp[bi + 3]);
            c03 = a0.fma(b, c03);
            c13 = a1.fma(b, c13);
            c23 = a2.fma(b, c23);
            c33 = a3.fma(b, c33);
        }
        int s = 4 * PAIR;
        c00.intoArray(columns, 0);
        c10.intoArray(columns, PAIR);
        c20.intoArray(columns, 2 * PAIR);
        c30.intoArray(columns, 3 * PAIR);
        c01.intoArray(columns, s);
        c11.intoArray(columns, s + PAIR);
        c21.intoArray(columns, s + 2 * PAIR);
        c31.intoArray(columns, s + 3 * PAIR);
        c02.intoArray(columns, 2 * s);
        c12.intoArray(columns, 2 * s + PAIR);
        c22.intoArray(columns, 2 * s + 2 * PAIR);
        c32.intoArray(columns, 2 * s + 3 * PAIR);
        c03.intoArray(columns, 3 * s);
        c13.intoArray(columns, 3 * s + PAIR);
        c23.intoArray(columns, 3 * s + 2 * PAIR);
        c33.intoArray(columns, 3 * s + 3 * PAIR);
    }

    /** Two pairs of rows (32) × {@link #EDGE_COLUMNS} columns into {@code columns} (column j at j·32). */
    private static void edgeKernel2(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bs, float[] columns) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * PAIR;
            int bi = bIdx + p * bs;
            FloatVector a0 = FloatVector.fromArray(SPECIES, ap, ai);
            FloatVector a1 = FloatVector.fromArray(SPECIES, ap, ai + PAIR * KC);
            FloatVector b = FloatVector.broadcast(SPECIES, bp[bi]);
            c00 = a0.fma(b, c00);
            c10 = a1.fma(b, c10);
            b = FloatVector.broadcast(SPECIES, bp[bi + 1]);
            c01 = a0.fma(b, c01);
            c11 = a1.fma(b, c11);
            b = FloatVector.broadcast(SPECIES, bp[bi + 2]);
            c02 = a0.fma(b, c02);
            c12 = a1.fma(b, c12);
            b = FloatVector.broadcast(SPECIES, bp[bi + 3]);
            c03 = a0.fma(b, c03);
            c13 = a1.fma(b, c13);
        }
        int s = 2 * PAIR;
        c00.intoArray(columns, 0);
        c10.intoArray(columns, PAIR);
        c01.intoArray(columns, s);
        c11.intoArray(columns, s + PAIR);
        c02.intoArray(columns, 2 * s);
        c12.intoArray(columns, 2 * s + PAIR);
        c03.intoArray(columns, 3 * s);
        c13.intoArray(columns, 3 * s + PAIR);
    }

    /** One pair of rows (16) × {@link #EDGE_COLUMNS} columns into {@code columns} (column j at j·16). */
    private static void edgeKernel1(int kc, float[] ap, int aIdx, float[] bp, int bIdx, int bs, float[] columns) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int p = 0; p < kc; p++) {
            FloatVector a = FloatVector.fromArray(SPECIES, ap, aIdx + p * PAIR);
            int bi = bIdx + p * bs;
            c0 = a.fma(FloatVector.broadcast(SPECIES, bp[bi]), c0);
            c1 = a.fma(FloatVector.broadcast(SPECIES, bp[bi + 1]), c1);
            c2 = a.fma(FloatVector.broadcast(SPECIES, bp[bi + 2]), c2);
            c3 = a.fma(FloatVector.broadcast(SPECIES, bp[bi + 3]), c3);
        }
        c0.intoArray(columns, 0);
        c1.intoArray(columns, PAIR);
        c2.intoArray(columns, 2 * PAIR);
        c3.intoArray(columns, 3 * PAIR);
    }

    /** C tile update from the accumulators, lane-wise (no fusing): see the class comment. */
    private static void updateFull(float[] tile, float[] c, int cIdx, int ldc, float alpha, float beta,
                                   boolean first) {
        for (int r = 0; r < MR; r++) {
            int ci = cIdx + r * ldc;
            for (int v = 0; v < NR; v += L) {
                FloatVector acc = FloatVector.fromArray(SPECIES, tile, r * NR + v).mul(alpha);
                if (!first) {
                    acc = FloatVector.fromArray(SPECIES, c, ci + v).add(acc);
                } else if (beta != 0f) {
                    acc = acc.add(FloatVector.fromArray(SPECIES, c, ci + v).mul(beta));
                }
                acc.intoArray(c, ci + v);
            }
        }
    }

    /**
     * Columns of C, at the end of a part's column range of the given width, that {@link #dotEdgePanel} computes: the
     * narrow last panel (width mod {@link #NR} columns) of op(A)·op(B) = A·B when its cost per row, modelled as
     * nr·(k/L + 3L) (an FMA per L values of k and column, and the sum of the lanes with its scalar tail and update
     * counted as 3L), is at most the strip kernel's k (one FMA per p, whatever the width); otherwise 0. So 4 columns
     * need k ≥ 256 with 16 lanes, 8 columns k ≥ 768 (the first layer has k = 784). The constant 3L is measured in
     * docs/decisions/0034-narrow-edge-along-k.md. Depends on the width mod NR and on k only, so a part owns the same
     * edge columns on any number of threads (parts cut C at multiples of NR). Needs L to divide 16, the kernel's
     * accumulators.
     */
    static int dotEdgeColumns(boolean ta, boolean tb, int width, int k) {
        int nr = width % NR;
        if (ta || tb || nr == 0 || 16 % L != 0 || (long) nr * (k / L + 3L * L) > k) {
            return 0;
        }
        return nr;
    }

    /**
     * The sum of the L floats {@code x[off ..]} as a fixed tree: x[i] + x[i + s] for s = L/2, .., 1, pairwise down to
     * one (written out for 16 lanes; a loop over {@code x}, which it overwrites, otherwise). Element-wise adds in an
     * order this code fixes, where {@code reduceLanes(ADD)} leaves the order to the implementation. Scalar code: on JDK
     * 17 a lane shuffle from a table, a gather or 256- and 128-bit halves each measured slower than the whole kernel.
     */
    static float sumLanes(float[] x, int off) {
        if (L == 16) {
            float y0 = x[off] + x[off + 8], y1 = x[off + 1] + x[off + 9], y2 = x[off + 2] + x[off + 10];
            float y3 = x[off + 3] + x[off + 11], y4 = x[off + 4] + x[off + 12], y5 = x[off + 5] + x[off + 13];
            float y6 = x[off + 6] + x[off + 14], y7 = x[off + 7] + x[off + 15];
            return ((y0 + y4) + (y2 + y6)) + ((y1 + y5) + (y3 + y7));
        }
        for (int s = L / 2; s >= 1; s /= 2) {
            for (int i = off; i < off + s; i++) {
                x[i] += x[i + s];
            }
        }
        return x[off];
    }

    /**
     * Rows [i0, i1) and the nr narrow columns [j, j + nr) of C for op(A) = A, op(B) = B ({@link #dotEdgeColumns}), over
     * all of k at once and with k along the vector's lanes: A is read in place (row i's k values are contiguous) and
     * op(B)'s columns are copied into a k-contiguous buffer. Element (i, j) is then
     * <pre>
     *   acc  = Σ over p &lt; k' = ⌊k / L⌋·L in steps of L of fma(a[i][p ..], b[p ..][j], acc)   (L partial sums)
     *   s    = the sum of acc's lanes ({@link #sumLanes}), then s = fma(a[i][p], b[p][j], s) for p = k' .. k − 1
     *   C    = alpha·s + beta·C   (C = alpha·s, C not read, when beta == 0)
     * </pre>
     * a different order from the tiles' (one FMA chain along p, per k-block) but a function of k alone, so the same bits
     * on any number of threads. Rows go four and columns four at a time (16 accumulators); a group's rows or columns
     * past the edge repeat its last one and are never stored. One FMA per L values of k, where the strip kernel would
     * issue one per p for every row, a 4-column edge costing as much as 16 columns.
     */
    private static void dotEdgePanel(int i0, int i1, int j, int nr, int k, float alpha, float[] a, int aOff, int lda,
                                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                                     Buffers buf) {
        float[] bt = buf.b(nr * k);
        for (int p = 0; p < k; p++) {
            int src = bOff + p * ldb + j;
            for (int jj = 0; jj < nr; jj++) {
                bt[jj * k + p] = b[src + jj];
            }
        }
        int kv = k / L * L;
        float[] sums = buf.tile;
        for (int i = i0; i < i1; i += 4) {
            int mr = Math.min(4, i1 - i);
            int a0 = aOff + i * lda;
            int a1 = aOff + (i + Math.min(1, mr - 1)) * lda;
            int a2 = aOff + (i + Math.min(2, mr - 1)) * lda;
            int a3 = aOff + (i + mr - 1) * lda;
            for (int jj = 0; jj < nr; jj += 4) {
                int w = Math.min(4, nr - jj);
                int b0 = jj * k;
                int b1 = (jj + Math.min(1, w - 1)) * k;
                int b2 = (jj + Math.min(2, w - 1)) * k;
                int b3 = (jj + w - 1) * k;
                dotKernel(kv, a, a0, a1, a2, a3, bt, b0, b1, b2, b3, buf.lanes, sums);
                for (int r = 0; r < mr; r++) {
                    int ar = aOff + (i + r) * lda;
                    for (int q = 0; q < w; q++) {
                        float s = sums[4 * r + q];
                        int bq = (jj + q) * k;
                        for (int p = kv; p < k; p++) {
                            s = Math.fma(a[ar + p], bt[bq + p], s);
                        }
                        sums[4 * r + q] = s;
                    }
                }
                updateEdge(sums, 4, 1, c, cOff + i * ldc + j + jj, ldc, mr, w, alpha, beta, true);
            }
        }
    }

    /**
     * Four rows × four columns of dot products over p &lt; kv (a multiple of L), k along the lanes: row r of A at
     * {@code a[ar ..]}, column q of B at {@code bt[bq ..]}; the sums of lanes go to {@code sums[4r + q]}.
     */
    private static void dotKernel(int kv, float[] a, int a0, int a1, int a2, int a3, float[] bt, int b0, int b1,
                                  int b2, int b3, float[] lanes, float[] sums) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int p = 0; p < kv; p += L) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(SPECIES, a, a2 + p);
            FloatVector x3 = FloatVector.fromArray(SPECIES, a, a3 + p);
            FloatVector y = FloatVector.fromArray(SPECIES, bt, b0 + p);
            c00 = x0.fma(y, c00);
            c10 = x1.fma(y, c10);
            c20 = x2.fma(y, c20);
            c30 = x3.fma(y, c30);
            y = FloatVector.fromArray(SPECIES, bt, b1 + p);
            c01 = x0.fma(y, c01);
            c11 = x1.fma(y, c11);
            c21 = x2.fma(y, c21);
            c31 = x3.fma(y, c31);
            y = FloatVector.fromArray(SPECIES, bt, b2 + p);
            c02 = x0.fma(y, c02);
            c12 = x1.fma(y, c12);
            c22 = x2.fma(y, c22);
            c32 = x3.fma(y, c32);
            y = FloatVector.fromArray(SPECIES, bt, b3 + p);
            c03 = x0.fma(y, c03);
            c13 = x1.fma(y, c13);
            c23 = x2.fma(y, c23);
            c33 = x3.fma(y, c33);
        }
        c00.intoArray(lanes, 0);
        c01.intoArray(lanes, L);
        c02.intoArray(lanes, 2 * L);
        c03.intoArray(lanes, 3 * L);
        c10.intoArray(lanes, 4 * L);
        c11.intoArray(lanes, 5 * L);
        c12.intoArray(lanes, 6 * L);
        c13.intoArray(lanes, 7 * L);
        c20.intoArray(lanes, 8 * L);
        c21.intoArray(lanes, 9 * L);
        c22.intoArray(lanes, 10 * L);
        c23.intoArray(lanes, 11 * L);
        c30.intoArray(lanes, 12 * L);
        c31.intoArray(lanes, 13 * L);
        c32.intoArray(lanes, 14 * L);
        c33.intoArray(lanes, 15 * L);
        for (int e = 0; e < 16; e++) {
            sums[e] = sumLanes(lanes, e * L);
        }
    }

    /**
     * The same update in scalar code for a ragged tile (the same IEEE operations, so the same bits): rows [0, mr) ×
     * columns [0, nr) of C at cIdx from {@code tile[r·rowStep + j·colStep]} (a micro-tile: NR, 1; the edge kernels'
     * column-major accumulators: 1, their height).
     */
    private static void updateEdge(float[] tile, int rowStep, int colStep, float[] c, int cIdx, int ldc, int mr,
                                   int nr, float alpha, float beta, boolean first) {
        for (int r = 0; r < mr; r++) {
            int ci = cIdx + r * ldc;
            int t = r * rowStep;
            for (int j = 0; j < nr; j++) {
                float acc = tile[t + j * colStep];
                if (!first) {
                    c[ci + j] = c[ci + j] + alpha * acc;
                } else if (beta == 0f) {
                    c[ci + j] = alpha * acc;
                } else {
                    c[ci + j] = alpha * acc + beta * c[ci + j];
                }
            }
        }
    }
}
