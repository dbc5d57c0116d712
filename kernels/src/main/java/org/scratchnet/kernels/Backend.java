package org.scratchnet.kernels;

/** Which implementation of the kernels runs: the Vector API one or its scalar twin. */
public enum Backend {
    /** {@code jdk.incubator.vector}, on the preferred species. */
    VECTOR,
    /** Plain Java loops: the readable reference, and the fallback when the Vector API is absent. */
    SCALAR
}
