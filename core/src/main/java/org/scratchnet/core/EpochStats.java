package org.scratchnet.core;

/**
 * What one epoch did.
 *
 * @param epoch              1-based epoch number
 * @param trainLoss          mean cross-entropy over the epoch's training examples, as computed during training
 *                           (each batch with the weights before its update, with dropout if on)
 * @param trainAccuracy      fraction of the epoch's training examples whose argmax was right during training
 *                           (same weights and dropout as the loss)
 * @param testAccuracy       accuracy on the test set after the epoch, NaN if none was given
 * @param validationAccuracy accuracy on the held-out validation split after the epoch, NaN if none
 * @param learningRate       the rate used in this epoch
 * @param seconds            wall time of the epoch's training (shuffle, forward, backward, updates),
 *                           evaluation excluded
 * @param imagesPerSecond    training examples divided by {@code seconds}
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testAccuracy,
                         double validationAccuracy, double learningRate, double seconds, double imagesPerSecond) {
}
