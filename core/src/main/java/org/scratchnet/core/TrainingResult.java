package org.scratchnet.core;

import java.util.List;

/**
 * The outcome of {@link Trainer#train}.
 *
 * @param network    the trained network (the trainer's own instance): the best-validation weights when early stopping
 *                   is on (patience &gt; 0) and the run completed or stopped early, otherwise the latest weights
 * @param history    statistics of every completed epoch, resumed epochs included
 * @param stopReason why training ended
 * @param bestEpoch  1-based epoch of the best validation accuracy, 0 when there is no validation split
 * @param checkpoint the state at the end of the last completed epoch (resumable)
 */
public record TrainingResult(Network network, List<EpochStats> history, StopReason stopReason, int bestEpoch,
                             Checkpoint checkpoint) {

    /** The last epoch's statistics, or null if no epoch completed. */
    public EpochStats last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
