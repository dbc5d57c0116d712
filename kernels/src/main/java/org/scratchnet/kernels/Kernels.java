package org.scratchnet.kernels;

import java.lang.System.Logger.Level;

/**
 * The kernels' public entry point: every operation a feedforward network needs, over flat row-major {@code float[]}
 * arrays with explicit offsets and leading dimensions. Each method checks its arguments, then calls the same method
 * of the implementation chosen once for the JVM: the Vector API one or its scalar twin, the two implementations of
 * the internal {@link KernelImplementation}. The choice sits in a {@code static final} field, so once the JIT has
 * compiled a caller the call goes straight to the chosen implementation's code.
 *
 * <p>Conventions. A matrix X with {@code rows × cols} elements stored at offset {@code xOff} with leading dimension
 * {@code ldx} has element (i, j) at {@code x[xOff + i*ldx + j]}; {@code ldx >= cols} is required. Arguments are checked
 * here, once, before either implementation runs: a negative size, a leading dimension shorter than the row, an array
 * too short for offset + extent, or a gemm whose C overlaps A or B in the same array throws
 * {@link IllegalArgumentException} naming the numbers. An empty output (a zero
 * size of what is written) leaves everything untouched; an empty reduction does not, as in BLAS: gemm with k = 0 sets
 * C = beta·C and columnSums with m = 0 sets out = beta·out. Row-wise kernels over zero classes (softmaxCrossEntropy,
 * argmaxRows with n = 0 and m &gt; 0) throw.
 *
 * <p>Backend choice. Made once, when this class is initialised: {@link Backend#VECTOR} when the module
 * {@code jdk.incubator.vector} is readable and its preferred float species is at least 128 bits wide, otherwise
 * {@link Backend#SCALAR} with one logged warning. The system property {@code scratchnet.kernels=scalar|vector}
 * overrides the choice ({@code vector} where the module is absent falls back to scalar, with the warning).
 *
 * <p>Running it. The Vector API is an incubator module, which the JVM does not resolve unless asked. On the class path
 * (including a runnable jar) start java with {@code --add-modules jdk.incubator.vector}. On the module path the module
 * {@code org.scratchnet.kernels} requires {@code jdk.incubator.vector} itself, so no flag is needed. Either way the JVM
 * prints {@code WARNING: Using incubator modules: jdk.incubator.vector} once on stderr, as it does for every incubator
 * module. Without the flag on the class path nothing fails: every call runs the scalar twins, which give the same
 * results to rounding (the element-wise kernels bit for bit) but are much slower (gemm some 30 times on the AVX-512
 * machine of the project's BENCHMARKS.md), and one warning is logged through {@link System.Logger} (logger {@code
 * org.scratchnet.kernels.Kernels}), naming the flag. {@link #backend()} and {@link #describe()} tell which backend
 * runs.
 *
 * <p>Thread safety. Every method may be called from any number of threads at once. The kernels keep no state between
 * calls except per-thread scratch buffers and the thread pool, so concurrent calls are safe as long as no array region
 * one call writes is read or written by another call at the same time (inputs may be shared freely); the caller owns
 * that. A call returns only when its writes are complete, and they are visible to the calling thread. gemm and the
 * other kernels that split work share one pool; while one call is using it, a call started by another thread runs
 * entirely on its own thread: correct and bit-identical, just not split. {@link #setThreads} takes effect for calls
 * that start after it and may be called at any time; the pool's workers are daemon threads, so they never keep a JVM
 * alive.
 */
public final class Kernels {

    /** System property that forces a backend: {@code scalar} or {@code vector}. */
    public static final String BACKEND_PROPERTY = "scratchnet.kernels";

    private static final System.Logger LOG = System.getLogger(Kernels.class.getName());
    /** The implementation every method calls, chosen once; static final, so the JIT treats it as a constant. */
    private static final KernelImplementation IMPL = choose();

    private Kernels() {
    }

    // ------------------------------------------------------------------------------------------------ backend

    /**
     * The backend chosen for this JVM.
     *
     * @return {@link Backend#VECTOR} or {@link Backend#SCALAR}, fixed for the life of the JVM
     */
    public static Backend backend() {
        return IMPL.backend();
    }

    /**
     * Lanes of the float species the vector backend uses, or 1 on the scalar backend.
     *
     * @return the number of float lanes per vector, at least 4 on the vector backend
     */
    public static int lanes() {
        return IMPL.lanes();
    }

