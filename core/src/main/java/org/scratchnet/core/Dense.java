package org.scratchnet.core;

import org.scratchnet.kernels.Kernels;
import org.scratchnet.kernels.Transpose;

/**
 * The math of one dense layer on the kernels, over m rows stored contiguously (leading dimension = row length).
 * W is stored n_in × n_out row-major at {@code wOff} in the parameter array, the bias (n_out) at {@code bOff}.
 * <pre>
 *   forward:   Z = X·W + b            (gemm NN, then addRowBias);  A = max(0, Z) for a hidden layer
 *   backward:  dW = Xᵀ·dZ             (gemm TN; dZ already carries the 1/m of the batch mean)
 *              db = Σ_rows dZ         (columnSums)
 *              dX = dZ·Wᵀ             (gemm NT; skipped for the first layer, nobody needs the input gradient)
 * </pre>
 */
final class Dense {

    private Dense() {
    }

    /** out (m × nOut) = in (m × nIn) · W + b, then ReLU in place if {@code relu}. Only out is modified. */
    static void forward(int m, int nIn, int nOut, float[] in, float[] params, int wOff, int bOff, float[] out,
                        boolean relu) {
        Kernels.gemm(Transpose.N, Transpose.N, m, nOut, nIn, 1f, in, 0, nIn, params, wOff, nOut, 0f, out, 0, nOut);
        Kernels.addRowBias(m, nOut, params, bOff, out, 0, nOut);
        if (relu) {
            Kernels.relu(m * nOut, out, 0, out, 0);
        }
    }

    /**
     * Writes dW to {@code grads[wOff..]} and db to {@code grads[bOff..]} from the layer input {@code in} (m × nIn) and
     * the output gradient {@code dOut} (m × nOut); if {@code dIn} is not null, also dX = dOut·Wᵀ into it (m × nIn).
     */
    static void backward(int m, int nIn, int nOut, float[] in, float[] dOut, float[] params, int wOff, int bOff,
                         float[] grads, float[] dIn) {
        Kernels.gemm(Transpose.T, Transpose.N, nIn, nOut, m, 1f, in, 0, nIn, dOut, 0, nOut, 0f, grads, wOff, nOut);
        Kernels.columnSums(m, nOut, 1f, dOut, 0, nOut, 0f, grads, bOff);
        if (dIn != null) {
            Kernels.gemm(Transpose.N, Transpose.T, m, nIn, nOut, 1f, dOut, 0, nOut, params, wOff, nOut, 0f, dIn, 0, nIn);
        }
    }
}
