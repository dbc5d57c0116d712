package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkTest {

    /** 2-2-2: W1 = [[1, −1], [2, 0.5]], b1 = [0.5, −1], W2 = [[0.2, −0.1], [3, 1]], b2 = [0.1, 0.2]. */
    static Network handNetwork() {
        return Network.of(NetworkConfig.of(2, 2, 2),
                new float[] {1, -1, 2, 0.5f, 0.5f, -1, 0.2f, -0.1f, 3, 1, 0.1f, 0.2f});
    }

    @Test
    void knownAnswerForwardPass() {
        Network net = handNetwork();
        // row 0, x = [1, 2]: z1 = [1 + 4 + 0.5, −1 + 1 − 1] = [5.5, −1] → ReLU [5.5, 0];
        //   z2 = [5.5·0.2 + 0.1, 5.5·(−0.1) + 0.2] = [1.2, −0.35]; p0 = 1 / (1 + e^(−1.55))
        // row 1, x = [−1, 0]: z1 = [−0.5, 0] → ReLU [0, 0]; z2 = b2 = [0.1, 0.2]; p0 = 1 / (1 + e^(0.1))
        float[] x = {1, 2, -1, 0};
        float[] p = new float[4];
        net.probabilities(x, 0, 2, p, 0);
        double p00 = 1 / (1 + Math.exp(-1.55));
        double p10 = 1 / (1 + Math.exp(0.1));
        assertEquals(p00, p[0], 1e-6);
        assertEquals(1 - p00, p[1], 1e-6);
        assertEquals(p10, p[2], 1e-6);
        assertEquals(1 - p10, p[3], 1e-6);
        int[] pred = new int[2];
        net.predict(x, 0, 2, pred, 0);
        assertArrayEquals(new int[] {0, 1}, pred);
        assertEquals(1, net.predict(x, 2));
        List<Prediction> top = net.topK(x, 0, 2);
        assertEquals(0, top.get(0).label());
        assertEquals(p00, top.get(0).probability(), 1e-6);
        assertEquals(1, top.get(1).label());
    }

    @Test
    void parameterLayoutAndOffsets() {
        Network net = Network.create(NetworkConfig.of(784, 200, 100, 25, 10), 1);
        assertEquals(784 * 200 + 200 + 200 * 100 + 100 + 100 * 25 + 25 + 25 * 10 + 10, net.parameters().length);
        assertEquals(0, net.weightOffset(1));
        assertEquals(784 * 200, net.biasOffset(1));
        assertEquals(784 * 200 + 200, net.weightOffset(2));
        assertEquals(4, net.layers());
        assertThrows(IllegalArgumentException.class, () -> net.weightOffset(0));
        assertThrows(IllegalArgumentException.class, () -> net.biasOffset(5));
    }

    @Test
    void heAndXavierInitStatisticsAndZeroBiases() {
        for (Init init : Init.values()) {
            Network net = Network.create(new NetworkConfig(new int[] {400, 300, 10}, init), 7);
            float[] p = net.parameters();
            int n = 400 * 300;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                sum += p[i];
                sumSq += (double) p[i] * p[i];
            }
            double expectedSd = init == Init.HE ? Math.sqrt(2.0 / 400) : Math.sqrt(2.0 / 700);
            assertEquals(0, sum / n, 0.01 * expectedSd * 10, init + " mean");
            assertEquals(expectedSd, Math.sqrt(sumSq / n), 0.01 * expectedSd, init + " standard deviation");
            for (int i = net.biasOffset(1); i < net.biasOffset(1) + 300; i++) {
                assertEquals(0f, p[i], "bias " + i);
            }
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        NetworkConfig cfg = NetworkConfig.of(20, 10, 3);
        assertArrayEquals(Network.create(cfg, 3).parameters(), Network.create(cfg, 3).parameters());
        assertFalse(Arrays.equals(Network.create(cfg, 3).parameters(), Network.create(cfg, 4).parameters()));
    }

    @Test
    void probabilitiesSumToOneAcrossChunks() {
        Network net = Network.create(NetworkConfig.of(5, 7, 4), 2);
        int m = Network.CHUNK * 2 + 3;
        ArrayBatchSource data = TestData.random(m, 5, 4, 9);
        float[] x = new float[m * 5];
        int[] labels = new int[m];
        data.fill(Network.identity(m), 0, m, x, 0, labels, 0);
        float[] p = new float[m * 4];
        net.probabilities(x, 0, m, p, 0);
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < 4; j++) {
                assertTrue(p[i * 4 + j] >= 0);
                s += p[i * 4 + j];
            }
            assertEquals(1, s, 1e-5, "row " + i);
        }
        int[] pred = new int[m];
        net.predict(x, 0, m, pred, 0);
        assertArrayEquals(pred, net.predict(data));
        for (int i = 0; i < m; i++) {
            assertEquals(pred[i], net.topK(x, i * 5, 1).get(0).label(), "row " + i);
        }
    }

    @Test
    void copyIsIndependent() {
        Network a = Network.create(NetworkConfig.of(4, 3, 2), 1);
        Network b = a.copy();
        b.parameters()[0] += 1;
        assertEquals(a.parameters()[0] + 1, b.parameters()[0]);
        b.setParameters(a.parameters());
        assertArrayEquals(a.parameters(), b.parameters());
        assertThrows(IllegalArgumentException.class, () -> b.setParameters(new float[3]));
    }

    @Test
    void badShapesAreRejectedWithTheNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkConfig.of(784));
        assertTrue(e.getMessage().contains("at least an input and an output"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetworkConfig.of(784, 0, 10));
        assertTrue(e.getMessage().contains("got 0 at position 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Network.of(NetworkConfig.of(2, 2), new float[5]));
        assertTrue(e.getMessage().contains("needs 6 parameters, got 5"), e.getMessage());
        Network net = Network.create(NetworkConfig.of(3, 2), 1);
        e = assertThrows(IllegalArgumentException.class, () -> net.predict(TestData.random(4, 5, 2, 1)));
        assertTrue(e.getMessage().contains("5 features") && e.getMessage().contains("expects 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.topK(new float[3], 0, 3));
        assertEquals("784-200-100-25-10", NetworkConfig.of(784, 200, 100, 25, 10).describe());
        assertEquals(NetworkConfig.of(784, 200, 100, 25, 10), NetworkConfig.parse("784-200-100-25-10"));
        assertEquals(NetworkConfig.of(784, 100, 10), NetworkConfig.parse(" 784, 100 ,10 "));
        assertEquals(NetworkConfig.of(784, 100, 10), NetworkConfig.parse("784/100/10"));
        e = assertThrows(IllegalArgumentException.class, () -> NetworkConfig.parse("784-abc-10"));
        assertTrue(e.getMessage().contains("\"784-abc-10\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NetworkConfig.parse("784"));
        assertThrows(IllegalArgumentException.class, () -> NetworkConfig.parse("784--10"));
    }
}
