package org.scratchnet.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scratchnet.kernels.Kernels;

/** EjmlGemmBenchmark outside JMH: setup's agreement check passes, and both libraries compute the same C. */
class EjmlGemmBenchmarkTest {

    private final int threadsBefore = Kernels.threads();

    @AfterEach
    void restoreThreads() {
        Kernels.setThreads(threadsBefore);
    }

    private static float[] run(String library, String shape) {
        EjmlGemmBenchmark b = new EjmlGemmBenchmark();
        b.library = library;
        b.shape = shape;
        b.setUp();
        EjmlGemmBenchmark.Flops f = new EjmlGemmBenchmark.Flops();
        float[] c = b.gemm(f).clone();
        assertEquals(2e-9 * b.m * b.n * b.k, f.gflop, 1e-15);
        assertEquals(1, Kernels.threads(), "the comparison runs on one thread");
        return c;
    }

    @Test
    void bothLibrariesComputeTheSameProduct() {
        float[] kernels = run("scratchnet", "37x61x29");
        float[] ejml = run("ejml", "37x61x29");
        assertEquals(37 * 29, kernels.length);
        double worst = 0;
        for (int i = 0; i < kernels.length; i++) {
            worst = Math.max(worst, Math.abs(kernels[i] - ejml[i]));
        }
        assertEquals(0, worst, 1e-3, "largest difference");
        assertArrayEquals(run("ejml", "37x61x29"), ejml, "EJML is deterministic");
    }

    @Test
    void anUnknownLibraryIsRefused() {
        EjmlGemmBenchmark b = new EjmlGemmBenchmark();
        b.library = "blas";
        b.shape = "2x2x2";
        assertThrows(IllegalArgumentException.class, b::setUp);
    }
}
