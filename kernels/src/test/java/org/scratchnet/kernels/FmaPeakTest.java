package org.scratchnet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The FMA peak probe: the loop computes what its scalar meaning says, the flop count matches the loop, and a
 * measurement returns a positive rate on one and on two threads. (The size of the figure is a benchmark's business.)
 */
class FmaPeakTest {

    @Test
    void theScalarLoopIsSixteenChainsOfFma() {
        // 1 + 0.5 three times from 0: each chain 1.5, sixteen chains 24, all exact
        assertEquals(24f, FmaPeak.scalarChains(1f, 0.5f, 3));
        assertEquals(0f, FmaPeak.scalarChains(1f, 0.5f, 0));
        // one rounding per step: x·y + acc with x·y not representable differs from rounding the product first
        float x = 1.0000001f;
        float y = 1.0000001f;
        float fused = Math.fma(x, y, 0f);
        assertEquals(16 * fused, FmaPeak.scalarChains(x, y, 1), 16 * Math.ulp(fused));
    }

    @Test
    void everyLaneDoesWhatOneScalarChainDoes() {
        // exact: 8 steps of 0.25 give 2 in each chain, and 16·lanes·2 is a small power-of-two multiple
        assertEquals(2f * FmaPeak.CHAINS * FmaPeak.lanes(), FmaPeak.chains(1f, 0.25f, 8));
        SplittableRandom rnd = new SplittableRandom(7);
        for (int steps : new int[] {1, 15, 16, 17, 1021}) {
            float x = (float) rnd.nextDouble();
            float y = (float) rnd.nextDouble();
            double expected = (double) FmaPeak.lanes() * FmaPeak.scalarChains(x, y, steps);
            // the chains are the same in every lane; only the order of the final sum across lanes may differ
            double tolerance = 4 * FmaPeak.CHAINS * FmaPeak.lanes() * Math.ulp((float) expected);
            assertEquals(expected, FmaPeak.chains(x, y, steps), tolerance, "steps " + steps);
        }
    }

    @Test
    void theVectorLoopIsUsedWhereverTheModuleIs() {
        // the build's JVMs all have the module (the scalar-backend run only forces the kernels, not the probe)
        assertEquals(Kernels.vectorModulePresent(), FmaPeak.vector(), FmaPeak.describe());
        if (FmaPeak.vector()) {
            assertEquals(TestData.VECTOR.lanes(), FmaPeak.lanes());
            assertTrue(FmaPeak.describe().startsWith("vector " + 32 * FmaPeak.lanes() + "-bit"), FmaPeak.describe());
        }
    }

    @Test
    void flopsPerCallCountAnFmaAsTwo() {
        assertEquals(2L * FmaPeak.lanes() * 16 * 4096, FmaPeak.flopPerCall(4096));
        assertEquals(0, FmaPeak.flopPerCall(0));
    }

    @Test
    void aMeasurementOnOneAndOnTwoThreadsIsAPositiveRate() {
        for (int threads = 1; threads <= 2; threads++) {
            double gflops = FmaPeak.measure(threads, Duration.ofMillis(120));
            // a loop of 2·16·lanes flops per step cannot run under 0.01 GFLOPS on any machine that runs the build
            assertTrue(gflops > 0.01 && Double.isFinite(gflops), threads + " threads: " + gflops);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FmaPeak.measure(0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> FmaPeak.measure(1, Duration.ofMillis(10)));
        assertThrows(IllegalArgumentException.class, () -> FmaPeak.chains(1f, 1f, -1));
    }
}
