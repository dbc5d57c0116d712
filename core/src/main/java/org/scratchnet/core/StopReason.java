package org.scratchnet.core;

/** Why {@link Trainer#train} returned. */
public enum StopReason {
    /** All configured epochs ran. */
    COMPLETED,
    /** Validation accuracy did not improve for {@code patience} epochs. */
    EARLY_STOPPED,
    /** {@link Trainer#requestStop()} was called. */
    STOP_REQUESTED
}
