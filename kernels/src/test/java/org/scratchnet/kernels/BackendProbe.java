package org.scratchnet.kernels;

/** Run in a child JVM by {@link BackendTest}: prints the backend this JVM picked, then computes one softmax with it. */
public final class BackendProbe {

    private BackendProbe() {
    }

    /** Prints {@code backend=<name>} and the softmax of [0, 0] on stdout. */
    public static void main(String[] args) {
        float[] x = {0, 0};
        Kernels.softmaxRows(1, 2, x, 0, 2);
        System.out.println("backend=" + Kernels.backend() + " describe=" + Kernels.describe() + " p=" + x[0]);
    }
}
