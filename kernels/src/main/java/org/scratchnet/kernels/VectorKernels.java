package org.scratchnet.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementations of the kernels, on the preferred float species. Same signatures and meaning as
 * {@link ScalarKernels}; {@link Kernels} checks the arguments and decides whether this class is used at all (it is only
 * loaded when {@code jdk.incubator.vector} is readable).
 */
public final class VectorKernels {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorKernels() {
    }

    static int preferredBits() {
        return SPECIES.vectorBitSize();
    }

    static int lanes() {
        return SPECIES.length();
    }

    static String speciesName() {
        return SPECIES.vectorShape().toString();
    }

    /**
     * See {@link Kernels#gemm}: C = alpha·op(A)·op(B) + beta·C, packed, register-blocked and split over the gemm threads
     * by {@code VectorGemm}. Each C element is summed by FMA in k-blocks fixed by k alone, so the result does not depend
     * on the thread count (it differs from {@link ScalarKernels#gemm} by rounding only).
     */
    public static void gemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        VectorGemm.gemm(transA == Transpose.T, transB == Transpose.T, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc);
    }

    public static void addRowBias(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        ScalarKernels.addRowBias(m, n, bias, biasOff, c, cOff, ldc);
    }

    public static void columnSums(int m, int n, float alpha, float[] a, int aOff, int lda,
                                  float beta, float[] out, int outOff) {
        ScalarKernels.columnSums(m, n, alpha, a, aOff, lda, beta, out, outOff);
    }

    public static void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        ScalarKernels.relu(n, x, xOff, y, yOff);
    }

    public static void reluBackward(int n, float[] z, int zOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        ScalarKernels.reluBackward(n, z, zOff, dy, dyOff, dx, dxOff);
    }

    public static void softmaxRows(int m, int n, float[] x, int xOff, int ldx) {
        ScalarKernels.softmaxRows(m, n, x, xOff, ldx);
    }

    public static double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                             float scale, float[] g, int gOff, int ldg) {
        return ScalarKernels.softmaxCrossEntropy(m, n, z, zOff, ldz, labels, labelsOff, scale, g, gOff, ldg);
    }

    public static void argmaxRows(int m, int n, float[] x, int xOff, int ldx, int[] out, int outOff) {
        ScalarKernels.argmaxRows(m, n, x, xOff, ldx, out, outOff);
    }

    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        ScalarKernels.axpy(n, alpha, x, xOff, y, yOff);
    }

    public static void multiply(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
        ScalarKernels.multiply(n, x, xOff, y, yOff, out, outOff);
    }

    public static void sgd(int n, float alpha, float[] g, int gOff, float[] w, int wOff) {
        ScalarKernels.sgd(n, alpha, g, gOff, w, wOff);
    }

    public static void momentumEma(int n, float alpha, float beta, float[] g, int gOff, float[] v, int vOff,
                                   float[] w, int wOff) {
        ScalarKernels.momentumEma(n, alpha, beta, g, gOff, v, vOff, w, wOff);
    }

    public static void momentumClassical(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff,
                                         float[] w, int wOff) {
        ScalarKernels.momentumClassical(n, alpha, mu, g, gOff, v, vOff, w, wOff);
    }

    public static void momentumNesterov(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff,
                                        float[] w, int wOff) {
        ScalarKernels.momentumNesterov(n, alpha, mu, g, gOff, v, vOff, w, wOff);
    }

    public static void adam(int n, float step, float beta1, float beta2, float eps, float[] g, int gOff,
                            float[] m, int mOff, float[] v, int vOff, float[] w, int wOff) {
        ScalarKernels.adam(n, step, beta1, beta2, eps, g, gOff, m, mOff, v, vOff, w, wOff);
    }

}
