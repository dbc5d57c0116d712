package org.scratchnet.core;

/**
 * The state an optimiser carries between steps, over the whole flat parameter array: the velocity V of momentum or
 * the first moment m of Adam in {@link #first}, Adam's second moment v in {@link #second}, and the step count t.
 * Formulas: {@link Optimizer}, {@link MomentumStyle}.
 *
 * <p>A step is {@link #beginStep} (counts the step, fixes its rule and step size) followed by {@link #apply} over any
 * partition of the parameters into ranges, in any order and on any threads: each element's update depends on that
 * element alone, so the result is the same as one call over the whole array. The training step uses this to update
 * each slice of weights right after its gradient is computed, while both are in cache.
 */
final class OptimizerState {

    final float[] first;
    final float[] second;
    long step;

    private Optimizer rule;
    private float stepSize;

    /** Zero state for {@code parameters} parameters under {@code optimizer}. */
    OptimizerState(Optimizer optimizer, int parameters) {
        first = new float[optimizer.stateArrays() >= 1 ? parameters : 0];
        second = new float[optimizer.stateArrays() >= 2 ? parameters : 0];
    }

    OptimizerState(float[] first, float[] second, long step) {
        this.first = first;
        this.second = second;
        this.step = step;
    }

    OptimizerState copy() {
        return new OptimizerState(first.clone(), second.clone(), step);
    }

    /** One update of all parameters {@code w} with gradient {@code g} under {@code optimizer} at rate {@code alpha}. */
    void apply(Optimizer optimizer, double alpha, float[] g, float[] w) {
        beginStep(optimizer, alpha);
        apply(g, 0, w, 0, w.length);
    }

    /**
     * Starts a step of {@code optimizer} at learning rate {@code alpha}: counts it (t = t + 1) and computes its step
     * size ({@link Optimizer#stepSize}; for Adam the bias-corrected α·√(1−β₂ᵗ)/(1−β₁ᵗ)).
     */
    void beginStep(Optimizer optimizer, double alpha) {
        step++;
        rule = optimizer;
        stepSize = optimizer.stepSize(alpha, step);
    }

    /**
     * The update of the step begun by {@link #beginStep} for parameters {@code [off, off + len)}: {@code w} and this
     * state's arrays at those indices change, with the gradient of parameter {@code off + i} at {@code g[gOff + i]}.
     * Safe to call concurrently for disjoint ranges.
     */
    void apply(float[] g, int gOff, float[] w, int off, int len) {
        rule.update(len, stepSize, g, gOff, w, first, second, off);
    }

    /**
     * The same update for parameters kept outside the network's array: {@code w}, {@code first} and {@code second}
     * (this state's values for those parameters, empty where the rule keeps none) at {@code [off, off + len)}.
     */
    void apply(float[] g, int gOff, float[] w, float[] first, float[] second, int off, int len) {
        rule.update(len, stepSize, g, gOff, w, first, second, off);
    }
}
