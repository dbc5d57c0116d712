package org.scratchnet.core;

import org.scratchnet.kernels.Kernels;

/**
 * The state an optimiser carries between steps, over the whole flat parameter array: the velocity V of momentum or
 * the first moment m of Adam in {@link #first}, Adam's second moment v in {@link #second}, and the step count t.
 * Formulas: {@link Optimizer}, {@link MomentumStyle}.
 */
final class OptimizerState {

    final float[] first;
    final float[] second;
    long step;

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
        int n = w.length;
        step++;
        float a = (float) alpha;
        switch (cfg.optimizer()) {
            case SGD -> Kernels.sgd(n, a, g, 0, w, 0);
            case MOMENTUM -> {
                float mu = (float) cfg.momentum();
                switch (cfg.momentumStyle()) {
                    case EMA -> Kernels.momentumEma(n, a, mu, g, 0, first, 0, w, 0);
                    case CLASSICAL -> Kernels.momentumClassical(n, a, mu, g, 0, first, 0, w, 0);
                    case NESTEROV -> Kernels.momentumNesterov(n, a, mu, g, 0, first, 0, w, 0);
                }
            }
            case ADAM -> {
                // the kernel sees float betas; the bias correction uses the same rounded values
                double b1 = (float) cfg.adamBeta1();
                double b2 = (float) cfg.adamBeta2();
                double stepSize = alpha * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step));
                Kernels.adam(n, (float) stepSize, (float) b1, (float) b2, (float) cfg.adamEpsilon(), g, 0, first, 0,
                        second, 0, w, 0);
            }
        }
    }
}
