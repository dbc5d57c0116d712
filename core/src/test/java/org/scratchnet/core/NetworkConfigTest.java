package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The flop counts that "% of the FMA peak" divides by. */
class NetworkConfigTest {

    @Test
    void trainingFlopsCountThreeProductsPerLayerButNoInputGradientForTheFirst() {
        // by hand: 2·3 multiply-adds forward, 2·3 for the weight gradient, no input gradient for the only layer
        assertEquals(2 * (6 + 6), NetworkConfig.of(2, 3).trainingFlopPerExample());
        // 2-3-4: forward 6 + 12 = 18 multiply-adds, weight gradients 18, input gradient of layer 2 only: 12
        assertEquals(2 * (18 + 18 + 12), NetworkConfig.of(2, 3, 4).trainingFlopPerExample());
        assertEquals(2 * 18, NetworkConfig.of(2, 3, 4).forwardFlopPerExample());
    }

    @Test
    void theTableNetworksMatchBenchmarksMd() {
        NetworkConfig big = NetworkConfig.of(784, 200, 100, 25, 10);
        assertEquals(763_700, big.trainingFlopPerExample());
        assertEquals(45.822e9, 60_000.0 * big.trainingFlopPerExample(), 0.0005e9);
        assertEquals(359_100, big.forwardFlopPerExample());
        assertEquals(346_600, NetworkConfig.of(784, 100, 50, 10).trainingFlopPerExample());
    }
}
