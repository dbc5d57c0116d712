package org.scratchnet.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API implementation of the kernels, on the preferred float species: one of the two implementations of
 * {@link KernelImplementation}, the other being its scalar twin {@link ScalarKernels}. {@link Kernels} checks the
 * arguments and chooses, once per JVM, whether this class is used at all (it is only loaded when
 * {@code jdk.incubator.vector} is readable). Nothing here checks arguments again.
 *
 * <p>Every loop runs whole vectors up to {@code SPECIES.loopBound(n)} and finishes with a scalar tail that evaluates
 * the same expression: masked loads and stores are not intrinsified on JDK 17 and would box every vector. Element-wise
 * kernels use separate multiply and add (never {@code fma}), in the same order as the scalar twin, so their results are
 * bit-identical to {@link ScalarKernels}; so are the column sums, which add rows in the same order. Softmax and the
 * loss differ from the scalar twin by rounding only: their row sums are reduced across lanes, and {@code exp} is a
 * polynomial (the package-private {@code exp(float)} documents it). Written for any species of at least 128 bits.
 */
final class VectorKernels implements KernelImplementation {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** The one instance: the class has no state. */
    static final VectorKernels INSTANCE = new VectorKernels();

    private VectorKernels() {
    }

    static int preferredBits() {
        return SPECIES.vectorBitSize();
    }

    @Override
    public Backend backend() {
        return Backend.VECTOR;
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public String describe() {
        return "vector (" + speciesName() + ", " + L + " lanes)";
    }

    static String speciesName() {
        return SPECIES.vectorShape().toString();
    }

    /**
     * See {@link Kernels#gemm}: C = alpha·op(A)·op(B) + beta·C, packed, register-blocked and split over the pool's
     * threads by {@code VectorGemm}. Each C element is summed by FMA in k-blocks fixed by k alone, so the result does
     * not depend on the thread count (it differs from {@link ScalarKernels#gemm} by rounding only).
     */
    @Override
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        VectorGemm.gemm(transA == Transpose.T, transB == Transpose.T, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc);
    }

