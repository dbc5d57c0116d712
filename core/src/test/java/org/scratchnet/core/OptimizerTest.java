package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scratchnet.core.InvalidSettingException.Setting;

/**
 * Known-answer steps: one weight w = 1, gradient g = 0.5 twice, α = 0.1, β = μ = 0.9; the expected values are worked
 * out by hand in the comments. Then each rule's checks, names, state and stored keys.
 */
class OptimizerTest {

    private static float[] twoSteps(TrainingConfig cfg) {
        OptimizerState s = new OptimizerState(cfg.optimizer(), 1);
        float[] w = {1f};
        float[] g = {0.5f};
        float first;
        s.apply(cfg.optimizer(), cfg.learningRate(), g, w);
        first = w[0];
        s.apply(cfg.optimizer(), cfg.learningRate(), g, w);
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
        float[] w = twoSteps(base().optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).build());
        assertEquals(0.995f, w[0], 1e-6f);
        assertEquals(0.9855f, w[1], 1e-6f);
    }

    @Test
    void classicalMomentum() {
        // V = 0.5; w = 1 − 0.05 = 0.95.  V = 0.45 + 0.5 = 0.95; w = 0.95 − 0.095 = 0.855
        float[] w = twoSteps(base().optimizer(new Optimizer.Momentum(MomentumStyle.CLASSICAL, 0.9)).build());
        assertEquals(0.95f, w[0], 1e-6f);
        assertEquals(0.855f, w[1], 1e-6f);
    }

    @Test
    void nesterovMomentum() {
        // V = 0.5; w = 1 − 0.1·(0.5 + 0.45) = 0.905.  V = 0.95; w = 0.905 − 0.1·(0.5 + 0.855) = 0.7695
        float[] w = twoSteps(base().optimizer(new Optimizer.Momentum(MomentumStyle.NESTEROV, 0.9)).build());
        assertEquals(0.905f, w[0], 1e-6f);
        assertEquals(0.7695f, w[1], 1e-6f);
    }

    @Test
    void adam() {
        // β1 = 0.9, β2 = 0.999, ε = 1e-8. Step 1: m = 0.05, v = 0.00025, step = 0.1·√0.001/0.1 = 0.0316228;
        //   w = 1 − 0.0316228·0.05/(0.0158114 + 1e-8) = 1 − 0.1·(1 − 6.3e-7) ≈ 0.9000001
        //   (Adam's first step is α·sign(g)).
        // Step 2: m = 0.095, v = 0.00049975, step = 0.1·√(1 − 0.999²)/(1 − 0.81) = 0.1·0.0447102/0.19 = 0.0235317;
        //   m/(√v + ε) = 0.095/0.0223551 = 4.249590; w = 0.9000001 − 0.1 = 0.8000001
        float[] w = twoSteps(base().optimizer(new Optimizer.Adam(0.9, 0.999, 1e-8)).build());
        assertEquals(0.9000001f, w[0], 2e-7f);
        assertEquals(0.8000001f, w[1], 3e-7f);
    }

    @Test
    void adamWithLargeEpsilonShowsTheEpsilonTerm() {
        // ε = 0.01: step 1 w = 1 − α·s/(s + ε) with s = 0.5·√(1 − β2) = 0.0158113 (β2 as a float: 1 − β2 = 9.99987e-4)
        //   = 1 − 0.1·0.0158113/0.0258113 = 1 − 0.0612572 = 0.9387428
        float[] w = twoSteps(base().optimizer(new Optimizer.Adam(0.9, 0.999, 0.01)).build());
        assertEquals(0.9387428f, w[0], 1e-6f);
    }

    // ------------------------------------------------------------------------------------------- the rules as types

    private static final List<Optimizer> SAMPLES = List.of(new Optimizer.Sgd(),
            new Optimizer.Momentum(MomentumStyle.EMA, 0.9), new Optimizer.Momentum(MomentumStyle.CLASSICAL, 0.5),
            new Optimizer.Momentum(MomentumStyle.NESTEROV, 0), new Optimizer.Adam(),
            new Optimizer.Adam(0.8, 0.99, 1e-7));

    private static void assertRefused(Runnable make, Setting setting, String expected, String found) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, make::run);
        assertEquals(setting, e.setting());
        assertEquals(expected, e.expected());
        assertEquals(found, e.found());
        assertEquals(setting.label() + " must be " + expected + ", got " + found, e.getMessage());
    }

    @Test
    void momentumChecksItsCoefficient() {
        assertRefused(() -> new Optimizer.Momentum(MomentumStyle.EMA, 1), Setting.MOMENTUM_COEFFICIENT,
                "in [0, 1)", "1.0");
        assertRefused(() -> new Optimizer.Momentum(MomentumStyle.CLASSICAL, -0.1), Setting.MOMENTUM_COEFFICIENT,
                "in [0, 1)", "-0.1");
        assertRefused(() -> new Optimizer.Momentum(MomentumStyle.NESTEROV, Double.NaN), Setting.MOMENTUM_COEFFICIENT,
                "in [0, 1)", "NaN");
        assertThrows(NullPointerException.class, () -> new Optimizer.Momentum(null, 0.9));
        assertEquals(0.0, new Optimizer.Momentum(MomentumStyle.EMA, 0).coefficient());
    }

    @Test
    void adamChecksItsParameters() {
        assertRefused(() -> new Optimizer.Adam(1, 0.999, 1e-8), Setting.ADAM_BETA1, "in [0, 1)", "1.0");
        assertRefused(() -> new Optimizer.Adam(-0.5, 0.999, 1e-8), Setting.ADAM_BETA1, "in [0, 1)", "-0.5");
        assertRefused(() -> new Optimizer.Adam(0.9, 1, 1e-8), Setting.ADAM_BETA2, "in [0, 1)", "1.0");
        assertRefused(() -> new Optimizer.Adam(0.9, 0.999, 0), Setting.ADAM_EPSILON, "> 0 and finite", "0.0");
        assertRefused(() -> new Optimizer.Adam(0.9, 0.999, Double.POSITIVE_INFINITY), Setting.ADAM_EPSILON,
                "> 0 and finite", "Infinity");
        assertEquals(new Optimizer.Adam(0.9, 0.999, 1e-8), new Optimizer.Adam());
    }

    @Test
    void eachRuleHasANameThatGivesItWithItsDefaults() {
        assertEquals(List.of("sgd", "momentum", "adam"), Optimizer.NAMES);
        for (String name : Optimizer.NAMES) {
            assertEquals(name, Optimizer.named(name).name());
            assertEquals(Optimizer.named(name), Optimizer.named(name.toUpperCase(java.util.Locale.ROOT)));
        }
        assertEquals(new Optimizer.Sgd(), Optimizer.named("sgd"));
        assertEquals(new Optimizer.Momentum(MomentumStyle.EMA, 0.9), Optimizer.named("momentum"));
        assertEquals(new Optimizer.Adam(0.9, 0.999, 1e-8), Optimizer.named("adam"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizer.named("rmsprop"));
        assertEquals("unknown optimizer 'rmsprop', expected one of [sgd, momentum, adam]", e.getMessage());
        // a rule added to the sealed interface must also get a name
        for (Class<?> rule : Optimizer.class.getPermittedSubclasses()) {
            assertTrue(Optimizer.NAMES.stream().anyMatch(n -> rule.isInstance(Optimizer.named(n))),
                    rule + " has no name");
        }
        assertEquals(Optimizer.NAMES.size(), Optimizer.class.getPermittedSubclasses().length);
    }

    @Test
    void stateArraysAndStepSizes() {
        assertEquals(0, new Optimizer.Sgd().stateArrays());
        assertEquals(1, new Optimizer.Momentum(MomentumStyle.EMA, 0.9).stateArrays());
        assertEquals(2, new Optimizer.Adam().stateArrays());
        assertEquals(0.1f, new Optimizer.Sgd().stepSize(0.1, 7));
        assertEquals(0.1f, new Optimizer.Momentum(MomentumStyle.NESTEROV, 0.9).stepSize(0.1, 7));
        // Adam: α·√(1−β₂ᵗ)/(1−β₁ᵗ) with the betas as floats; step 1 of β₁ 0.9, β₂ 0.999 is 0.1·√0.001/0.1 ≈ 0.0316228
        double b1 = 0.9f;
        double b2 = 0.999f;
        assertEquals((float) (0.1 * Math.sqrt(1 - Math.pow(b2, 3)) / (1 - Math.pow(b1, 3))),
                new Optimizer.Adam().stepSize(0.1, 3));
        assertEquals(0.0316228f, new Optimizer.Adam().stepSize(0.1, 1), 1e-6f);
        for (Optimizer rule : SAMPLES) {
            OptimizerState state = new OptimizerState(rule, 5);
            assertEquals(rule.stateArrays() >= 1 ? 5 : 0, state.first.length, rule::describe);
            assertEquals(rule.stateArrays() >= 2 ? 5 : 0, state.second.length, rule::describe);
        }
    }

    @Test
    void descriptions() {
        assertEquals("sgd", new Optimizer.Sgd().describe());
        assertEquals("momentum ema 0.9", new Optimizer.Momentum(MomentumStyle.EMA, 0.9).describe());
        assertEquals("momentum nesterov 0.5", new Optimizer.Momentum(MomentumStyle.NESTEROV, 0.5).describe());
        assertEquals("adam 0.9/0.999", new Optimizer.Adam().describe());
    }

    @Test
    void storedKeysAreTheFirstFormatsKeysOfTheChosenRuleOnly() {
        assertEquals(Map.of("optimizer", "SGD"), new Optimizer.Sgd().toMap());
        assertEquals(List.of("optimizer", "momentumStyle", "momentum"),
                List.copyOf(new Optimizer.Momentum(MomentumStyle.CLASSICAL, 0.5).toMap().keySet()));
        assertEquals("CLASSICAL", new Optimizer.Momentum(MomentumStyle.CLASSICAL, 0.5).toMap().get("momentumStyle"));
        assertEquals(List.of("optimizer", "adamBeta1", "adamBeta2", "adamEpsilon"),
                List.copyOf(new Optimizer.Adam().toMap().keySet()));
        for (Optimizer rule : SAMPLES) {
            assertEquals(rule, Optimizer.fromMap(rule.toMap()));
        }
        // the first format wrote every rule's keys; only the chosen rule's count
        Map<String, String> first = Map.of("optimizer", "SGD", "momentumStyle", "NESTEROV", "momentum", "0.5",
                "adamBeta1", "0.8", "adamBeta2", "0.99", "adamEpsilon", "1.0E-7");
        assertEquals(new Optimizer.Sgd(), Optimizer.fromMap(first));
        Map<String, String> momentum = new java.util.HashMap<>(first);
        momentum.put("optimizer", "MOMENTUM");
        assertEquals(new Optimizer.Momentum(MomentumStyle.NESTEROV, 0.5), Optimizer.fromMap(momentum));
        momentum.put("optimizer", "ADAM");
        assertEquals(new Optimizer.Adam(0.8, 0.99, 1e-7), Optimizer.fromMap(momentum));
        // absent keys: the first format's defaults
        assertEquals(new Optimizer.Sgd(), Optimizer.fromMap(Map.of()));
        assertEquals(new Optimizer.Momentum(MomentumStyle.EMA, 0.9),
                Optimizer.fromMap(Map.of("optimizer", "MOMENTUM")));
        assertThrows(IllegalArgumentException.class, () -> Optimizer.fromMap(Map.of("optimizer", "NADAM")));
        assertThrows(IllegalArgumentException.class,
                () -> Optimizer.fromMap(Map.of("optimizer", "MOMENTUM", "momentumStyle", "HEAVY")));
        assertRefused(() -> Optimizer.fromMap(Map.of("optimizer", "MOMENTUM", "momentum", "1.5")),
                Setting.MOMENTUM_COEFFICIENT, "in [0, 1)", "1.5");
    }
}
