package org.scratchnet.kernels;

/**
 * The scalar twin of every kernel: plain loops, the readable reference for what each operation means, and the
 * backend when the Vector API is absent. One of the two implementations of {@link KernelImplementation}, the other
 * being {@link VectorKernels}. {@link Kernels} checks the arguments; nothing here checks them again.
 */
final class ScalarKernels implements KernelImplementation {

    /** The one instance: the class has no state but the per-thread scratch row. */
    static final ScalarKernels INSTANCE = new ScalarKernels();

    /** Per-thread row of partial sums for {@link #gemm}, grown on demand, so that gemm does not allocate per call. */
    private static final ThreadLocal<float[]> GEMM_ROW = ThreadLocal.withInitial(() -> new float[0]);

    private ScalarKernels() {
    }

    @Override
    public Backend backend() {
        return Backend.SCALAR;
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public String describe() {
        return "scalar";
    }

    private static float[] gemmRow(int n) {
        float[] row = GEMM_ROW.get();
        if (row.length < n) {
            row = new float[n];
            GEMM_ROW.set(row);
        }
        return row;
    }

    /**
     * See {@link Kernels#gemm}: C = alpha·op(A)·op(B) + beta·C. For each C[i][j] the products op(A)[i][p]·op(B)[p][j]
     * are rounded to float and summed in float over p = 0..k−1 in order, starting from 0, and then
     * C[i][j] = alpha·sum + beta·C[i][j] (C[i][j] = alpha·sum, C not read, when beta == 0). The loop order serves the
     * memory layout and does not change that sum: i-p-j (a row of partial sums, inner loop along a row of B) when B is
     * not transposed, i-j-p (a dot product along rows of A and B) when it is. The row of partial sums is a per-thread
     * scratch array, allocated once per thread and grown when a wider C comes, not per call.
     */
    @Override
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        boolean ta = transA == Transpose.T;
        if (transB == Transpose.N) {
            float[] sum = gemmRow(n);
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(sum, 0, n, 0f);
                for (int p = 0; p < k; p++) {
                    float aip = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        sum[j] += aip * b[bp + j];
                    }
                }
                storeRow(n, alpha, sum, beta, c, cOff + i * ldc);
            }
        } else {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float sum = 0f;
                    if (ta) {
                        for (int p = 0; p < k; p++) {
                            sum += a[aOff + p * lda + i] * b[bj + p];
                        }
                    } else {
                        int ai = aOff + i * lda;
                        for (int p = 0; p < k; p++) {
                            sum += a[ai + p] * b[bj + p];
                        }
                    }
                    c[ci + j] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci + j];
                }
            }
        }
    }

    private static void storeRow(int n, float alpha, float[] sum, float beta, float[] c, int ci) {
        for (int j = 0; j < n; j++) {
            c[ci + j] = beta == 0f ? alpha * sum[j] : alpha * sum[j] + beta * c[ci + j];
        }
    }

    /**
     * Row-broadcast bias add: C[i][j] += bias[j] for i &lt; m, j &lt; n. Only C is modified. See
     * {@link Kernels#addRowBias}.
     */
    @Override
    public void addRowBias(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] += bias[biasOff + j];
            }
        }
    }

    /**
     * Column sums: out[j] = alpha·Σᵢ A[i][j] + beta·out[j] (out not read when beta = 0). Rows are summed in order
     * i = 0..m−1. See {@link Kernels#columnSums}.
     */
    @Override
    public void columnSums(int m, int n, float alpha, float[] a, int aOff, int lda,
                           float beta, float[] out, int outOff) {
        for (int j = 0; j < n; j++) {
            float sum = 0f;
            for (int i = 0; i < m; i++) {
                sum += a[aOff + i * lda + j];
            }
            out[outOff + j] = beta == 0f ? alpha * sum : alpha * sum + beta * out[outOff + j];
        }
    }

    /**
     * ReLU forward: y[i] = max(0, x[i]), as {@link Math#max} (NaN propagates, −0 becomes +0). See {@link Kernels#relu}.
     */
    @Override
    public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    /**
     * ReLU backward: dx[i] = z[i] &gt; 0 ? dy[i] : 0 (a NaN in z gives 0). See {@link Kernels#reluBackward}.
     */
    @Override
    public void reluBackward(int n, float[] z, int zOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = z[zOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    /**
     * Row-wise softmax in place, stable: X[i][j] = exp(X[i][j] − maxⱼ X[i]) / Σⱼ exp(X[i][j] − maxⱼ X[i]), with
     * {@link Math#exp} and the row sum taken in order. See {@link Kernels#softmaxRows}.
     */
    @Override
    public void softmaxRows(int m, int n, float[] x, int xOff, int ldx) {
        for (int i = 0; i < m; i++) {
            int r = xOff + i * ldx;
            float max = x[r];
            for (int j = 1; j < n; j++) {
                max = Math.max(max, x[r + j]);
            }
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                float e = (float) Math.exp(x[r + j] - max);
                x[r + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j < n; j++) {
                x[r + j] *= inv;
            }
        }
    }

    /**
     * Fused softmax + cross-entropy: returns Σᵢ −log(max(P[i][labels[i]], {@link Kernels#LOG_CLAMP})) and sets
     * G[i][j] = scale·(P[i][j] − Y[i][j]), P = softmax(Z) as in {@link #softmaxRows}; each row's loss also goes to
     * {@code rowLoss[rowLossOff + i]} when rowLoss is not null. See {@link Kernels#softmaxCrossEntropy}.
     */
    @Override
    public double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                      float scale, float[] g, int gOff, int ldg, double[] rowLoss,
                                      int rowLossOff) {
        double loss = 0;
        for (int i = 0; i < m; i++) {
            int zr = zOff + i * ldz;
            int gr = gOff + i * ldg;
            float max = z[zr];
            for (int j = 1; j < n; j++) {
                max = Math.max(max, z[zr + j]);
            }
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                float e = (float) Math.exp(z[zr + j] - max);
                g[gr + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            int y = labels[labelsOff + i];
            float py = g[gr + y] * inv;
            double li = -Math.log(Math.max(py, Kernels.LOG_CLAMP));
            loss += li;
            if (rowLoss != null) {
                rowLoss[rowLossOff + i] = li;
            }
            for (int j = 0; j < n; j++) {
                float p = g[gr + j] * inv;
                g[gr + j] = scale * (j == y ? p - 1f : p);
            }
        }
        return loss;
    }

    /**
     * out[i] = argmaxⱼ X[i][j]: the first index on ties; NaN never chosen over a number (all NaN gives 0). See
     * {@link Kernels#argmaxRows}.
     */
    @Override
    public void argmaxRows(int m, int n, float[] x, int xOff, int ldx, int[] out, int outOff) {
        for (int i = 0; i < m; i++) {
            out[outOff + i] = argmax(n, x, xOff + i * ldx);
        }
    }

    /** Index of the largest of x[off..off+n), n &gt;= 1, with the rules of {@link #argmaxRows}. */
    static int argmax(int n, float[] x, int off) {
        int best = 0;
        float bv = x[off];
        for (int j = 1; j < n; j++) {
            float v = x[off + j];
            if (v > bv || (Float.isNaN(bv) && !Float.isNaN(v))) {
                bv = v;
                best = j;
            }
        }
        return best;
    }

    /**
     * BLAS axpy: y[i] += alpha·x[i]. See {@link Kernels#axpy}.
     */
    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /**
     * Element-wise product: out[i] = x[i]·y[i]. See {@link Kernels#multiply}.
     */
    @Override
    public void multiply(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    /**
     * y[i] = (x[i] &amp; 0xFF)·scale. See {@link Kernels#unsignedBytesToFloats}.
     */
    @Override
    public void unsignedBytesToFloats(int n, float scale, byte[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (x[xOff + i] & 0xFF) * scale;
        }
    }

    /**
     * Plain SGD: w[i] −= alpha·g[i]. See {@link Kernels#sgd}.
     */
    @Override
    public void sgd(int n, float alpha, float[] g, int gOff, float[] w, int wOff) {
        for (int i = 0; i < n; i++) {
            w[wOff + i] -= alpha * g[gOff + i];
        }
    }

    /**
     * The optimisers' flush: x, or +0 when |x| is below the smallest normal float ({@link Float#MIN_NORMAL}). See
     * {@link Kernels#momentumEma} for why the optimiser state is flushed.
     */
    static float flush(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }

    /**
     * Momentum, exponential average: v[i] = flush(beta·v[i] + (1 − beta)·g[i]); w[i] −= alpha·v[i]. See
     * {@link Kernels#momentumEma}.
     */
    @Override
    public void momentumEma(int n, float alpha, float beta, float[] g, int gOff, float[] v, int vOff,
                            float[] w, int wOff) {
        float oneMinusBeta = 1f - beta;
        for (int i = 0; i < n; i++) {
            float vi = flush(beta * v[vOff + i] + oneMinusBeta * g[gOff + i]);
            v[vOff + i] = vi;
            w[wOff + i] -= alpha * vi;
        }
    }

    /**
     * Classical momentum: v[i] = flush(mu·v[i] + g[i]); w[i] −= alpha·v[i]. See {@link Kernels#momentumClassical}.
     */
    @Override
    public void momentumClassical(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff,
                                  float[] w, int wOff) {
        for (int i = 0; i < n; i++) {
            float vi = flush(mu * v[vOff + i] + g[gOff + i]);
            v[vOff + i] = vi;
            w[wOff + i] -= alpha * vi;
        }
    }

    /**
     * Nesterov momentum: v[i] = flush(mu·v[i] + g[i]); w[i] −= alpha·(g[i] + mu·v[i]). See
     * {@link Kernels#momentumNesterov}.
     */
    @Override
    public void momentumNesterov(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff,
                                 float[] w, int wOff) {
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float vi = flush(mu * v[vOff + i] + gi);
            v[vOff + i] = vi;
            w[wOff + i] -= alpha * (gi + mu * vi);
        }
    }

    /**
     * Adam: m[i] = flush(beta1·m[i] + (1 − beta1)·g[i]); v[i] = flush(beta2·v[i] + (1 − beta2)·g[i]²);
     * w[i] −= step·m[i] / (sqrt(v[i]) + eps). See {@link Kernels#adam}.
     */
    @Override
    public void adam(int n, float step, float beta1, float beta2, float eps, float[] g, int gOff,
                     float[] m, int mOff, float[] v, int vOff, float[] w, int wOff) {
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float mi = flush(beta1 * m[mOff + i] + c1 * gi);
            float vi = flush(beta2 * v[vOff + i] + c2 * gi * gi);
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            w[wOff + i] -= step * mi / ((float) Math.sqrt(vi) + eps);
        }
    }
}
