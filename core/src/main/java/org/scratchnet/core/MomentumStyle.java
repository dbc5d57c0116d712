package org.scratchnet.core;

/** The three forms of momentum; V starts at zero, g is the gradient, α the learning rate. */
public enum MomentumStyle {
    /** Exponential average, the original's form and the default: V = β·V + (1−β)·g; W −= α·V. */
    EMA,
    /** Classical (heavy ball): V = μ·V + g; W −= α·V. */
    CLASSICAL,
    /** Nesterov, as PyTorch writes it: V = μ·V + g; W −= α·(g + μ·V). */
    NESTEROV
}
