package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scratchnet.core.InvalidSettingException.Setting;

/** The checks of the run's own settings, its one-line description, and its key/value form old and new. */
class TrainingConfigTest {

    private static void assertRefused(TrainingConfig.Builder b, Setting setting, String expected, String found) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, b::build);
        assertEquals(setting, e.setting());
        assertEquals(expected, e.expected());
        assertEquals(found, e.found());
    }

    @Test
    void eachSettingIsCheckedAndNamed() {
        assertRefused(TrainingConfig.builder().epochs(0), Setting.EPOCHS, ">= 1", "0");
        assertRefused(TrainingConfig.builder().batchSize(-3), Setting.BATCH_SIZE, ">= 1", "-3");
        assertRefused(TrainingConfig.builder().learningRate(0), Setting.LEARNING_RATE, "> 0 and finite", "0.0");
        assertRefused(TrainingConfig.builder().learningRate(Double.POSITIVE_INFINITY), Setting.LEARNING_RATE,
                "> 0 and finite", "Infinity");
        assertRefused(TrainingConfig.builder().weightDecay(-1e-4), Setting.WEIGHT_DECAY, ">= 0 and finite", "-1.0E-4");
        assertRefused(TrainingConfig.builder().dropout(1), Setting.DROPOUT, "in [0, 1)", "1.0");
        assertRefused(TrainingConfig.builder().validationFraction(-0.1), Setting.VALIDATION_FRACTION, "in [0, 1)",
                "-0.1");
        assertRefused(TrainingConfig.builder().patience(-1), Setting.PATIENCE, ">= 0", "-1");
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> TrainingConfig.builder().patience(3).build());
        assertEquals(Setting.PATIENCE, e.setting());
        assertEquals("early stopping (patience 3) needs a validation split (validation fraction > 0)", e.getMessage());
        assertEquals("learning rate must be > 0 and finite, got -0.5", assertThrows(InvalidSettingException.class,
                () -> TrainingConfig.builder().learningRate(-0.5).build()).getMessage());
        assertThrows(NullPointerException.class, () -> TrainingConfig.builder().optimizer(null).build());
        assertThrows(NullPointerException.class, () -> TrainingConfig.builder().schedule(null).build());
    }

    @Test
    void defaultsArePlainSgdAtAConstantRate() {
        TrainingConfig c = TrainingConfig.builder().build();
        assertEquals(new Optimizer.Sgd(), c.optimizer());
        assertEquals(new Schedule.Constant(), c.schedule());
        assertEquals("20 epochs, batch 128, alpha 0.5, sgd, seed 1", c.describe());
    }

    @Test
    void theDescriptionNamesTheRuleAndTheOptionsThatAreOn() {
        TrainingConfig c = TrainingConfig.builder().epochs(5).optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9))
                .schedule(new Schedule.Cosine()).dropout(0.2).weightDecay(1e-4).validationFraction(0.1).patience(2)
                .build();
        assertEquals("5 epochs, batch 128, alpha 0.5, momentum ema 0.9, weight decay 1.0E-4, dropout 0.2, cosine "
                + "schedule down to 0.0, validation 0.1, patience 2, seed 1", c.describe());
        assertEquals(0.5, c.rateAt(0));
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 2 / 5)) / 2, c.rateAt(2), 1e-15);
    }

    /** The text of a first-format model file: every key, whichever rule and schedule were chosen. */
    private static Map<String, String> firstFormat(String optimizer, String schedule) {
        Map<String, String> m = new LinkedHashMap<>();
        String[] kv = {"epochs", "6", "batchSize", "10", "learningRate", "0.2", "optimizer", optimizer,
                "momentumStyle", "CLASSICAL", "momentum", "0.8", "adamBeta1", "0.85", "adamBeta2", "0.99",
                "adamEpsilon", "1.0E-7", "weightDecay", "1.0E-4", "dropout", "0.1", "schedule", schedule,
                "stepEvery", "3", "stepGamma", "0.5", "minLearningRate", "0.01", "seed", "5",
                "validationFraction", "0.0", "patience", "0"};
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void theFirstFormatsKeysMapToTheTypedRuleAndSchedule() {
        TrainingConfig.Builder expected = TrainingConfig.builder().epochs(6).batchSize(10).learningRate(0.2)
                .weightDecay(1e-4).dropout(0.1).seed(5);
        assertEquals(expected.optimizer(new Optimizer.Sgd()).schedule(new Schedule.Constant()).build(),
                TrainingConfig.fromMap(firstFormat("SGD", "CONSTANT")));
        assertEquals(expected.optimizer(new Optimizer.Momentum(MomentumStyle.CLASSICAL, 0.8))
                .schedule(new Schedule.Step(3, 0.5)).build(), TrainingConfig.fromMap(firstFormat("MOMENTUM", "STEP")));
        assertEquals(expected.optimizer(new Optimizer.Adam(0.85, 0.99, 1e-7)).schedule(new Schedule.Cosine(0.01))
                .build(), TrainingConfig.fromMap(firstFormat("ADAM", "COSINE")));
        // an unused key of another rule no longer matters, even when its value is out of range
        Map<String, String> m = firstFormat("SGD", "CONSTANT");
        m.put("momentum", "1.5");
        assertEquals(new Optimizer.Sgd(), TrainingConfig.fromMap(m).optimizer());
        m.put("optimizer", "MOMENTUM");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.fromMap(m));
        assertEquals("bad training configuration value: momentum coefficient must be in [0, 1), got 1.5",
                e.getMessage());
        m.put("epochs", "x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingConfig.fromMap(m)).getMessage()
                .startsWith("bad training configuration value: "));
    }

    @Test
    void theKeyValueFormRoundTrips() {
        TrainingConfig c = TrainingConfig.builder().epochs(7).batchSize(3).learningRate(0.02)
                .optimizer(new Optimizer.Momentum(MomentumStyle.NESTEROV, 0.95)).schedule(new Schedule.Step(2, 0.3))
                .weightDecay(1e-3).dropout(0.25).seed(-9).validationFraction(0.2).patience(3).build();
        assertEquals(c, TrainingConfig.fromMap(c.toMap()));
        assertEquals("{epochs=7, batchSize=3, learningRate=0.02, optimizer=MOMENTUM, momentumStyle=NESTEROV, "
                + "momentum=0.95, weightDecay=0.001, dropout=0.25, schedule=STEP, stepEvery=2, stepGamma=0.3, seed=-9, "
                + "validationFraction=0.2, patience=3}", c.toMap().toString());
    }
}
