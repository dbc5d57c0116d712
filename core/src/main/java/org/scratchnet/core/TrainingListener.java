package org.scratchnet.core;

/**
 * Hears a training run's progress. All methods run on the training thread and default to doing nothing; keep them
 * cheap ({@link #onBatch} runs after every batch: a progress bar should redraw only every so often).
 */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /**
     * Before the first epoch of this call: epochs {@code firstEpoch..epochs} (1-based) will run, each of
     * {@code batches}.
     */
    default void onStart(int firstEpoch, int epochs, int batches, int trainExamples) {
    }

    /**
     * After batch {@code batch} (1-based) of {@code batches} of 1-based {@code epoch}; {@code loss} is that batch's
     * mean loss. The network is not to be read from here: during an epoch the training step holds the first layer's
     * weights apart from the network's parameters, and puts them back at the epoch's end (before {@link #onEpoch}).
     */
    default void onBatch(int epoch, int batch, int batches, double loss) {
    }

    /**
     * After each completed epoch, evaluation included. {@link Trainer#checkpoint()} called from here returns the
     * state at the end of this epoch.
     */
    default void onEpoch(EpochStats stats) {
    }
}
