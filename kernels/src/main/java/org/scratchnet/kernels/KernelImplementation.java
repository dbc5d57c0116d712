package org.scratchnet.kernels;

/**
 * Internal, not API: the one interface both implementations of the kernels implement, the Vector API one
 * ({@code VectorKernels}) and its scalar twin ({@code ScalarKernels}, the readable reference). Use {@link Kernels}:
 * it checks every argument and runs the implementation chosen once for the JVM. This interface exists so that the
 * project's benchmarks and tests can run both implementations side by side in one JVM ({@link #of}); it may change in
 * any release without notice.
 *
 * <p>No method here checks its arguments. Each one means exactly what the {@link Kernels} method of the same name
 * means, and expects arguments that that method would accept and pass on: sizes ≥ 0, arrays long enough for their
 * offsets, extents and leading dimensions, labels in range, C not overlapping A or B in gemm. Anything else may throw
 * {@link ArrayIndexOutOfBoundsException}, compute garbage or write elsewhere in the arrays it was given. Zero sizes
 * that {@link Kernels} handles before dispatching (an empty output) are harmless here too, except row-wise kernels
 * over zero columns with rows (softmaxCrossEntropy, argmaxRows), which the facade rejects.
 *
 * <p>The implementations are stateless singletons (per-thread scratch buffers aside), safe for concurrent use under
 * the rules of {@link Kernels}. Where {@link Kernels} promises identical bits from both backends (the element-wise
 * kernels, the column sums, the optimiser updates, argmax), the two implementations here give identical bits; gemm,
 * softmax and the loss differ by rounding only.
 */
public sealed interface KernelImplementation permits ScalarKernels, VectorKernels {

    /**
     * Internal entry point for benchmarks and tests: the implementation of a backend, without argument checks.
     *
     * @param backend {@link Backend#SCALAR} or {@link Backend#VECTOR}
     * @return the implementation, a singleton
     * @throws IllegalArgumentException if {@code backend} is null
     * @throws IllegalStateException    if the vector implementation is asked for where it cannot run: the module
     *                                  {@code jdk.incubator.vector} is not readable, or its preferred float species is
     *                                  narrower than 128 bits
     */
    static KernelImplementation of(Backend backend) {
        if (backend == null) {
            throw new IllegalArgumentException("backend must not be null");
        }
        if (backend == Backend.SCALAR) {
            return ScalarKernels.INSTANCE;
        }
        String why = Kernels.whyNoVector();
        if (why != null) {
            throw new IllegalStateException("the vector kernels cannot run in this JVM: " + why);
        }
        return VectorKernels.INSTANCE;
    }

    /**
     * Which backend this is.
     *
     * @return {@link Backend#VECTOR} or {@link Backend#SCALAR}
     */
    Backend backend();

    /**
     * Float lanes per vector: the preferred species' length, 1 for the scalar implementation.
     *
     * @return the number of lanes
     */
    int lanes();

    /**
     * The implementation in words, e.g. {@code vector (S_512_BIT, 16 lanes)} or {@code scalar}.
     *
     * @return the description
     */
    String describe();

