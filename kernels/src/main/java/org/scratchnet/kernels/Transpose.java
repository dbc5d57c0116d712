package org.scratchnet.kernels;

/** Whether a gemm operand is used as stored ({@link #N}) or transposed ({@link #T}), as in BLAS. */
public enum Transpose {
    /** op(X) = X. */
    N,
    /** op(X) = Xᵀ. */
    T
}
