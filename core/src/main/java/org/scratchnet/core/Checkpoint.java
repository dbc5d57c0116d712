package org.scratchnet.core;

import java.util.List;

/**
 * Everything needed to continue a run after a completed epoch so that it ends bit-identical to an uninterrupted run:
 * the shapes and configuration, the parameters, the optimiser state (momentum velocity or Adam moments and step
 * count), the states of the shuffle and dropout generators, the early-stopping state (best epoch, its accuracy, its
 * weights, epochs since) and the history so far. Taken by {@link Trainer#checkpoint()}, saved and loaded by
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

    Checkpoint(NetworkConfig networkConfig, TrainingConfig trainingConfig, int epochsCompleted, int trainSize,
               float[] parameters, OptimizerState optimizer, long shuffleState, long dropoutState, int bestEpoch,
               double bestAccuracy, int epochsSinceBest, float[] bestParameters, List<EpochStats> history) {
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
