package org.scratchnet.kernels;

/**
 * The scalar twins of every kernel: plain loops, the readable reference for what each operation means, and the
 * backend when the Vector API is absent. Signatures match {@link Kernels}, which checks the arguments; nothing here
 * checks them again.
 */
public final class ScalarKernels {

    private ScalarKernels() {
    }

    /**
     * See {@link Kernels#gemm}: C = alpha·op(A)·op(B) + beta·C. For each C[i][j] the products op(A)[i][p]·op(B)[p][j]
     * are rounded to float and summed in float over p = 0..k−1 in order, starting from 0, and then
     * C[i][j] = alpha·sum + beta·C[i][j] (C[i][j] = alpha·sum, C not read, when beta == 0). The loop order serves the
     * memory layout and does not change that sum: i-p-j (a row of partial sums, inner loop along a row of B) when B is
     * not transposed, i-j-p (a dot product along rows of A and B) when it is.
     */
    public static void gemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        boolean ta = transA == Transpose.T;
        if (transB == Transpose.N) {
            float[] sum = new float[n];
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(sum, 0f);
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

    /** See {@link Kernels#addRowBias}. */
    public static void addRowBias(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] += bias[biasOff + j];
            }
        }
    }

    /** See {@link Kernels#columnSums}. Rows are summed in order i = 0..m−1. */
    public static void columnSums(int m, int n, float alpha, float[] a, int aOff, int lda,
                                  float beta, float[] out, int outOff) {
        for (int j = 0; j < n; j++) {
            float sum = 0f;
            for (int i = 0; i < m; i++) {
                sum += a[aOff + i * lda + j];
            }
            out[outOff + j] = beta == 0f ? alpha * sum : alpha * sum + beta * out[outOff + j];
        }
    }

    /** See {@link Kernels#relu}. */
    public static void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f ? v : 0f;
        }
    }

    /** See {@link Kernels#reluBackward}. */
    public static void reluBackward(int n, float[] z, int zOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = z[zOff + i] > 0f ? dy[dyOff + i] : 0f;
        }
    }

    /** See {@link Kernels#softmaxRows}. */
    public static void softmaxRows(int m, int n, float[] x, int xOff, int ldx) {
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

    /** See {@link Kernels#softmaxCrossEntropy}. */
    public static double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                             float scale, float[] g, int gOff, int ldg) {
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
            loss -= Math.log(Math.max(py, Kernels.LOG_CLAMP));
            for (int j = 0; j < n; j++) {
                float p = g[gr + j] * inv;
                g[gr + j] = scale * (j == y ? p - 1f : p);
            }
        }
        return loss;
    }

    /** See {@link Kernels#argmaxRows}. */
    public static void argmaxRows(int m, int n, float[] x, int xOff, int ldx, int[] out, int outOff) {
        for (int i = 0; i < m; i++) {
            int r = xOff + i * ldx;
            int best = 0;
            float bv = x[r];
            for (int j = 1; j < n; j++) {
                float v = x[r + j];
                if (v > bv || (Float.isNaN(bv) && !Float.isNaN(v))) {
                    bv = v;
                    best = j;
                }
            }
            out[outOff + i] = best;
        }
    }

    /** See {@link Kernels#axpy}. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** See {@link Kernels#multiply}. */
    public static void multiply(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    /** See {@link Kernels#sgd}. */
    public static void sgd(int n, float alpha, float[] g, int gOff, float[] w, int wOff) {
        for (int i = 0; i < n; i++) {
            w[wOff + i] -= alpha * g[gOff + i];
        }
    }

    /** See {@link Kernels#momentumEma}. */
    public static void momentumEma(int n, float alpha, float beta, float[] g, int gOff, float[] v, int vOff,
                                   float[] w, int wOff) {
        float oneMinusBeta = 1f - beta;
        for (int i = 0; i < n; i++) {
            float vi = beta * v[vOff + i] + oneMinusBeta * g[gOff + i];
            v[vOff + i] = vi;
            w[wOff + i] -= alpha * vi;
        }
    }

    /** See {@link Kernels#momentumClassical}. */
    public static void momentumClassical(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff,
                                         float[] w, int wOff) {
        for (int i = 0; i < n; i++) {
            float vi = mu * v[vOff + i] + g[gOff + i];
            v[vOff + i] = vi;
            w[wOff + i] -= alpha * vi;
        }
    }

    /** See {@link Kernels#momentumNesterov}. */
    public static void momentumNesterov(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff,
                                        float[] w, int wOff) {
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float vi = mu * v[vOff + i] + gi;
            v[vOff + i] = vi;
            w[wOff + i] -= alpha * (gi + mu * vi);
        }
    }

    /** See {@link Kernels#adam}. */
    public static void adam(int n, float step, float beta1, float beta2, float eps, float[] g, int gOff,
                            float[] m, int mOff, float[] v, int vOff, float[] w, int wOff) {
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            float mi = beta1 * m[mOff + i] + c1 * gi;
            float vi = beta2 * v[vOff + i] + c2 * gi * gi;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            w[wOff + i] -= step * mi / ((float) Math.sqrt(vi) + eps);
        }
    }
}
