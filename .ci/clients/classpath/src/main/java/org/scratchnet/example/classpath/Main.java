package org.scratchnet.example.classpath;

import org.scratchnet.core.Network;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.kernels.Kernels;
import org.scratchnet.kernels.Transpose;

/** Uses the kernels and core from the class path: a hand-checkable gemm, then a small network's prediction. */
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
        Network net = Network.create(NetworkConfig.of(4, 8, 3), 1);
        System.out.println("classes=" + net.config().outputs() + " top=" + net.topK(new float[4], 0, 1).get(0).label());
    }
}
