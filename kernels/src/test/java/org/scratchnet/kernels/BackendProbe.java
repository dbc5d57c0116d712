package org.scratchnet.kernels;

/**
 * Run in a child JVM by {@link BackendTest}: prints the backend this JVM picked, computes one softmax with it, and says
 * which FMA peak loop this JVM would measure.
 */
public final class BackendProbe {

    private BackendProbe() {
    }

    /** Prints {@code backend=<name>}, the softmax of [0, 0] and the FMA peak loop's kind and one result on stdout. */
    public static void main(String[] args) {
        float[] x = {0, 0};
        Kernels.softmaxRows(1, 2, x, 0, 2);
        System.out.println("backend=" + Kernels.backend() + " describe=" + Kernels.describe() + " p=" + x[0]
                + " fma=" + FmaPeak.describe() + " chains=" + FmaPeak.chains(1f, 0.25f, 8));
    }
}
