package org.scratchnet.core;

import java.util.Random;

/** Seeded synthetic data sets for the tests. */
final class TestData {

    private TestData() {
    }

    /**
     * Gaussian blobs: {@code classes} centres drawn uniformly in [−1, 1]^features, each example its class's centre plus
     * N(0, noise²) per feature; labels cycle through the classes.
     */
    static ArrayBatchSource blobs(int n, int features, int classes, double noise, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[classes][features];
        for (float[] c : centres) {
            for (int j = 0; j < features; j++) {
                c[j] = (float) (2 * r.nextDouble() - 1);
            }
        }
        Random s = new Random(seed * 31 + 7);
        float[] x = new float[n * features];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            for (int j = 0; j < features; j++) {
                x[i * features + j] = centres[y[i]][j] + (float) (noise * s.nextGaussian());
            }
        }
        return new ArrayBatchSource(x, y, features, classes);
    }

    /** Uniform random features in [0, 1) and uniformly random labels (nothing to generalise). */
    static ArrayBatchSource random(int n, int features, int classes, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * features];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return new ArrayBatchSource(x, y, features, classes);
    }
}
