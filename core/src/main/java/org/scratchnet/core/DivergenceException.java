package org.scratchnet.core;

import java.util.List;

/**
 * Training stopped because the loss became NaN or infinite (or the weights did). The trainer's network holds the
 * weights of the last epoch that ended with finite weights (the initial ones if none), never the diverged ones.
 */
public final class DivergenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final transient List<EpochStats> history;

    DivergenceException(String message, int epoch, int batch, List<EpochStats> history) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.history = List.copyOf(history);
    }

    /** 1-based epoch in which the loss diverged. */
    public int epoch() {
        return epoch;
    }

    /** 1-based batch within the epoch. */
    public int batch() {
        return batch;
    }

    /** Statistics of the epochs completed before the divergence. */
    public List<EpochStats> history() {
        return history;
    }
}
