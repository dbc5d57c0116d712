package org.scratchnet.core;

import org.scratchnet.kernels.Kernels;

/**
 * The state an optimiser carries between steps, over the whole flat parameter array: the velocity V of momentum or
 * the first moment m of Adam in {@link #first}, Adam's second moment v in {@link #second}, and the step count t.
 * Formulas: {@link Optimizer}, {@link MomentumStyle}.
 *
 * <p>A step is {@link #beginStep} (counts the step, fixes its coefficients) followed by {@link #apply} over any
 * partition of the parameters into ranges, in any order and on any threads: each element's update depends on that
 * element alone, so the result is the same as one call over the whole array. The training step uses this to update
 * each slice of weights right after its gradient is computed, while both are in cache.
 */
final class OptimizerState {

    final float[] first;
    final float[] second;
    long step;

    private Optimizer kind;
    private MomentumStyle style;
    private float alpha;
    private float mu;
    private float adamStep;
    private float beta1;
    private float beta2;
    private float epsilon;

    OptimizerState(TrainingConfig cfg, int parameters) {
        first = cfg.optimizer() == Optimizer.SGD ? new float[0] : new float[parameters];
        second = cfg.optimizer() == Optimizer.ADAM ? new float[parameters] : new float[0];
    }

    OptimizerState(float[] first, float[] second, long step) {
        this.first = first;
        this.second = second;
        this.step = step;
    }

    OptimizerState copy() {
        return new OptimizerState(first.clone(), second.clone(), step);
    }

    /** One update of all n parameters {@code w} with gradient {@code g} at learning rate {@code alpha}. */
    void apply(TrainingConfig cfg, double alpha, float[] g, float[] w) {
        beginStep(cfg, alpha);
        apply(g, 0, w, 0, w.length);
    }

    /**
     * Starts a step at learning rate {@code alpha}: counts it (t = t + 1) and computes its coefficients (for Adam the
     * bias-corrected step size α·√(1−β₂ᵗ)/(1−β₁ᵗ), with the float-rounded betas the kernel sees).
     */
    void beginStep(TrainingConfig cfg, double alpha) {
        step++;
        kind = cfg.optimizer();
        style = cfg.momentumStyle();
        this.alpha = (float) alpha;
        mu = (float) cfg.momentum();
        if (kind == Optimizer.ADAM) {
            double b1 = (float) cfg.adamBeta1();
            double b2 = (float) cfg.adamBeta2();
            beta1 = (float) b1;
            beta2 = (float) b2;
            epsilon = (float) cfg.adamEpsilon();
            adamStep = (float) (alpha * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step)));
        }
    }

    /**
     * The update of the step begun by {@link #beginStep} for parameters {@code [off, off + len)}: {@code w} and this
     * state's arrays at those indices change, with the gradient of parameter {@code off + i} at {@code g[gOff + i]}.
     * Safe to call concurrently for disjoint ranges.
     */
    void apply(float[] g, int gOff, float[] w, int off, int len) {
        switch (kind) {
            case SGD -> Kernels.sgd(len, alpha, g, gOff, w, off);
            case MOMENTUM -> {
                switch (style) {
                    case EMA -> Kernels.momentumEma(len, alpha, mu, g, gOff, first, off, w, off);
                    case CLASSICAL -> Kernels.momentumClassical(len, alpha, mu, g, gOff, first, off, w, off);
                    case NESTEROV -> Kernels.momentumNesterov(len, alpha, mu, g, gOff, first, off, w, off);
                }
            }
            case ADAM -> Kernels.adam(len, adamStep, beta1, beta2, epsilon, g, gOff, first, off, second, off, w, off);
        }
    }
}
