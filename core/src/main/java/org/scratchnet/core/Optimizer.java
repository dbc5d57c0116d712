package org.scratchnet.core;

/**
 * The update rule applied after each mini-batch, with g the batch-averaged gradient (plus λ·W when L2 weight decay λ
 * is on) and α the learning rate of the epoch:
 * <ul>
 *   <li>{@link #SGD}: W −= α·g</li>
 *   <li>{@link #MOMENTUM}: one of the {@link MomentumStyle}s, with coefficient β (or μ)</li>
 *   <li>{@link #ADAM}: m = β₁·m + (1−β₁)·g; v = β₂·v + (1−β₂)·g²; W −= α·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε), t the
 *       step count from 1 (Kingma and Ba's form with ε added to √v, bias correction folded into the step).</li>
 * </ul>
 */
public enum Optimizer {
    /** Plain stochastic gradient descent. */
    SGD,
    /** SGD with momentum in the chosen {@link MomentumStyle}. */
    MOMENTUM,
    /** Adam. */
    ADAM
}
