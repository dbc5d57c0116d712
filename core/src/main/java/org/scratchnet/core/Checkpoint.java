package org.scratchnet.core;

import java.util.List;

/**
 * Everything needed to continue a run after a completed epoch so that it ends bit-identical to an uninterrupted run:
 * the shapes and configuration, the parameters, the optimiser state (momentum velocity or Adam moments and step
 * count), the states of the shuffle and dropout generators, the early-stopping state (best epoch, its accuracy, its
 * weights, epochs since), the history so far, and a record of the training data it was started on. Taken by
 * {@link Trainer#checkpoint()}, saved and loaded by
 * {@link ModelFile#saveCheckpoint} and {@link ModelFile#loadCheckpoint}, continued by {@link Trainer#resume}.
 * Immutable from outside (arrays are copied in and never handed out).
 */
public final class Checkpoint {

    final NetworkConfig networkConfig;
    final TrainingConfig trainingConfig;
    final int epochsCompleted;
    final int trainSize;
    final float[] parameters;
    final OptimizerState optimizer;
    final long shuffleState;
    final long dropoutState;
    final int bestEpoch;
    final double bestAccuracy;
    final int epochsSinceBest;
    final float[] bestParameters;
    final List<EpochStats> history;
    final String trainingData;

    Checkpoint(NetworkConfig networkConfig, TrainingConfig trainingConfig, int epochsCompleted, int trainSize,
               float[] parameters, OptimizerState optimizer, long shuffleState, long dropoutState, int bestEpoch,
               double bestAccuracy, int epochsSinceBest, float[] bestParameters, List<EpochStats> history) {
        this(networkConfig, trainingConfig, epochsCompleted, trainSize, parameters, optimizer, shuffleState,
                dropoutState, bestEpoch, bestAccuracy, epochsSinceBest, bestParameters, history, "");
    }

    Checkpoint(NetworkConfig networkConfig, TrainingConfig trainingConfig, int epochsCompleted, int trainSize,
               float[] parameters, OptimizerState optimizer, long shuffleState, long dropoutState, int bestEpoch,
               double bestAccuracy, int epochsSinceBest, float[] bestParameters, List<EpochStats> history,
               String trainingData) {
        this.networkConfig = networkConfig;
        this.trainingConfig = trainingConfig;
        this.epochsCompleted = epochsCompleted;
        this.trainSize = trainSize;
        this.parameters = parameters;
        this.optimizer = optimizer;
        this.shuffleState = shuffleState;
        this.dropoutState = dropoutState;
        this.bestEpoch = bestEpoch;
        this.bestAccuracy = bestAccuracy;
        this.epochsSinceBest = epochsSinceBest;
        this.bestParameters = bestParameters;
        this.history = List.copyOf(history);
        this.trainingData = trainingData == null ? "" : trainingData;
    }

    /**
     * What the run was trained on, as its caller recorded it with {@link #withTrainingData} (the command line
     * records the SHA-256 of the training images and labels); empty when unknown. A resumed run should be given the
     * same data: core cannot check that, it knows nothing of files, so the caller compares this.
     */
    public String trainingData() {
        return trainingData;
    }

    /**
     * A copy that records what the run was trained on (at most 4096 bytes of UTF-8), e.g. checksums of the
     * training files; saved and loaded with the checkpoint.
     *
     * @throws IllegalArgumentException if the text is longer
     */
    public Checkpoint withTrainingData(String description) {
        if (description.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 4096) {
            throw new IllegalArgumentException("a training-data record of at most 4096 bytes, found "
                    + description.length() + " characters");
        }
        return new Checkpoint(networkConfig, trainingConfig, epochsCompleted, trainSize, parameters, optimizer,
                shuffleState, dropoutState, bestEpoch, bestAccuracy, epochsSinceBest, bestParameters, history,
                description);
    }

    /** The network's shape. */
    public NetworkConfig networkConfig() {
        return networkConfig;
    }

    /** The run's configuration. */
    public TrainingConfig trainingConfig() {
        return trainingConfig;
    }

    /** Epochs completed (0 before the first). */
    public int epochsCompleted() {
        return epochsCompleted;
    }

    /** Number of examples of the training set the run was started on (checked on resume). */
    public int trainSize() {
        return trainSize;
    }

    /** Statistics of the completed epochs. */
    public List<EpochStats> history() {
        return history;
    }

    /** A new network with the checkpoint's current parameters. */
    public Network network() {
        return Network.of(networkConfig, parameters);
    }
}
