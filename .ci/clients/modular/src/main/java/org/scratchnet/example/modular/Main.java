package org.scratchnet.example.modular;

import org.scratchnet.kernels.Kernels;
import org.scratchnet.kernels.Transpose;

/** Multiplies a 2x3 by a 3x2 matrix that can be checked by hand and prints the result and the backend. */
public final class Main {

    private Main() {
    }

    /**
     * Entry point.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {7, 8, 9, 10, 11, 12};
        float[] c = new float[4];
        Kernels.gemm(Transpose.N, Transpose.N, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
        System.out.println("c=" + c[0] + "," + c[1] + "," + c[2] + "," + c[3]);
        System.out.println("backend=" + Kernels.backend());
        System.out.println("module=" + Kernels.class.getModule().getName());
    }
}
