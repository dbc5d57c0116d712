package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void matchesTheJdkSplitMix64() {
        // SplittableRandom(seed) runs the same SplitMix64 with the golden gamma: the streams must agree bit for bit.
        for (long seed : new long[] {0, 1, -1, 42, 0x123456789ABCDEFL}) {
            Rng rng = new Rng(seed);
            SplittableRandom jdk = new SplittableRandom(seed);
            for (int i = 0; i < 1000; i++) {
                assertEquals(jdk.nextLong(), rng.nextLong(), "seed " + seed + ", draw " + i);
            }
        }
    }

    @Test
    void knownFirstValueOfSeedZero() {
        assertEquals(0xE220A8397B1DCDAFL, new Rng(0).nextLong());
    }

    @Test
    void stateResumesTheSequence() {
        Rng a = new Rng(99);
        for (int i = 0; i < 17; i++) {
            a.nextLong();
        }
        Rng b = new Rng(a.state());
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
    }

    @Test
    void streamsDiffer() {
        assertNotEquals(Rng.stream(5, 1).nextLong(), Rng.stream(5, 2).nextLong());
        assertNotEquals(Rng.stream(5, 1).nextLong(), Rng.stream(6, 1).nextLong());
        assertEquals(Rng.stream(5, 3).nextLong(), Rng.stream(5, 3).nextLong());
    }

    @Test
    void uniformRangesAndRoughMoments() {
        Rng r = new Rng(3);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        int[] counts = new int[7];
        for (int i = 0; i < n; i++) {
            float f = r.nextFloat();
            assertTrue(f >= 0 && f < 1, "nextFloat " + f);
            double d = r.nextDouble();
            assertTrue(d >= 0 && d < 1, "nextDouble " + d);
            counts[r.nextInt(7)]++;
            double g = r.nextGaussian();
            sum += g;
            sumSq += g * g;
        }
        assertEquals(0, sum / n, 0.01, "gaussian mean");
        assertEquals(1, sumSq / n, 0.015, "gaussian variance");
        double expected = n / 7.0;
        double chi2 = 0;
        for (int c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        assertTrue(chi2 < 22.5,
                "chi-square with 6 degrees of freedom (p = 0.001 bound) " + chi2 + " " + Arrays.toString(counts));
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
    }

    @Test
    void shuffleIsAPermutationAndSeeded() {
        int[] a = Network.identity(1000);
        new Rng(1).shuffle(a, 0, a.length);
        int[] b = Network.identity(1000);
        new Rng(1).shuffle(b, 0, b.length);
        assertArrayEquals(a, b);
        assertTrue(!Arrays.equals(a, Network.identity(1000)), "a shuffle of 1000 left everything in place");
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(Network.identity(1000), sorted);
        int[] part = Network.identity(10);
        new Rng(2).shuffle(part, 3, 7);
        assertArrayEquals(new int[] {0, 1, 2}, Arrays.copyOfRange(part, 0, 3));
        assertArrayEquals(new int[] {7, 8, 9}, Arrays.copyOfRange(part, 7, 10));
    }
}
