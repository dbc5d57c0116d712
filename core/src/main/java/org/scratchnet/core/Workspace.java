package org.scratchnet.core;

/**
 * Buffers for a forward (and backward) pass of up to {@link #capacity} rows, sized once and reused: a batch of m
 * &lt;= capacity rows uses the first m rows of each buffer. act[0] is the input, act[l] the output of layer l
 * (after ReLU and dropout; logits for the last layer); grad[l] is the gradient of the loss with respect to layer l's
 * pre-activation (and, before the ReLU mask is applied, its output). A training workspace also holds the parameter
 * gradients, each row's loss, and a second input buffer ({@link #nextInput}, {@link #nextLabels}) into which the next
 * batch is gathered while the current one finishes; {@link #swapInput()} makes it the current one.
 */
final class Workspace {

    final int capacity;
    final float[][] act;
    final float[][] grad;
    final float[][] mask;
    int[] labels;
    final int[] predictions;
    final float[] paramGrads;
    final double[] rowLoss;
    float[] nextInput;
    int[] nextLabels;

    Workspace(NetworkConfig cfg, int capacity, boolean training, boolean dropout) {
        this(cfg, capacity, training, dropout, false);
    }

    /** @param prefetch whether to allocate {@link #nextInput} and {@link #nextLabels} (training only) */
    Workspace(NetworkConfig cfg, int capacity, boolean training, boolean dropout, boolean prefetch) {
        int layers = cfg.layers();
        this.capacity = capacity;
        act = new float[layers + 1][];
        grad = new float[layers + 1][];
        mask = new float[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            act[l] = new float[Math.multiplyExact(capacity, cfg.size(l))];
            if (training && l > 0) {
                grad[l] = new float[capacity * cfg.size(l)];
            }
            if (training && dropout && l > 0 && l < layers) {
                mask[l] = new float[capacity * cfg.size(l)];
            }
        }
        labels = new int[capacity];
        predictions = new int[capacity];
        paramGrads = training ? new float[cfg.parameterCount()] : null;
        rowLoss = training ? new double[capacity] : null;
        if (training && prefetch) {
            nextInput = new float[act[0].length];
            nextLabels = new int[capacity];
        }
    }

    /** Exchanges the input and labels with the prefetched ones. */
    void swapInput() {
        float[] x = act[0];
        act[0] = nextInput;
        nextInput = x;
        int[] y = labels;
        labels = nextLabels;
        nextLabels = y;
    }
}
