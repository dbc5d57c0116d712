package org.scratchnet.core;

import org.scratchnet.kernels.Kernels;

/**
 * Buffers for a forward (and backward) pass of up to {@link #capacity} rows, sized once and reused: a batch of m
 * &lt;= capacity rows uses the first m rows of each buffer. act[0] is the input, act[l] the output of layer l
 * (after ReLU and dropout; logits for the last layer); grad[l] is the gradient of the loss with respect to layer l's
 * pre-activation (and, before the ReLU mask is applied, its output). A training workspace also holds the parameter
 * gradients and each row's loss.
 */
final class Workspace {

    /**
     * Floats left free after each matrix that gemm reads as its right operand B (the gradients here, Wᵀ and the first
     * layer's blocks in {@link TrainingStep}): the vector gemm reads a last panel narrower than its tile in place only
     * when its whole-vector reads past the last column stay inside the array, and packs it on every call otherwise
     * (the lanes past the last column feed no result). docs/decisions/0031-gemm-slack.md.
     */
    static final int GEMM_SLACK = Kernels.gemmTileColumns();

    final int capacity;
    final float[][] act;
    final float[][] grad;
    final float[][] mask;
    final int[] labels;
    final int[] predictions;
    final float[] paramGrads;
    final double[] rowLoss;

    Workspace(NetworkConfig cfg, int capacity, boolean training, boolean dropout) {
        int layers = cfg.layers();
        this.capacity = capacity;
        act = new float[layers + 1][];
        grad = new float[layers + 1][];
        mask = new float[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            act[l] = new float[Math.multiplyExact(capacity, cfg.size(l))];
            if (training && l > 0) {
                grad[l] = new float[capacity * cfg.size(l) + GEMM_SLACK];
            }
            if (training && dropout && l > 0 && l < layers) {
                mask[l] = new float[capacity * cfg.size(l)];
            }
        }
        labels = new int[capacity];
        predictions = new int[capacity];
        paramGrads = training ? new float[cfg.parameterCount()] : null;
        rowLoss = training ? new double[capacity] : null;
    }
}
