package org.scratchnet.core;

/** The activation after a dense layer: ReLU on hidden layers, softmax on the output layer. */
public enum Activation {
    /** y = max(0, z). */
    RELU,
    /** yⱼ = exp(zⱼ − max z) / Σₖ exp(zₖ − max z), fused with the cross-entropy loss in training. */
    SOFTMAX
}