    /**
     * {@link Kernels#gemm} without its checks: C = alpha·op(A)·op(B) + beta·C.
     *
     * @param transA whether A is used as stored ({@link Transpose#N}) or transposed ({@link Transpose#T})
     * @param transB the same for B
     * @param m      rows of op(A) and of C
     * @param n      columns of op(B) and of C
     * @param k      columns of op(A), rows of op(B)
     * @param alpha  scale of the product
     * @param a      the array holding A
     * @param aOff   offset of A[0][0]
     * @param lda    leading dimension of A as stored
     * @param b      the array holding B
     * @param bOff   offset of B[0][0]
     * @param ldb    leading dimension of B as stored
     * @param beta   scale of the old C; 0 means C is only written
     * @param c      the array holding C, overwritten with the result
     * @param cOff   offset of C[0][0]
     * @param ldc    leading dimension of C
     */
    void gemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * {@link Kernels#addRowBias} without its checks: C[i][j] += bias[j].
     *
     * @param m       rows of C
     * @param n       columns of C and the length of bias
     * @param bias    the array holding the bias row
     * @param biasOff offset of bias[0]
     * @param c       the array holding C, updated in place
     * @param cOff    offset of C[0][0]
     * @param ldc     leading dimension of C
     */
    void addRowBias(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc);

    /**
     * {@link Kernels#columnSums} without its checks: out[j] = alpha·Σᵢ A[i][j] + beta·out[j].
     *
     * @param m      rows of A
     * @param n      columns of A and the length of out
     * @param alpha  scale of the sums
     * @param a      the array holding A
     * @param aOff   offset of A[0][0]
     * @param lda    leading dimension of A
     * @param beta   scale of the old out; 0 means out is only written
     * @param out    the array receiving the sums
     * @param outOff offset of out[0]
     */
    void columnSums(int m, int n, float alpha, float[] a, int aOff, int lda, float beta, float[] out, int outOff);

    /**
     * {@link Kernels#relu} without its checks: y[i] = max(0, x[i]).
     *
     * @param n    number of elements
     * @param x    the input array
     * @param xOff offset of x[0]
     * @param y    the output array (may be x)
     * @param yOff offset of y[0]
     */
    void relu(int n, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@link Kernels#reluBackward} without its checks: dx[i] = z[i] &gt; 0 ? dy[i] : 0.
     *
     * @param n     number of elements
     * @param z     the pre-activations of the forward pass
     * @param zOff  offset of z[0]
     * @param dy    the gradient with respect to the ReLU's output
     * @param dyOff offset of dy[0]
     * @param dx    the gradient with respect to its input (may be dy)
     * @param dxOff offset of dx[0]
     */
    void reluBackward(int n, float[] z, int zOff, float[] dy, int dyOff, float[] dx, int dxOff);

    /**
     * {@link Kernels#softmaxRows} without its checks: each row of X replaced by its softmax.
     *
     * @param m    rows
     * @param n    columns
     * @param x    the array holding X, overwritten with the probabilities
     * @param xOff offset of X[0][0]
     * @param ldx  leading dimension of X
     */
    void softmaxRows(int m, int n, float[] x, int xOff, int ldx);

    /**
     * {@link Kernels#softmaxCrossEntropy(int, int, float[], int, int, int[], int, float, float[], int, int)} without
     * its checks.
     *
     * @param m         rows (examples)
     * @param n         columns (classes), at least 1 when m &gt; 0
     * @param z         the array holding the logits Z
     * @param zOff      offset of Z[0][0]
     * @param ldz       leading dimension of Z
     * @param labels    the class of each row, in [0, n)
     * @param labelsOff offset of the first row's label
     * @param scale     factor of the gradient
     * @param g         the array receiving the gradient G (may be z at the same offset)
     * @param gOff      offset of G[0][0]
     * @param ldg       leading dimension of G
     * @return the summed loss
     */
    default double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                       float scale, float[] g, int gOff, int ldg) {
        return softmaxCrossEntropy(m, n, z, zOff, ldz, labels, labelsOff, scale, g, gOff, ldg, null, 0);
    }

    /**
     * {@link Kernels#softmaxCrossEntropy(int, int, float[], int, int, int[], int, float, float[], int, int, double[],
     * int)} without its checks.
     *
     * @param m          rows (examples)
     * @param n          columns (classes), at least 1 when m &gt; 0
     * @param z          the array holding the logits Z
     * @param zOff       offset of Z[0][0]
     * @param ldz        leading dimension of Z
     * @param labels     the class of each row, in [0, n)
     * @param labelsOff  offset of the first row's label
     * @param scale      factor of the gradient
     * @param g          the array receiving the gradient G (may be z at the same offset)
     * @param gOff       offset of G[0][0]
     * @param ldg        leading dimension of G
     * @param rowLoss    each row's loss, or null for none
     * @param rowLossOff offset of the first row's loss in rowLoss
     * @return the summed loss
     */
    double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                               float scale, float[] g, int gOff, int ldg, double[] rowLoss, int rowLossOff);

    /**
     * {@link Kernels#argmaxRows} without its checks: out[i] = argmaxⱼ X[i][j].
     *
     * @param m      rows
     * @param n      columns, at least 1 when m &gt; 0
     * @param x      the array holding X
     * @param xOff   offset of X[0][0]
     * @param ldx    leading dimension of X
     * @param out    the array receiving one index per row
     * @param outOff offset of out[0]
     */
    void argmaxRows(int m, int n, float[] x, int xOff, int ldx, int[] out, int outOff);

