package org.scratchnet.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scratchnet.kernels.Kernels;

/** FacadeBenchmark outside JMH: setup's checks pass, and each kernel gives the same bits through both paths. */
class FacadeBenchmarkTest {

    private final int threadsBefore = Kernels.threads();

    @AfterEach
    void restoreThreads() {
        Kernels.setThreads(threadsBefore);
    }

    private static FacadeBenchmark fresh() {
        FacadeBenchmark b = new FacadeBenchmark();
        b.setup();
        assertEquals(1, Kernels.threads(), "the comparison runs on one thread");
        return b;
    }

    @Test
    void facadeAndDirectCallsGiveTheSameBits() {
        FacadeBenchmark f = fresh();
        FacadeBenchmark d = fresh();
        assertArrayEquals(f.relu_facade(), d.relu_direct(), "relu");
        assertArrayEquals(f.addRowBias_facade(), d.addRowBias_direct(), "addRowBias");
        assertArrayEquals(f.addRowBiasOutputLayer_facade(), d.addRowBiasOutputLayer_direct(),
                "addRowBias, output layer");
        assertArrayEquals(f.gemmNN_facade(), d.gemmNN_direct(), "gemm");
    }
}