    /**
     * Columns of C one gemm micro-tile computes: three vectors on the vector backend, 1 on the scalar one. A caller
     * that splits a gemm by columns of C at multiples of this gives every part whole tiles, where a narrower edge runs
     * a slower kernel.
     *
     * @return the tile width in floats, at least 1
     */
    public static int gemmTileColumns() {
        return backend() == Backend.VECTOR ? 3 * lanes() : 1;
    }

    /**
     * One line for humans: backend, species and lanes, threads, e.g. {@code vector (S_512_BIT, 16 lanes), 2 threads}.
     *
     * @return the description, never null
     */
    public static String describe() {
        return IMPL.describe() + ", " + threads() + (threads() == 1 ? " thread" : " threads");
    }

    /**
     * Whether {@code jdk.incubator.vector} is readable in this JVM (independent of the backend chosen).
     *
     * @return true if the boot layer holds {@code jdk.incubator.vector}
     */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Why the vector implementation cannot run in this JVM, or null when it can: the module is not readable, the
     * Vector API fails to load, or the preferred float species is narrower than 128 bits. Touches the vector classes
     * only once the module is known to be there.
     */
    static String whyNoVector() {
        if (!vectorModulePresent()) {
            return "jdk.incubator.vector is not available";
        }
        int bits;
        try {
            bits = VectorKernels.preferredBits();
        } catch (LinkageError e) {
            return "the Vector API could not be loaded (" + e + ")";
        }
        return bits < 128 ? "preferred vector species is " + bits + " bits (< 128)" : null;
    }

    private static KernelImplementation choose() {
        String forced = System.getProperty(BACKEND_PROPERTY, "").trim().toLowerCase(java.util.Locale.ROOT);
        if (forced.equals("scalar")) {
            LOG.log(Level.DEBUG, "kernels: scalar backend forced by -D" + BACKEND_PROPERTY + "=scalar");
            return ScalarKernels.INSTANCE;
        }
        if (!forced.isEmpty() && !forced.equals("vector")) {
            LOG.log(Level.WARNING,
                    "kernels: ignoring -D" + BACKEND_PROPERTY + "=" + forced + " (expected scalar or vector)");
        }
        String why = whyNoVector();
        if (why != null) {
            String hint = vectorModulePresent() ? ""
                    : " (run java with --add-modules jdk.incubator.vector for the fast ones)";
            LOG.log(Level.WARNING, "kernels: " + why + ", using the scalar kernels" + hint);
            return ScalarKernels.INSTANCE;
        }
        LOG.log(Level.DEBUG, "kernels: vector backend, " + VectorKernels.preferredBits() + "-bit species");
        return VectorKernels.INSTANCE;
    }

    // ------------------------------------------------------------------------------------------------ threads

    /**
     * Threads that {@link #gemm} may use (the calling thread included). Defaults to the available processors.
     *
     * @return the thread count, at least 1
     */
    public static int threads() {
        return Parallel.threads();
    }

