package org.scratchnet.core;

import org.scratchnet.kernels.Kernels;

/**
 * The three forms of momentum of {@link Optimizer.Momentum}; V starts at zero, g is the gradient, α the learning rate
 * and c the coefficient.
 */
public enum MomentumStyle {
    /** Exponential average, the original's form and the default: V = β·V + (1−β)·g; W −= α·V (c is β). */
    EMA {
        @Override
        void update(int n, float alpha, float c, float[] g, int gOff, float[] v, float[] w, int off) {
            Kernels.momentumEma(n, alpha, c, g, gOff, v, off, w, off);
        }
    },
    /** Classical (heavy ball): V = μ·V + g; W −= α·V (c is μ). */
    CLASSICAL {
        @Override
        void update(int n, float alpha, float c, float[] g, int gOff, float[] v, float[] w, int off) {
            Kernels.momentumClassical(n, alpha, c, g, gOff, v, off, w, off);
        }
    },
    /** Nesterov, as PyTorch writes it: V = μ·V + g; W −= α·(g + μ·V) (c is μ). */
    NESTEROV {
        @Override
        void update(int n, float alpha, float c, float[] g, int gOff, float[] v, float[] w, int off) {
            Kernels.momentumNesterov(n, alpha, c, g, gOff, v, off, w, off);
        }
    };

    /**
     * This form's update of parameters {@code w[off, off + n)} and velocities {@code v[off, off + n)} from gradients
     * {@code g[gOff, gOff + n)} (one method per constant, so a new form does not compile without its update).
     */
    abstract void update(int n, float alpha, float c, float[] g, int gOff, float[] v, float[] w, int off);
}
