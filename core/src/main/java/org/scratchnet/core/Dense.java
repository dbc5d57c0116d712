package org.scratchnet.core;

import org.scratchnet.kernels.Kernels;
import org.scratchnet.kernels.Transpose;

/**
 * The math of one dense layer on the kernels. Activations and their gradients are row-major blocks of rows with the
 * layer's width as leading dimension; a call works on {@code rows} of them starting at row {@code r0}. W is stored
 * n_in × n_out row-major at {@code wOff} in the parameter array, the bias (n_out) at {@code bOff}.
 * <pre>
 *   forward:          Z = X·W + b          (gemm NN, then addRowBias);  A = max(0, Z) for a hidden layer
 *   input gradient:   dX = dZ·Wᵀ           (gemm NN on a transposed copy of W; the first layer's is never needed)
 *   weight gradient:  dW = Xᵀ·dZ           (gemm TN over all m rows of the batch; dZ already carries the 1/m of the
 *                                           batch mean), for rows [i0, i1) of dW, i.e. inputs i0 .. i1−1
 *   bias gradient:    db = Σ_rows dZ       (columnSums)
 * </pre>
 * Every output element is computed the same way whichever rows or dW rows a call covers (the gemm reduces each
 * element over k in a fixed order), so splitting a batch into row slices, or dW into row ranges, changes no bit.
 */
final class Dense {

    private Dense() {
    }

    /**
     * Rows [r0, r0 + rows) of out (m × nOut) = in (m × nIn) · W + b, then ReLU in place if {@code relu}. Only those
     * rows of out are modified.
     */
    static void forward(int r0, int rows, int nIn, int nOut, float[] in, float[] params, int wOff, int bOff,
                        float[] out, boolean relu) {
        product(r0, rows, nIn, nOut, in, params, wOff, out);
        finish(r0, rows, nOut, params, bOff, out, relu);
    }

    /** Rows [r0, r0 + rows) of out (m × nOut) = in (m × nIn) · W, without the bias. Only those rows are modified. */
    static void product(int r0, int rows, int nIn, int nOut, float[] in, float[] params, int wOff, float[] out) {
        Kernels.gemm(Transpose.N, Transpose.N, rows, nOut, nIn, 1f, in, r0 * nIn, nIn, params, wOff, nOut, 0f, out,
                r0 * nOut, nOut);
    }

    /** Rows [r0, r0 + rows) of out (m × nOut) += b, then ReLU in place if {@code relu}. */
    static void finish(int r0, int rows, int nOut, float[] params, int bOff, float[] out, boolean relu) {
        int o = r0 * nOut;
        Kernels.addRowBias(rows, nOut, params, bOff, out, o, nOut);
        if (relu) {
            Kernels.relu(rows * nOut, out, o, out, o);
        }
    }

    /**
     * Rows [r0, r0 + rows) of dIn (m × nIn) = dOut (m × nOut) · Wᵀ, from Wᵀ stored as {@code wt} (nOut × nIn,
     * row-major), which the gemm reads in place. Only those rows of dIn are modified.
     */
    static void inputGradient(int r0, int rows, int nIn, int nOut, float[] dOut, float[] wt, float[] dIn) {
        Kernels.gemm(Transpose.N, Transpose.N, rows, nIn, nOut, 1f, dOut, r0 * nOut, nOut, wt, 0, nIn, 0f, dIn,
                r0 * nIn, nIn);
    }

    /**
     * Rows [i0, i1) of dW = inᵀ · dOut over all m rows of the batch, written row-major (leading dimension nOut) to
     * {@code grads} from {@code gOff} on.
     */
    static void weightGradient(int m, int i0, int i1, int nIn, int nOut, float[] in, float[] dOut, float[] grads,
                               int gOff) {
        weightGradient(m, i0, i1, nIn, 0, nOut, nOut, in, dOut, 0f, grads, gOff, nOut);
    }

    /**
     * Rows [i0, i1) and columns [c0, c1) of dW = inᵀ · dOut over all m rows of the batch, written row-major with
     * leading dimension {@code ldg} to {@code grads} from {@code gOff} on: grads = dW + beta·grads (beta 0: written,
     * beta 1: added to the sum of earlier chunks of the batch).
     */
    static void weightGradient(int m, int i0, int i1, int nIn, int c0, int c1, int nOut, float[] in, float[] dOut,
                               float beta, float[] grads, int gOff, int ldg) {
        Kernels.gemm(Transpose.T, Transpose.N, i1 - i0, c1 - c0, m, 1f, in, i0, nIn, dOut, c0, nOut, beta, grads, gOff,
                ldg);
    }

    /** db = Σ over the m rows of dOut, written to {@code grads[gOff ..]}. */
    static void biasGradient(int m, int nOut, float[] dOut, float[] grads, int gOff) {
        biasGradient(m, 0, nOut, nOut, dOut, 0f, grads, gOff);
    }

    /** Columns [c0, c1) of db = Σ over the m rows of dOut, to {@code grads[gOff ..]} (+ beta·grads, as above). */
    static void biasGradient(int m, int c0, int c1, int nOut, float[] dOut, float beta, float[] grads, int gOff) {
        Kernels.columnSums(m, c1 - c0, 1f, dOut, c0, nOut, beta, grads, gOff);
    }
}