    /**
     * Sets the number of threads the kernels' pool may use ({@link #gemm} and the optimiser updates over large arrays),
     * the calling thread included; 1 keeps all work on the caller.
     * Results do not depend on this number: each output element is reduced in the same order whatever the split.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     * @param n the thread count, at least 1
     */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        Parallel.setThreads(n);
    }

    // ------------------------------------------------------------------------------------------------ gemm

    /**
     * General matrix multiply, BLAS {@code sgemm} on row-major arrays: C = alpha·op(A)·op(B) + beta·C, where op(A) is
     * m×k, op(B) is k×n and C is m×n. A is stored m×k ({@code transA = N}) or k×m ({@code T}) with leading dimension
     * {@code lda}; B is stored k×n ({@code N}) or n×k ({@code T}) with {@code ldb}; C is stored m×n with {@code ldc}.
     * When {@code beta == 0}, C is not read (NaNs in it do not propagate). Only C is modified.
     *
     * <p>C must not overlap A or B: when C is in the same array as A (or B), the spans they occupy there, each from the
     * matrix's first element to its last ({@code [off, off + (rows − 1)·ld + cols)}), must be disjoint, or the call
     * throws. Interleaved matrices whose spans cross (C in some columns of a wide array, A in others) are refused too.
     *
     * @param transA whether A is used as stored ({@link Transpose#N}) or transposed ({@link Transpose#T})
     * @param transB the same for B
     * @param m      rows of op(A) and of C
     * @param n      columns of op(B) and of C
     * @param k      columns of op(A), rows of op(B): the length of each dot product
     * @param alpha  scale of the product
     * @param a      the array holding A
     * @param aOff   offset of A[0][0] in {@code a}
     * @param lda    leading dimension of A as stored, at least its row length (k for N, m for T)
     * @param b      the array holding B
     * @param bOff   offset of B[0][0] in {@code b}
     * @param ldb    leading dimension of B as stored, at least its row length (n for N, k for T)
     * @param beta   scale of the old C; 0 means C is only written
     * @param c      the array holding C, overwritten with the result
     * @param cOff   offset of C[0][0] in {@code c}
     * @param ldc    leading dimension of C, at least n
     * @throws IllegalArgumentException if a size is negative, a transpose flag is null, a leading dimension is too
     *                                  small, an array too short for its matrix, or C overlaps A or B in the same array
     *                                  (checked before any work)
     */
    public static void gemm(Transpose transA, Transpose transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        checkSize("m", m);
        checkSize("n", n);
        checkSize("k", k);
        if (transA == null || transB == null) {
            throw new IllegalArgumentException("transA and transB must not be null");
        }
        checkMatrix("C", m, n, c, cOff, ldc);
        int aRows = transA == Transpose.N ? m : k;
        int aCols = transA == Transpose.N ? k : m;
        int bRows = transB == Transpose.N ? k : n;
        int bCols = transB == Transpose.N ? n : k;
        checkMatrix("A", aRows, aCols, a, aOff, lda);
        checkMatrix("B", bRows, bCols, b, bOff, ldb);
        checkDisjointFromC("A", aRows, aCols, a, aOff, lda, m, n, c, cOff, ldc);
        checkDisjointFromC("B", bRows, bCols, b, bOff, ldb, m, n, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        IMPL.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    // ------------------------------------------------------------------------------------------------ layers

    /**
     * Row-broadcast bias add: C[i][j] += bias[j] for i &lt; m, j &lt; n. Only C is modified.
     *
     * @param m       rows of C
     * @param n       columns of C and the length of bias
     * @param bias    the array holding the bias row
     * @param biasOff offset of bias[0]
     * @param c       the array holding C, updated in place
     * @param cOff    offset of C[0][0]
     * @param ldc     leading dimension of C, at least n
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void addRowBias(int m, int n, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        checkSize("m", m);
        checkSize("n", n);
        checkVector("bias", n, bias, biasOff);
        checkMatrix("C", m, n, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        IMPL.addRowBias(m, n, bias, biasOff, c, cOff, ldc);
    }

    /**
     * Column sums (the bias gradient): out[j] = alpha·Σᵢ A[i][j] + beta·out[j] for j &lt; n, i &lt; m. When
     * {@code beta == 0}, out is not read. Only out is modified.
     *
     * @param m      rows of A (the batch)
     * @param n      columns of A and the length of out
     * @param alpha  scale of the sums (1/m gives the mean)
     * @param a      the array holding A
     * @param aOff   offset of A[0][0]
     * @param lda    leading dimension of A, at least n
     * @param beta   scale of the old out; 0 means out is only written
     * @param out    the array receiving the sums
     * @param outOff offset of out[0]
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void columnSums(int m, int n, float alpha, float[] a, int aOff, int lda,
                                  float beta, float[] out, int outOff) {
        checkSize("m", m);
        checkSize("n", n);
        checkMatrix("A", m, n, a, aOff, lda);
        checkVector("out", n, out, outOff);
        if (n == 0) {
            return;
        }
        IMPL.columnSums(m, n, alpha, a, aOff, lda, beta, out, outOff);
    }

    /**
     * ReLU forward: y[i] = max(0, x[i]) for i &lt; n, with {@link Math#max}'s meaning (a NaN stays NaN, −0 becomes +0).
     * x and y may be the same array at the same offset (in place). Only y is modified.
     *
     * @param n    number of elements
     * @param x    the input array
     * @param xOff offset of x[0]
     * @param y    the output array (may be x)
     * @param yOff offset of y[0]
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        checkSize("n", n);
        checkVector("x", n, x, xOff);
        checkVector("y", n, y, yOff);
        if (n == 0) {
            return;
        }
        IMPL.relu(n, x, xOff, y, yOff);
    }

    /**
     * ReLU backward, masked by the pre-activation: dx[i] = z[i] &gt; 0 ? dy[i] : 0 for i &lt; n. dx may be dy (in
     * place). Only dx is modified.
     *
     * @param n     number of elements
     * @param z     the pre-activations of the forward pass
     * @param zOff  offset of z[0]
     * @param dy    the gradient with respect to the ReLU's output
     * @param dyOff offset of dy[0]
     * @param dx    the gradient with respect to its input (may be dy)
     * @param dxOff offset of dx[0]
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void reluBackward(int n, float[] z, int zOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        checkSize("n", n);
        checkVector("z", n, z, zOff);
        checkVector("dy", n, dy, dyOff);
        checkVector("dx", n, dx, dxOff);
        if (n == 0) {
            return;
        }
        IMPL.reluBackward(n, z, zOff, dy, dyOff, dx, dxOff);
    }

    /**
     * Row-wise softmax in place, numerically stable: X[i][j] = exp(X[i][j] − maxⱼ X[i]) / Σⱼ exp(X[i][j] − maxⱼ X[i]).
     * Subtracting the row max keeps every exp argument ≤ 0, so logits of any size give finite probabilities that sum
     * to 1 (to rounding). The vector backend uses a polynomial exp (relative error ≤ 8.2·10⁻⁸) that returns ≈1.2·10⁻³⁸
     * instead of 0 for arguments below −87.3; the scalar backend uses {@link Math#exp}.
     *
     * @param m    rows
     * @param n    columns (classes)
     * @param x    the array holding X, overwritten with the probabilities
     * @param xOff offset of X[0][0]
     * @param ldx  leading dimension of X, at least n
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void softmaxRows(int m, int n, float[] x, int xOff, int ldx) {
        checkSize("m", m);
        checkSize("n", n);
        checkMatrix("X", m, n, x, xOff, ldx);
        if (m == 0 || n == 0) {
            return;
        }
        IMPL.softmaxRows(m, n, x, xOff, ldx);
    }

    /** The probability clamp used before the log in {@link #softmaxCrossEntropy}. */
    public static final float LOG_CLAMP = 1e-7f;

    /**
     * Fused softmax + categorical cross-entropy over m rows of n logits with integer labels.
     * With P = softmax(Z) row-wise (stable, as {@link #softmaxRows}) and Y the one-hot labels:
     * <pre>
     *   returns  Σᵢ −log(max(P[i][labels[i]], LOG_CLAMP))      (a sum over rows; divide by m for the mean)
     *   G[i][j] = scale · (P[i][j] − Y[i][j])                    (scale = 1/m gives the averaged gradient (A − Y)/m)
     * </pre>
     * Z is not modified unless G is the same array at the same offset (allowed). Labels must lie in [0, n).
     *
     * @return the summed loss, in double precision
     * @param m         rows (examples)
     * @param n         columns (classes), at least 1 when m &gt; 0
     * @param z         the array holding the logits Z
     * @param zOff      offset of Z[0][0]
     * @param ldz       leading dimension of Z, at least n
     * @param labels    the class of each row, in [0, n)
     * @param labelsOff offset of the first row's label
     * @param scale     factor of the gradient (1/m for the mean loss)
     * @param g         the array receiving the gradient G (may be z at the same offset)
     * @param gOff      offset of G[0][0]
     * @param ldg       leading dimension of G, at least n
     * @throws IllegalArgumentException if a size is negative, an array is too short, n is 0 while m is not, or a label
     *                                  lies outside [0, n) (checked before any work)
     */
    public static double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                             float scale, float[] g, int gOff, int ldg) {
        return softmaxCrossEntropy(m, n, z, zOff, ldz, labels, labelsOff, scale, g, gOff, ldg, null, 0);
    }

    /**
     * {@link #softmaxCrossEntropy(int, int, float[], int, int, int[], int, float, float[], int, int)} that also writes
     * each row's loss: {@code rowLoss[rowLossOff + i] = −log(max(P[i][labels[i]], LOG_CLAMP))}. Adding the row losses
     * in row order, starting from 0, gives the returned sum bit for bit, so a caller that splits a batch into row
     * slices can still form the batch's loss exactly as one call would. {@code rowLoss} may be null (nothing written).
     *
     * @return the summed loss, in double precision
     * @param m          rows (examples)
     * @param n          columns (classes), at least 1 when m &gt; 0
     * @param z          the array holding the logits Z
     * @param zOff       offset of Z[0][0]
     * @param ldz        leading dimension of Z, at least n
     * @param labels     the class of each row, in [0, n)
     * @param labelsOff  offset of the first row's label
     * @param scale      factor of the gradient (1/m for the mean loss)
     * @param g          the array receiving the gradient G (may be z at the same offset)
     * @param gOff       offset of G[0][0]
     * @param ldg        leading dimension of G, at least n
     * @param rowLoss    each row's loss, or null for none
     * @param rowLossOff offset of the first row's loss in rowLoss
     * @throws IllegalArgumentException if a size is negative, an array is too short, n is 0 while m is not, or a label
     *                                  lies outside [0, n) (checked before any work)
     */
    public static double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                             float scale, float[] g, int gOff, int ldg, double[] rowLoss,
                                             int rowLossOff) {
        checkSize("m", m);
        checkSize("n", n);
        checkMatrix("Z", m, n, z, zOff, ldz);
        checkMatrix("G", m, n, g, gOff, ldg);
        checkIntVector("labels", m, labels, labelsOff);
        if (rowLoss != null && (rowLossOff < 0 || (long) rowLossOff + m > rowLoss.length)) {
            throw new IllegalArgumentException("rowLoss: offset " + rowLossOff + " + " + m
                    + " rows exceeds the array length " + rowLoss.length);
        }
        if (m == 0) {
            return 0;
        }
        if (n == 0) {
            throw new IllegalArgumentException("softmaxCrossEntropy needs n >= 1 classes, got n=0 with m=" + m);
        }
        for (int i = 0; i < m; i++) {
            int y = labels[labelsOff + i];
            if (y < 0 || y >= n) {
                throw new IllegalArgumentException("label " + y + " at row " + i + " is outside [0, " + n + ")");
            }
        }
        return IMPL.softmaxCrossEntropy(m, n, z, zOff, ldz, labels, labelsOff, scale, g, gOff, ldg, rowLoss,
                rowLossOff);
    }

    /**
     * Index of the largest element of each row: out[i] = argmaxⱼ X[i][j], the first one on ties; NaN is never chosen
     * over a number.
     *
     * @param m      rows
     * @param n      columns, at least 1 when m &gt; 0
     * @param x      the array holding X
     * @param xOff   offset of X[0][0]
     * @param ldx    leading dimension of X, at least n
     * @param out    the array receiving one index per row
     * @param outOff offset of out[0]
     * @throws IllegalArgumentException if a size is negative, an array is too short or n is 0 while m is not (checked
     *                                  before any work)
     */
    public static void argmaxRows(int m, int n, float[] x, int xOff, int ldx, int[] out, int outOff) {
        checkSize("m", m);
        checkSize("n", n);
        checkMatrix("X", m, n, x, xOff, ldx);
        checkIntVector("out", m, out, outOff);
        if (m == 0) {
            return;
        }
        if (n == 0) {
            throw new IllegalArgumentException("argmaxRows needs n >= 1, got n=0 with m=" + m);
        }
        IMPL.argmaxRows(m, n, x, xOff, ldx, out, outOff);
    }

    // ------------------------------------------------------------------------------------------------ element-wise

    /**
     * y[i] += alpha·x[i] for i &lt; n (BLAS axpy). Only y is modified.
     *
     * @param n     number of elements
     * @param alpha scale of x
     * @param x     the array holding x
     * @param xOff  offset of x[0]
     * @param y     the array holding y, updated in place
     * @param yOff  offset of y[0]
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        checkSize("n", n);
        checkVector("x", n, x, xOff);
        checkVector("y", n, y, yOff);
        if (n == 0) {
            return;
        }
        IMPL.axpy(n, alpha, x, xOff, y, yOff);
    }

    /**
     * Element-wise product: out[i] = x[i]·y[i] for i &lt; n (dropout masks). out may alias x or y.
     *
     * @param n      number of elements
     * @param x      the first factor
     * @param xOff   offset of x[0]
     * @param y      the second factor
     * @param yOff   offset of y[0]
     * @param out    the product
     * @param outOff offset of out[0]
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void multiply(int n, float[] x, int xOff, float[] y, int yOff, float[] out, int outOff) {
        checkSize("n", n);
        checkVector("x", n, x, xOff);
        checkVector("y", n, y, yOff);
        checkVector("out", n, out, outOff);
        if (n == 0) {
            return;
        }
        IMPL.multiply(n, x, xOff, y, yOff, out, outOff);
    }

    /**
     * Unsigned bytes to floats: y[i] = (x[i] &amp; 0xFF)·scale for i &lt; n, each byte read as 0..255 (pixels: scale =
     * 1/255 maps them to [0, 1]). Only y is modified. Both backends give the same bits (the conversion of 0..255 is
     * exact, then one rounded multiply).
     *
     * @param n     number of elements
     * @param scale factor applied to each byte's value
     * @param x     the bytes, each read as 0..255
     * @param xOff  offset of x[0]
     * @param y     the floats written
     * @param yOff  offset of y[0]
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void unsignedBytesToFloats(int n, float scale, byte[] x, int xOff, float[] y, int yOff) {
        checkSize("n", n);
        if (x == null) {
            throw new IllegalArgumentException("x must not be null");
        }
        checkExtent("x", n, x.length, xOff);
        checkVector("y", n, y, yOff);
        if (n == 0) {
            return;
        }
        IMPL.unsignedBytesToFloats(n, scale, x, xOff, y, yOff);
    }

    // ------------------------------------------------------------------------------------------------ optimisers

    /**
     * Plain SGD: w[i] −= alpha·g[i] for i &lt; n. Only w is modified.
     *
     * @param n     number of parameters
     * @param alpha learning rate
     * @param g     the gradients
     * @param gOff  offset of g[0]
     * @param w     the parameters, updated in place
     * @param wOff  offset of w[0]
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void sgd(int n, float alpha, float[] g, int gOff, float[] w, int wOff) {
        checkSize("n", n);
        checkVector("g", n, g, gOff);
        checkVector("w", n, w, wOff);
        if (n == 0) {
            return;
        }
        IMPL.sgd(n, alpha, g, gOff, w, wOff);
    }

    /**
     * Momentum as an exponential average, fused in one pass (the form of the published table):
     * v[i] = flush(beta·v[i] + (1 − beta)·g[i]); w[i] −= alpha·v[i]. v and w are modified.
     *
     * <p>flush(x) is +0 when |x| &lt; {@link Float#MIN_NORMAL} (2⁻¹²⁶ ≈ 1.18·10⁻³⁸), x otherwise; every optimiser with
     * state (the three momentum forms and Adam's two moments) applies it to its state. A weight whose gradient stays
     * 0 (an MNIST border pixel's) has a velocity that decays geometrically into the subnormal range and stays there,
     * and arithmetic on subnormal floats is many times slower on common CPUs (Java cannot set the CPU's flush-to-zero
     * mode). A subnormal velocity moves no weight of normal size (alpha·v is far below half an ulp of it), so
     * flushing it leaves training's results as they were while keeping the update at full speed. Both backends flush
     * identically. See docs/decisions/0025-optimiser-state-flush.md.
     *
     * @param n     number of parameters
     * @param alpha learning rate
     * @param beta  the averaging coefficient in [0, 1)
     * @param g     the gradients
     * @param gOff  offset of g[0]
     * @param v     the velocities, updated in place
     * @param vOff  offset of v[0]
     * @param w     the parameters, updated in place
     * @param wOff  offset of w[0]
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void momentumEma(int n, float alpha, float beta, float[] g, int gOff, float[] v, int vOff,
                                   float[] w, int wOff) {
        checkUpdate(n, g, gOff, v, vOff, w, wOff);
        if (n == 0) {
            return;
        }
        IMPL.momentumEma(n, alpha, beta, g, gOff, v, vOff, w, wOff);
    }

    /**
     * Classical (heavy-ball) momentum: v[i] = flush(mu·v[i] + g[i]); w[i] −= alpha·v[i]. v and w are modified.
     * flush: see {@link #momentumEma}.
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
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void momentumClassical(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff,
                                         float[] w, int wOff) {
        checkUpdate(n, g, gOff, v, vOff, w, wOff);
        if (n == 0) {
            return;
        }
        IMPL.momentumClassical(n, alpha, mu, g, gOff, v, vOff, w, wOff);
    }

    /**
     * Nesterov momentum in the form PyTorch uses: v[i] = flush(mu·v[i] + g[i]); w[i] −= alpha·(g[i] + mu·v[i]).
     * v and w are modified. flush: see {@link #momentumEma}.
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
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void momentumNesterov(int n, float alpha, float mu, float[] g, int gOff, float[] v, int vOff,
                                        float[] w, int wOff) {
        checkUpdate(n, g, gOff, v, vOff, w, wOff);
        if (n == 0) {
            return;
        }
        IMPL.momentumNesterov(n, alpha, mu, g, gOff, v, vOff, w, wOff);
    }

    /**
     * One Adam step with bias correction folded into the step size by the caller:
     * <pre>
     *   m[i] = flush(beta1·m[i] + (1 − beta1)·g[i])
     *   v[i] = flush(beta2·v[i] + (1 − beta2)·g[i]²)
     *   w[i] −= step · m[i] / (sqrt(v[i]) + eps)       with step = alpha·sqrt(1 − beta2ᵗ)/(1 − beta1ᵗ) at step t
     * </pre>
     * m, v and w are modified. flush: see {@link #momentumEma}.
     *
     * @param n     number of parameters
     * @param step  the bias-corrected step size (see above)
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
     * @throws IllegalArgumentException if a size is negative or an array null or too short (checked before any work)
     */
    public static void adam(int n, float step, float beta1, float beta2, float eps, float[] g, int gOff,
                            float[] m, int mOff, float[] v, int vOff, float[] w, int wOff) {
        checkUpdate(n, g, gOff, v, vOff, w, wOff);
        checkVector("m", n, m, mOff);
        if (n == 0) {
            return;
        }
        IMPL.adam(n, step, beta1, beta2, eps, g, gOff, m, mOff, v, vOff, w, wOff);
    }

    // ------------------------------------------------------------------------------------------------ checks

    private static void checkUpdate(int n, float[] g, int gOff, float[] v, int vOff, float[] w, int wOff) {
        checkSize("n", n);
        checkVector("g", n, g, gOff);
        checkVector("v", n, v, vOff);
        checkVector("w", n, w, wOff);
    }

    static void checkSize(String name, int size) {
        if (size < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + size);
        }
    }

    static void checkVector(String name, int n, float[] x, int off) {
        if (x == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        checkExtent(name, n, x.length, off);
    }

    static void checkIntVector(String name, int n, int[] x, int off) {
        if (x == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        checkExtent(name, n, x.length, off);
    }

    private static void checkExtent(String name, int n, int length, int off) {
        if (off < 0 || (long) off + n > length) {
            throw new IllegalArgumentException(name + ": offset " + off + " + length " + n
                    + " exceeds the array length " + length);
        }
    }

    /**
     * gemm's rule that C does not overlap an operand: if X (rows × cols at xOff, leading dimension ldx) is in C's
     * array and neither is empty, their spans [off, off + (rows − 1)·ld + cols) must be disjoint. Both matrices have
     * been checked to fit their arrays.
     */
    private static void checkDisjointFromC(String name, int rows, int cols, float[] x, int xOff, int ldx,
                                           int m, int n, float[] c, int cOff, int ldc) {
        if (x != c || rows == 0 || cols == 0 || m == 0 || n == 0) {
            return;
        }
        long xEnd = (long) xOff + (long) (rows - 1) * ldx + cols;
        long cEnd = (long) cOff + (long) (m - 1) * ldc + n;
        if (xOff < cEnd && cOff < xEnd) {
            throw new IllegalArgumentException("C (elements [" + cOff + ", " + cEnd + ")) overlaps " + name
                    + " (elements [" + xOff + ", " + xEnd + ")) in the same array; C must not overlap A or B");
        }
    }

    /** Checks a rows × cols matrix stored at {@code off} with leading dimension {@code ld} in {@code x}. */
    static void checkMatrix(String name, int rows, int cols, float[] x, int off, int ld) {
        if (x == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(name + ": leading dimension " + ld + " is smaller than the row length "
                    + cols + " (or < 1)");
        }
        if (off < 0) {
            throw new IllegalArgumentException(name + ": offset " + off + " is negative");
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long end = (long) off + (long) (rows - 1) * ld + cols;
        if (end > x.length) {
            throw new IllegalArgumentException(name + ": " + rows + "x" + cols + " at offset " + off
                    + " with leading dimension " + ld + " needs " + end + " elements, the array has " + x.length);
        }
    }
}