    /**
     * Row-broadcast bias add: C[i][j] += bias[j] for i &lt; m, j &lt; n. Only C is modified. Bit-identical to the
     * scalar twin.
     */
    @Override
    public void addRowBias(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        int bound = SPECIES.loopBound(n);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(SPECIES, c, ci + j)
                        .add(FloatVector.fromArray(SPECIES, bias, biasOff + j))
                        .intoArray(c, ci + j);
            }
            for (; j < n; j++) {
                c[ci + j] += bias[biasOff + j];
            }
        }
    }

    /**
     * Column sums: out[j] = alpha·Σᵢ A[i][j] + beta·out[j] (out not read when beta = 0). Each lane sums its column over
     * rows i = 0..m−1 in order, exactly as the scalar twin, so the result is bit-identical to it. Four vectors of
     * columns are summed per pass over the rows, for four independent addition chains.
     */
    @Override
    public void columnSums(int m, int n, float alpha, float[] a, int aOff, int lda,
                           float beta, float[] out, int outOff) {
        int bound = SPECIES.loopBound(n);
        int j = 0;
        for (; j + 4 * L <= bound; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * lda + j;
                s0 = s0.add(FloatVector.fromArray(SPECIES, a, ai));
                s1 = s1.add(FloatVector.fromArray(SPECIES, a, ai + L));
                s2 = s2.add(FloatVector.fromArray(SPECIES, a, ai + 2 * L));
                s3 = s3.add(FloatVector.fromArray(SPECIES, a, ai + 3 * L));
            }
            storeColumnSums(s0, alpha, beta, out, outOff + j);
            storeColumnSums(s1, alpha, beta, out, outOff + j + L);
            storeColumnSums(s2, alpha, beta, out, outOff + j + 2 * L);
            storeColumnSums(s3, alpha, beta, out, outOff + j + 3 * L);
        }
        for (; j < bound; j += L) {
            FloatVector s = FloatVector.zero(SPECIES);
            for (int i = 0; i < m; i++) {
                s = s.add(FloatVector.fromArray(SPECIES, a, aOff + i * lda + j));
            }
            storeColumnSums(s, alpha, beta, out, outOff + j);
        }
        for (; j < n; j++) {
            float sum = 0f;
            for (int i = 0; i < m; i++) {
                sum += a[aOff + i * lda + j];
            }
            out[outOff + j] = beta == 0f ? alpha * sum : alpha * sum + beta * out[outOff + j];
        }
    }

    private static void storeColumnSums(FloatVector sum, float alpha, float beta, float[] out, int off) {
        FloatVector r = sum.mul(alpha);
        if (beta != 0f) {
            r = r.add(FloatVector.fromArray(SPECIES, out, off).mul(beta));
        }
        r.intoArray(out, off);
    }

    /**
     * ReLU forward: y[i] = max(0, x[i]) (NaN propagates, −0 becomes +0). In place allowed. Bit-identical to the scalar
     * twin.
     */
    @Override
    public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(SPECIES, x, xOff + i).max(0f).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    /**
     * ReLU backward: dx[i] = z[i] &gt; 0 ? dy[i] : 0 (a compare and a blend, no masked memory access). Only dx is
     * modified.
     */
    @Override
    public void reluBackward(int n, float[] z, int zOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int bound = SPECIES.loopBound(n);
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += L) {
            VectorMask<Float> active = FloatVector.fromArray(SPECIES, z, zOff + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(SPECIES, dy, dyOff + i), active).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = z[zOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    /**
     * Row-wise softmax in place: X[i][j] = exp(X[i][j] − maxⱼ X[i]) / Σⱼ exp(X[i][j] − maxⱼ X[i]). Three passes: every
     * row has its maximum subtracted; then exp runs over the whole block as one contiguous stretch when
     * {@code ldx == n} (so that 10-class rows still fill whole vectors), or row by row otherwise; then every row is
     * divided by its sum. exp is the polynomial {@link #exp(float)}: arguments below −87.3 give ≈1.2·10⁻³⁸, not 0.
     */
    @Override
    public void softmaxRows(int m, int n, float[] x, int xOff, int ldx) {
        for (int i = 0; i < m; i++) {
            int r = xOff + i * ldx;
            subtract(n, x, r, rowMax(n, x, r), x, r);
        }
        expRows(m, n, x, xOff, ldx);
        for (int i = 0; i < m; i++) {
            int r = xOff + i * ldx;
            scale(n, 1f / rowSum(n, x, r), x, r);
        }
    }

    /**
     * Fused softmax + cross-entropy: with P = softmax(Z) row-wise (computed as in {@link #softmaxRows}, into G) and Y
     * the one-hot labels, returns Σᵢ −log(max(P[i][labels[i]], {@link Kernels#LOG_CLAMP})) and sets
     * G[i][j] = scale·(P[i][j] − Y[i][j]); each row's loss also goes to {@code rowLoss[rowLossOff + i]} when rowLoss
     * is not null. Only G (and rowLoss) is modified (G may be Z at the same offset).
     */
    @Override
    public double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                      float scale, float[] g, int gOff, int ldg, double[] rowLoss,
                                      int rowLossOff) {
        for (int i = 0; i < m; i++) {
            int zr = zOff + i * ldz;
            subtract(n, z, zr, rowMax(n, z, zr), g, gOff + i * ldg);
        }
        expRows(m, n, g, gOff, ldg);
        double loss = 0;
        for (int i = 0; i < m; i++) {
            int gr = gOff + i * ldg;
            float inv = 1f / rowSum(n, g, gr);
            int y = labels[labelsOff + i];
            float py = g[gr + y] * inv;
            double li = -Math.log(Math.max(py, Kernels.LOG_CLAMP));
            loss += li;
            if (rowLoss != null) {
                rowLoss[rowLossOff + i] = li;
            }
            int bound = SPECIES.loopBound(n);
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(SPECIES, g, gr + j).mul(inv).mul(scale).intoArray(g, gr + j);
            }
            for (; j < n; j++) {
                g[gr + j] = g[gr + j] * inv * scale;
            }
            g[gr + y] = scale * (py - 1f);
        }
        return loss;
    }

    /**
     * Index of the largest element of each row: out[i] = argmaxⱼ X[i][j], the first one on ties; NaN is never chosen
     * over a number (a row of NaNs gives 0). Same result as the scalar twin: vector lanes keep their running maximum
     * with a compare-and-blend (a NaN never compares greater), then the first index holding that maximum is returned.
     */
    @Override
    public void argmaxRows(int m, int n, float[] x, int xOff, int ldx, int[] out, int outOff) {
        for (int i = 0; i < m; i++) {
            out[outOff + i] = argmax(n, x, xOff + i * ldx);
        }
    }

    private static int argmax(int n, float[] x, int off) {
        if (n < L) {
            return ScalarKernels.argmax(n, x, off);
        }
        int bound = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < bound; j += L) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, off + j);
            acc = acc.blend(v, v.compare(VectorOperators.GT, acc));
        }
        float max = acc.reduceLanes(VectorOperators.MAX);
        for (int j = bound; j < n; j++) {
            if (x[off + j] > max) {
                max = x[off + j];
            }
        }
        for (int j = 0; j < n; j++) {
            if (x[off + j] == max) {
                return j;
            }
        }
        return 0;
    }

    /**
     * BLAS axpy: y[i] += alpha·x[i]. Only y is modified. Bit-identical to the scalar twin (multiply, then add).
     */
    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(SPECIES, y, yOff + i)
                    .add(FloatVector.fromArray(SPECIES, x, xOff + i).mul(alpha))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /**
     * Element-wise product: out[i] = x[i]·y[i]. out may alias x or y. Bit-identical to the scalar twin.
     */
    @Override
    public void multiply(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(SPECIES, x, xOff + i)
                    .mul(FloatVector.fromArray(SPECIES, y, yOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    /**
     * y[i] = (x[i] &amp; 0xFF)·scale, L bytes at a time: the bytes widen to ints of the float species' shape, are
     * masked to 0..255 and converted to floats exactly, then multiplied. Bit-identical to the scalar twin. Species
     * narrower than 256 bits (whose L bytes would be narrower than the smallest vector shape) use the scalar loop.
     */
    @Override
    public void unsignedBytesToFloats(int n, float scale, byte[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        if (BYTES != null) {
            int bound = SPECIES.loopBound(n);
            for (; i < bound; i += L) {
                IntVector ints = (IntVector) ByteVector.fromArray(BYTES, x, xOff + i)
                        .convertShape(VectorOperators.B2I, INTS, 0);
                ((FloatVector) ints.and(0xFF).convertShape(VectorOperators.I2F, SPECIES, 0)).mul(scale)
                        .intoArray(y, yOff + i);
            }
        }
        for (; i < n; i++) {
            y[yOff + i] = (x[xOff + i] & 0xFF) * scale;
        }
    }

    /** L bytes as a vector species, or null when L bytes are narrower than the smallest shape (64 bits). */
    private static final VectorSpecies<Byte> BYTES = SPECIES.length() * 8 >= 64
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(SPECIES.length() * 8)) : null;
    /** L ints: the float species' shape. */
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, SPECIES.vectorShape());

    /**
     * Plain SGD: w[i] −= alpha·g[i]. Only w is modified. Bit-identical to the scalar twin. This and the other optimiser
     * updates below run in chunks on the pool's threads from 2¹⁵ elements on (same bits, see {@code Update}).
     */
    @Override
    public void sgd(int n, float alpha, float[] g, int gOff, float[] w, int wOff) {
        if (Update.splits(n)) {
            Update.run(Update.Op.SGD, n, alpha, 0f, 0f, 0f, g, gOff, null, 0, null, 0, w, wOff);
        } else {
            sgdRange(n, alpha, g, gOff, w, wOff);
        }
    }

    private static void sgdRange(int n, float alpha, float[] g, int gOff, float[] w, int wOff) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(SPECIES, w, wOff + i)
                    .sub(FloatVector.fromArray(SPECIES, g, gOff + i).mul(alpha))
                    .intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            w[wOff + i] -= alpha * g[gOff + i];
        }
    }

    /**
     * Momentum as an exponential average, one pass: v[i] = flush(beta·v[i] + (1 − beta)·g[i]); w[i] −= alpha·v[i].
     * v and w are modified. Bit-identical to the scalar twin.
     */
    @Override
    public void momentumEma(int n, float alpha, float beta, float[] g, int gOff, float[] v, int vOff,
                            float[] w, int wOff) {
        if (Update.splits(n)) {
            Update.run(Update.Op.EMA, n, alpha, beta, 0f, 0f, g, gOff, v, vOff, null, 0, w, wOff);
        } else {
            momentumEmaRange(n, alpha, beta, g, gOff, v, vOff, w, wOff);
        }
    }

    private static void momentumEmaRange(int n, float alpha, float beta, float[] g, int gOff, float[] v, int vOff,
                                         float[] w, int wOff) {
        float oneMinusBeta = 1f - beta;
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector vi = FloatVector.fromArray(SPECIES, v, vOff + i).mul(beta)
                    .add(FloatVector.fromArray(SPECIES, g, gOff + i).mul(oneMinusBeta));
            vi = vi.blend(0f, vi.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
            vi.intoArray(v, vOff + i);
            FloatVector.fromArray(SPECIES, w, wOff + i).sub(vi.mul(alpha)).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float vi = ScalarKernels.flush(beta * v[vOff + i] + oneMinusBeta * g[gOff + i]);
            v[vOff + i] = vi;
            w[wOff + i] -= alpha * vi;
        }
    }

    /**
     * Classical momentum: v[i] = flush(mu·v[i] + g[i]); w[i] −= alpha·v[i]. v and w are modified. Bit-identical to the
     * scalar twin.
     */
    @Override
    public void momentumClassical(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff,
                                  float[] w, int wOff) {
        if (Update.splits(n)) {
            Update.run(Update.Op.CLASSICAL, n, alpha, mu, 0f, 0f, g, gOff, v, vOff, null, 0, w, wOff);
        } else {
            momentumClassicalRange(n, alpha, mu, g, gOff, v, vOff, w, wOff);
        }
    }

    private static void momentumClassicalRange(int n, float alpha, float mu, float[] g, int gOff, float[] v,
                                               int vOff, float[] w, int wOff) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector vi = FloatVector.fromArray(SPECIES, v, vOff + i).mul(mu)
                    .add(FloatVector.fromArray(SPECIES, g, gOff + i));
            vi = vi.blend(0f, vi.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
            vi.intoArray(v, vOff + i);
            FloatVector.fromArray(SPECIES, w, wOff + i).sub(vi.mul(alpha)).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float vi = ScalarKernels.flush(mu * v[vOff + i] + g[gOff + i]);
            v[vOff + i] = vi;
            w[wOff + i] -= alpha * vi;
        }
    }

    /**
     * Nesterov momentum: v[i] = flush(mu·v[i] + g[i]); w[i] −= alpha·(g[i] + mu·v[i]). v and w are modified.
     * Bit-identical to the scalar twin.
     */
    @Override
    public void momentumNesterov(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff,
                                 float[] w, int wOff) {
        if (Update.splits(n)) {
            Update.run(Update.Op.NESTEROV, n, alpha, mu, 0f, 0f, g, gOff, v, vOff, null, 0, w, wOff);
        } else {
            momentumNesterovRange(n, alpha, mu, g, gOff, v, vOff, w, wOff);
        }
    }

    private static void momentumNesterovRange(int n, float alpha, float mu, float[] g, int gOff, float[] v,
                                              int vOff, float[] w, int wOff) {
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector gi = FloatVector.fromArray(SPECIES, g, gOff + i);
            FloatVector vi = FloatVector.fromArray(SPECIES, v, vOff + i).mul(mu).add(gi);
            vi = vi.blend(0f, vi.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
            vi.intoArray(v, vOff + i);
            FloatVector.fromArray(SPECIES, w, wOff + i).sub(gi.add(vi.mul(mu)).mul(alpha)).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float gi = g[gOff + i];
            float vi = ScalarKernels.flush(mu * v[vOff + i] + gi);
            v[vOff + i] = vi;
            w[wOff + i] -= alpha * (gi + mu * vi);
        }
    }

    /**
     * One Adam step: m[i] = flush(beta1·m[i] + (1 − beta1)·g[i]); v[i] = flush(beta2·v[i] + (1 − beta2)·g[i]²);
     * w[i] −= step·m[i] / (sqrt(v[i]) + eps). m, v and w are modified. Bit-identical to the scalar twin (the vector
     * square root is correctly rounded, as is the float rounding of {@link Math#sqrt}).
     */
    @Override
    public void adam(int n, float step, float beta1, float beta2, float eps, float[] g, int gOff,
                     float[] m, int mOff, float[] v, int vOff, float[] w, int wOff) {
        if (Update.splits(n)) {
            Update.run(Update.Op.ADAM, n, step, beta1, beta2, eps, g, gOff, m, mOff, v, vOff, w, wOff);
        } else {
            adamRange(n, step, beta1, beta2, eps, g, gOff, m, mOff, v, vOff, w, wOff);
        }
    }

    private static void adamRange(int n, float step, float beta1, float beta2, float eps, float[] g, int gOff,
                                  float[] m, int mOff, float[] v, int vOff, float[] w, int wOff) {
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector gi = FloatVector.fromArray(SPECIES, g, gOff + i);
            FloatVector mi = FloatVector.fromArray(SPECIES, m, mOff + i).mul(beta1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(SPECIES, v, vOff + i).mul(beta2).add(gi.mul(c2).mul(gi));
            mi = mi.blend(0f, mi.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
            vi = vi.blend(0f, vi.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
            mi.intoArray(m, mOff + i);
            vi.intoArray(v, vOff + i);
            FloatVector.fromArray(SPECIES, w, wOff + i)
                    .sub(mi.mul(step).div(vi.lanewise(VectorOperators.SQRT).add(eps)))
                    .intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float gi = g[gOff + i];
            float mi = ScalarKernels.flush(beta1 * m[mOff + i] + c1 * gi);
            float vi = ScalarKernels.flush(beta2 * v[vOff + i] + c2 * gi * gi);
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            w[wOff + i] -= step * mi / ((float) Math.sqrt(vi) + eps);
        }
    }

    /**
     * An optimiser update over a large parameter array, split into contiguous chunks (whole vectors) over
     * {@link Parallel}'s threads. Each element's update is independent of the others and the vector body and the
     * scalar tail compute the same bits, so the result does not depend on the split or the thread count. The job
     * object belongs to the calling thread and is reused (no allocation per call).
     */
    private static final class Update implements Parallel.Part {
        /**
         * Below this many parameters an update stays on the caller (docs/decisions/0007-split-optimiser-updates.md).
         */
        static final int SPLIT_MIN = Integer.getInteger("scratchnet.update.parallelMin", 1 << 15);
        private static final ThreadLocal<Update> JOB = ThreadLocal.withInitial(Update::new);

        /**
         * Which update a split job runs. Each constant runs its own kernel's loop over one chunk, reading the job's
         * scalars f0..f3 and state arrays s1, s2 as that kernel's arguments in order; there is no default case.
         */
        enum Op {
            /** {@link VectorKernels#sgd}: f0 = alpha. */
            SGD {
                @Override
                void runChunk(Update u, int lo, int len) {
                    sgdRange(len, u.f0, u.g, u.gOff + lo, u.w, u.wOff + lo);
                }
            },
            /** {@link VectorKernels#momentumEma}: f0 = alpha, f1 = beta, s1 = v. */
            EMA {
                @Override
                void runChunk(Update u, int lo, int len) {
                    momentumEmaRange(len, u.f0, u.f1, u.g, u.gOff + lo, u.s1, u.s1Off + lo, u.w, u.wOff + lo);
                }
            },
            /** {@link VectorKernels#momentumClassical}: f0 = alpha, f1 = mu, s1 = v. */
            CLASSICAL {
                @Override
                void runChunk(Update u, int lo, int len) {
                    momentumClassicalRange(len, u.f0, u.f1, u.g, u.gOff + lo, u.s1, u.s1Off + lo, u.w, u.wOff + lo);
                }
            },
            /** {@link VectorKernels#momentumNesterov}: f0 = alpha, f1 = mu, s1 = v. */
            NESTEROV {
                @Override
                void runChunk(Update u, int lo, int len) {
                    momentumNesterovRange(len, u.f0, u.f1, u.g, u.gOff + lo, u.s1, u.s1Off + lo, u.w, u.wOff + lo);
                }
            },
            /** {@link VectorKernels#adam}: f0 = step, f1 = beta1, f2 = beta2, f3 = eps, s1 = m, s2 = v. */
            ADAM {
                @Override
                void runChunk(Update u, int lo, int len) {
                    adamRange(len, u.f0, u.f1, u.f2, u.f3, u.g, u.gOff + lo, u.s1, u.s1Off + lo, u.s2, u.s2Off + lo,
                            u.w, u.wOff + lo);
                }
            };

            /** Runs this update over elements [lo, lo + len) of the job {@code u}. */
            abstract void runChunk(Update u, int lo, int len);
        }

        Op op;
        int n;
        int parts;
        float f0;
        float f1;
        float f2;
        float f3;
        float[] g;
        int gOff;
        float[] s1;
        int s1Off;
        float[] s2;
        int s2Off;
        float[] w;
        int wOff;

        static boolean splits(int n) {
            return n >= SPLIT_MIN && Parallel.threads() > 1;
        }

        static void run(Op op, int n, float f0, float f1, float f2, float f3, float[] g, int gOff,
                        float[] s1, int s1Off, float[] s2, int s2Off, float[] w, int wOff) {
            Update u = JOB.get();
            u.op = op;
            u.n = n;
            u.parts = Math.min(Parallel.threads(), Math.max(1, n / SPLIT_MIN));
            u.f0 = f0;
            u.f1 = f1;
            u.f2 = f2;
            u.f3 = f3;
            u.g = g;
            u.gOff = gOff;
            u.s1 = s1;
            u.s1Off = s1Off;
            u.s2 = s2;
            u.s2Off = s2Off;
            u.w = w;
            u.wOff = wOff;
            try {
                Parallel.run(u.parts, u);
            } finally {
                u.g = null;
                u.s1 = null;
                u.s2 = null;
                u.w = null;
            }
        }

        @Override
        public void run(int part) {
            int lo = chunkStart(part);
            int len = chunkStart(part + 1) - lo;
            op.runChunk(this, lo, len);
        }

        /** Start of chunk {@code part}: an even share of n, rounded down to whole vectors (the last ends at n). */
        private int chunkStart(int part) {
            if (part >= parts) {
                return n;
            }
            return (int) ((long) n * part / parts) / L * L;
        }
    }

    // ------------------------------------------------------------------------------------------------ row helpers

    private static final int L = SPECIES.length();

    /** maxⱼ x[off + j] for j &lt; n, n ≥ 1 (NaN propagates, as {@link Math#max}). */
    private static float rowMax(int n, float[] x, int off) {
        if (n < L) {
            float max = x[off];
            for (int j = 1; j < n; j++) {
                max = Math.max(max, x[off + j]);
            }
            return max;
        }
        int bound = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.fromArray(SPECIES, x, off);
        for (int j = L; j < bound; j += L) {
            acc = acc.max(FloatVector.fromArray(SPECIES, x, off + j));
        }
        float max = acc.reduceLanes(VectorOperators.MAX);
        for (int j = bound; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        return max;
    }

    /** Σⱼ x[off + j] for j &lt; n: in order below one vector, else lane-wise partial sums reduced across lanes. */
    private static float rowSum(int n, float[] x, int off) {
        if (n < L) {
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                sum += x[off + j];
            }
            return sum;
        }
        int bound = SPECIES.loopBound(n);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int j = 0; j < bound; j += L) {
            acc = acc.add(FloatVector.fromArray(SPECIES, x, off + j));
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (int j = bound; j < n; j++) {
            sum += x[off + j];
        }
        return sum;
    }

    /** y[yOff + j] = x[xOff + j] − s for j &lt; n (in place allowed). */
    private static void subtract(int n, float[] x, int xOff, float s, float[] y, int yOff) {
        int bound = SPECIES.loopBound(n);
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector.fromArray(SPECIES, x, xOff + j).sub(s).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] = x[xOff + j] - s;
        }
    }

    /** x[off + j] *= s for j &lt; n. */
    private static void scale(int n, float s, float[] x, int off) {
        int bound = SPECIES.loopBound(n);
        int j = 0;
        for (; j < bound; j += L) {
            FloatVector.fromArray(SPECIES, x, off + j).mul(s).intoArray(x, off + j);
        }
        for (; j < n; j++) {
            x[off + j] *= s;
        }
    }

    /** exp in place over an m×n block: one contiguous stretch when ld == n, else row by row. */
    private static void expRows(int m, int n, float[] x, int off, int ld) {
        if (ld == n) {
            expInPlace(m * n, x, off);
        } else {
            for (int i = 0; i < m; i++) {
                expInPlace(n, x, off + i * ld);
            }
        }
    }

    private static void expInPlace(int n, float[] x, int off) {
        int bound = SPECIES.loopBound(n);
        int j = 0;
        for (; j < bound; j += L) {
            exp(FloatVector.fromArray(SPECIES, x, off + j)).intoArray(x, off + j);
        }
        for (; j < n; j++) {
            x[off + j] = exp(x[off + j]);
        }
    }

    // ------------------------------------------------------------------------------------------------ exp

    // exp(x) = 2^k · p(r) with k = round(x·log2 e), r = x − k·ln 2 (ln 2 split in a part exact in float and a
    // remainder), p a degree-7 polynomial (the coefficients of Cephes' expf).
    // Largest relative error 1.33·2^-24 against Math.exp over every 256th float of [-87, 88]
    // (SoftmaxKernelsTest.polynomialExpErrorOverASweepOfFloats).
    // Why a polynomial: docs/decisions/0001-polynomial-exp.md.
    private static final float EXP_LO = -87.3f; // clamp: 2^k stays a normal float
    private static final float EXP_HI = 88.3f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND = 12582912f; // 1.5·2^23: t + ROUND rounds t to an integer kept in the low bits
    private static final int ROUND_BITS = 0x4B400000; // Float.floatToRawIntBits(ROUND)
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    /**
     * The polynomial exp used by the softmax kernels, one lane: exp(x) for x in [−87.3, 88.3], x clamped to that range
     * first (so exp(−1e4) ≈ 1.2·10⁻³⁸, never 0 or a denormal); NaN stays NaN. Relative error under 2·2⁻²⁴. The same
     * operations in the same order as the vector version, without fma, so a tail element gets exactly the value it
     * would get in a vector lane.
     */
    static float exp(float x) {
        float c = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float t = c * LOG2E + ROUND;
        float k = t - ROUND;
        float r = c - k * LN2_HI - k * LN2_LO;
        float p = P0 * r + P1;
        p = p * r + P2;
        p = p * r + P3;
        p = p * r + P4;
        p = p * r + P5;
        p = p * (r * r) + r + 1f;
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) - ROUND_BITS + 127) << 23);
    }

    private static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = c.mul(LOG2E).add(ROUND);
        FloatVector k = t.sub(ROUND);
        FloatVector r = c.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
        FloatVector p = r.mul(P0).add(P1);
        p = p.mul(r).add(P2);
        p = p.mul(r).add(P3);
        p = p.mul(r).add(P4);
        p = p.mul(r).add(P5);
        p = p.mul(r.mul(r)).add(r).add(1f);
        FloatVector twoToK = t.reinterpretAsInts().add(127 - ROUND_BITS).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return p.mul(twoToK);
    }
}
