package org.scratchnet.core;

/**
 * Learning-rate schedules, evaluated once per epoch (e is the 0-based epoch, E the number of epochs, α₀ the configured
 * learning rate). The rate is constant within an epoch.
 */
public enum Schedule {
    /** α = α₀. */
    CONSTANT,
    /** α = α₀ · γ^⌊e / stepEvery⌋. */
    STEP,
    /** Cosine annealing: α = α_min + (α₀ − α_min)·(1 + cos(π·e/E))/2. */
    COSINE;

    /** The learning rate of 0-based epoch {@code epoch} of {@code epochs} for the schedule parameters of {@code cfg}. */
    public double rate(TrainingConfig cfg, int epoch) {
        double a0 = cfg.learningRate();
        return switch (this) {
            case CONSTANT -> a0;
            case STEP -> a0 * Math.pow(cfg.stepGamma(), epoch / cfg.stepEvery());
            case COSINE -> cfg.minLearningRate()
                    + (a0 - cfg.minLearningRate()) * (1 + Math.cos(Math.PI * epoch / cfg.epochs())) / 2;
        };
    }
}
