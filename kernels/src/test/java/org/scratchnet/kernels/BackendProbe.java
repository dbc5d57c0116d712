package org.scratchnet.kernels;

/**
 * Run in a child JVM by {@link BackendTest}: prints the backend this JVM picked, computes one softmax with it, says
 * which FMA peak loop this JVM would measure, and what asking for the vector implementation directly gives.
 */
public final class BackendProbe {

    private BackendProbe() {
    }

    /**
     * Prints {@code backend=<name>}, the softmax of [0, 0], the FMA peak loop's kind and one result, and
     * {@code vectorImplementation=} with the vector implementation's description or the exception asking for it threw,
     * on stdout.
     */
    public static void main(String[] args) {
        float[] x = {0, 0};
        Kernels.softmaxRows(1, 2, x, 0, 2);
        System.out.println("backend=" + Kernels.backend() + " describe=" + Kernels.describe() + " p=" + x[0]
                + " fma=" + FmaPeak.describe() + " chains=" + FmaPeak.chains(1f, 0.25f, 8));
        String vector;
        try {
            vector = KernelImplementation.of(Backend.VECTOR).describe();
        } catch (IllegalStateException e) {
            vector = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        System.out.println("vectorImplementation=" + vector);
    }
}
