package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Known-answer steps: one weight w = 1, gradient g = 0.5 twice, α = 0.1, β = μ = 0.9; the expected values are worked
 * out by hand in the comments.
 */
class OptimizerTest {

    private static float[] twoSteps(TrainingConfig cfg) {
        OptimizerState s = new OptimizerState(cfg, 1);
        float[] w = {1f};
        float[] g = {0.5f};
        float first;
        s.apply(cfg, cfg.learningRate(), g, w);
        first = w[0];
        s.apply(cfg, cfg.learningRate(), g, w);
        return new float[] {first, w[0]};
    }

    private static TrainingConfig.Builder base() {
        return TrainingConfig.builder().learningRate(0.1);
    }

    @Test
    void sgd() {
        // w = 1 − 0.1·0.5 = 0.95, then 0.9
        float[] w = twoSteps(base().build());
        assertEquals(0.95f, w[0], 1e-7f);
        assertEquals(0.90f, w[1], 1e-7f);
    }

    @Test
    void emaMomentum() {
        // V = 0.9·0 + 0.1·0.5 = 0.05; w = 1 − 0.1·0.05 = 0.995
        // V = 0.9·0.05 + 0.1·0.5 = 0.095; w = 0.995 − 0.0095 = 0.9855
        float[] w = twoSteps(base().momentum(MomentumStyle.EMA, 0.9).build());
        assertEquals(0.995f, w[0], 1e-6f);
        assertEquals(0.9855f, w[1], 1e-6f);
    }

    @Test
    void classicalMomentum() {
        // V = 0.5; w = 1 − 0.05 = 0.95.  V = 0.45 + 0.5 = 0.95; w = 0.95 − 0.095 = 0.855
        float[] w = twoSteps(base().momentum(MomentumStyle.CLASSICAL, 0.9).build());
        assertEquals(0.95f, w[0], 1e-6f);
        assertEquals(0.855f, w[1], 1e-6f);
    }

    @Test
    void nesterovMomentum() {
        // V = 0.5; w = 1 − 0.1·(0.5 + 0.45) = 0.905.  V = 0.95; w = 0.905 − 0.1·(0.5 + 0.855) = 0.7695
        float[] w = twoSteps(base().momentum(MomentumStyle.NESTEROV, 0.9).build());
        assertEquals(0.905f, w[0], 1e-6f);
        assertEquals(0.7695f, w[1], 1e-6f);
    }

    @Test
    void adam() {
        // β1 = 0.9, β2 = 0.999, ε = 1e-8. Step 1: m = 0.05, v = 0.00025, step = 0.1·√0.001/0.1 = 0.0316228;
        //   w = 1 − 0.0316228·0.05/(0.0158114 + 1e-8) = 1 − 0.1·(1 − 6.3e-7) ≈ 0.9000001 (Adam's first step is α·sign(g)).
        // Step 2: m = 0.095, v = 0.00049975, step = 0.1·√(1 − 0.999²)/(1 − 0.81) = 0.1·0.0447102/0.19 = 0.0235317;
        //   m/(√v + ε) = 0.095/0.0223551 = 4.249590; w = 0.9000001 − 0.1 = 0.8000001
        float[] w = twoSteps(base().adam(0.9, 0.999, 1e-8).build());
        assertEquals(0.9000001f, w[0], 2e-7f);
        assertEquals(0.8000001f, w[1], 3e-7f);
    }

    @Test
    void adamWithLargeEpsilonShowsTheEpsilonTerm() {
        // ε = 0.01: step 1 w = 1 − α·s/(s + ε) with s = 0.5·√(1 − β2) = 0.0158113 (β2 as a float: 1 − β2 = 9.99987e-4)
        //   = 1 − 0.1·0.0158113/0.0258113 = 1 − 0.0612572 = 0.9387428
        float[] w = twoSteps(base().adam(0.9, 0.999, 0.01).build());
        assertEquals(0.9387428f, w[0], 1e-6f);
    }
}