    /**
     * {@link Kernels#axpy} without its checks: y[i] += alpha·x[i].
     *
     * @param n     number of elements
     * @param alpha scale of x
     * @param x     the array holding x
     * @param xOff  offset of x[0]
     * @param y     the array holding y, updated in place
     * @param yOff  offset of y[0]
     */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@link Kernels#multiply} without its checks: out[i] = x[i]·y[i].
     *
     * @param n      number of elements
     * @param x      the first factor
     * @param xOff   offset of x[0]
     * @param y      the second factor
     * @param yOff   offset of y[0]
     * @param out    the product (may be x or y)
     * @param outOff offset of out[0]
     */
    void multiply(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff);

    /**
     * {@link Kernels#unsignedBytesToFloats} without its checks: y[i] = (x[i] &amp; 0xFF)·scale.
     *
     * @param n     number of elements
     * @param scale factor applied to each byte's value
     * @param x     the bytes, each read as 0..255
     * @param xOff  offset of x[0]
     * @param y     the floats written
     * @param yOff  offset of y[0]
     */
    void unsignedBytesToFloats(int n, float scale, byte[] x, int xOff, float[] y, int yOff);

    /**
     * {@link Kernels#sgd} without its checks: w[i] −= alpha·g[i].
     *
     * @param n     number of parameters
     * @param alpha learning rate
     * @param g     the gradients
     * @param gOff  offset of g[0]
     * @param w     the parameters, updated in place
     * @param wOff  offset of w[0]
     */
    void sgd(int n, float alpha, float[] g, int gOff, float[] w, int wOff);

    /**
     * {@link Kernels#momentumEma} without its checks: v[i] = flush(beta·v[i] + (1 − beta)·g[i]); w[i] −= alpha·v[i].
     *
     * @param n     number of parameters
     * @param alpha learning rate
     * @param beta  the averaging coefficient
     * @param g     the gradients
     * @param gOff  offset of g[0]
     * @param v     the velocities, updated in place
     * @param vOff  offset of v[0]
     * @param w     the parameters, updated in place
     * @param wOff  offset of w[0]
     */
    void momentumEma(int n, float alpha, float beta, float[] g, int gOff, float[] v, int vOff, float[] w, int wOff);

    /**
     * {@link Kernels#momentumClassical} without its checks: v[i] = flush(mu·v[i] + g[i]); w[i] −= alpha·v[i].
     *
     * @param n     number of parameters
     * @param alpha learning rate
     * @param mu    the momentum coefficient
     * @param g     the gradients
     * @param gOff  offset of g[0]
     * @param v     the velocities, updated in place
     * @param vOff  offset of v[0]
     * @param w     the parameters, updated in place
     * @param wOff  offset of w[0]
     */
    void momentumClassical(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff, float[] w,
                           int wOff);

    /**
     * {@link Kernels#momentumNesterov} without its checks: v[i] = flush(mu·v[i] + g[i]);
     * w[i] −= alpha·(g[i] + mu·v[i]).
     *
     * @param n     number of parameters
     * @param alpha learning rate
     * @param mu    the momentum coefficient
     * @param g     the gradients
     * @param gOff  offset of g[0]
     * @param v     the velocities, updated in place
     * @param vOff  offset of v[0]
     * @param w     the parameters, updated in place
     * @param wOff  offset of w[0]
     */
    void momentumNesterov(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff, float[] w,
                          int wOff);

    /**
     * {@link Kernels#adam} without its checks: one Adam step with the bias correction folded into {@code step}.
     *
     * @param n     number of parameters
     * @param step  the bias-corrected step size
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps   added to sqrt(v) in the denominator
     * @param g     the gradients
     * @param gOff  offset of g[0]
     * @param m     the first moments, updated in place
     * @param mOff  offset of m[0]
     * @param v     the second moments, updated in place
     * @param vOff  offset of v[0]
     * @param w     the parameters, updated in place
     * @param wOff  offset of w[0]
     */
    void adam(int n, float step, float beta1, float beta2, float eps, float[] g, int gOff, float[] m, int mOff,
              float[] v, int vOff, float[] w, int wOff);
}
