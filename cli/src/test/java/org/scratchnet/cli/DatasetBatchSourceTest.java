package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scratchnet.mnist.Dataset;

/** The adapter from MNIST bytes to the network's floats: the same bits as the dataset's own conversion, any split. */
class DatasetBatchSourceTest {

    @Test
    void fillGivesTheDatasetsFloatsAndLabelsForAnySplitOfTheRows() throws InterruptedException {
        Random rnd = new Random(3);
        int n = 50;
        byte[] pixels = new byte[n * 28 * 28];
        rnd.nextBytes(pixels);
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) rnd.nextInt(10);
        }
        Dataset data = new Dataset(pixels, labels, 28, 28, 10);
        DatasetBatchSource source = new DatasetBatchSource(data);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (i * 17 + 5) % n;
        }
        int m = 37;
        float[] expected = new float[m * 784 + 3];
        data.fillBatch(order, 4, m, expected, 3);
        int[] expectedLabels = new int[m];
        data.fillLabels(order, 4, m, expectedLabels, 0);

        float[] x = new float[m * 784 + 3];
        int[] y = new int[m];
        // two threads fill disjoint row slices of one batch, as the training step does
        Thread other = new Thread(() -> source.fill(order, 4 + 20, m - 20, x, 3 + 20 * 784, y, 20));
        other.start();
        source.fill(order, 4, 20, x, 3, y, 0);
        other.join();
        assertArrayEquals(expected, x, 0f);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(x[i]), "float " + i);
        }
        assertArrayEquals(expectedLabels, y);
    }
}
