package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scratchnet.core.InvalidSettingException.Setting;

/** Each schedule's rate, checks, names and stored keys. */
class ScheduleTest {

    private static final List<Schedule> SAMPLES = List.of(new Schedule.Constant(), new Schedule.Step(),
            new Schedule.Step(3, 0.5), new Schedule.Cosine(), new Schedule.Cosine(0.01));

    private static void assertRefused(Runnable make, Setting setting, String expected, String found) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, make::run);
        assertEquals(setting, e.setting());
        assertEquals(expected, e.expected());
        assertEquals(found, e.found());
    }

    @Test
    void rates() {
        for (int e = 0; e < 5; e++) {
            assertEquals(0.4, new Schedule.Constant().rate(0.4, e, 5));
        }
        double[] step = new double[5];
        for (int e = 0; e < 5; e++) {
            step[e] = new Schedule.Step(2, 0.5).rate(0.4, e, 5);
        }
        assertEquals(List.of(0.4, 0.4, 0.2, 0.2, 0.1), List.of(step[0], step[1], step[2], step[3], step[4]));
        // α_min + (α₀ − α_min)·(1 + cos(π·e/E))/2: α₀ at the start, the midpoint halfway
        Schedule.Cosine cosine = new Schedule.Cosine(0.1);
        assertEquals(0.5, cosine.rate(0.5, 0, 10), 1e-15);
        assertEquals(0.3, cosine.rate(0.5, 5, 10), 1e-15);
        assertEquals(0.1 + 0.4 * (1 + Math.cos(Math.PI * 0.9)) / 2, cosine.rate(0.5, 9, 10), 1e-15);
    }

    @Test
    void eachScheduleChecksItsParameters() {
        assertRefused(() -> new Schedule.Step(0, 0.1), Setting.STEP_EVERY, ">= 1 epoch", "0");
        assertRefused(() -> new Schedule.Step(10, 0), Setting.STEP_GAMMA, "in (0, 1]", "0.0");
        assertRefused(() -> new Schedule.Step(10, 1.5), Setting.STEP_GAMMA, "in (0, 1]", "1.5");
        assertEquals(1.0, new Schedule.Step(10, 1).gamma());
        assertRefused(() -> new Schedule.Cosine(-0.1), Setting.COSINE_MIN_RATE, ">= 0 and finite", "-0.1");
        assertRefused(() -> new Schedule.Cosine(Double.NaN), Setting.COSINE_MIN_RATE, ">= 0 and finite", "NaN");
        // the floor above the starting rate is refused where both are known
        assertRefused(() -> TrainingConfig.builder().learningRate(0.5).schedule(new Schedule.Cosine(0.6)).build(),
                Setting.COSINE_MIN_RATE, "at most the learning rate 0.5", "0.6");
        assertEquals(0.5, ((Schedule.Cosine) TrainingConfig.builder().learningRate(0.5)
                .schedule(new Schedule.Cosine(0.5)).build().schedule()).minRate());
    }

    @Test
    void eachScheduleHasANameThatGivesItWithItsDefaults() {
        assertEquals(List.of("constant", "step", "cosine"), Schedule.NAMES);
        for (String name : Schedule.NAMES) {
            assertEquals(name, Schedule.named(name).name());
            assertEquals(Schedule.named(name), Schedule.named(name.toUpperCase(Locale.ROOT)));
        }
        assertEquals(new Schedule.Constant(), Schedule.named("constant"));
        assertEquals(new Schedule.Step(10, 0.1), Schedule.named("step"));
        assertEquals(new Schedule.Cosine(0), Schedule.named("cosine"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.named("linear"));
        assertEquals("unknown schedule 'linear', expected one of [constant, step, cosine]", e.getMessage());
        // a schedule added to the sealed interface must also get a name
        for (Class<?> schedule : Schedule.class.getPermittedSubclasses()) {
            assertTrue(Schedule.NAMES.stream().anyMatch(n -> schedule.isInstance(Schedule.named(n))),
                    schedule + " has no name");
        }
        assertEquals(Schedule.NAMES.size(), Schedule.class.getPermittedSubclasses().length);
    }

    @Test
    void descriptions() {
        assertEquals("constant rate", new Schedule.Constant().describe());
        assertEquals("step schedule x0.1 every 10 epochs", new Schedule.Step().describe());
        assertEquals("cosine schedule down to 0.01", new Schedule.Cosine(0.01).describe());
    }

    @Test
    void storedKeysAreTheFirstFormatsKeysOfTheChosenScheduleOnly() {
        assertEquals(Map.of("schedule", "CONSTANT"), new Schedule.Constant().toMap());
        assertEquals(List.of("schedule", "stepEvery", "stepGamma"), List.copyOf(new Schedule.Step().toMap().keySet()));
        assertEquals(List.of("schedule", "minLearningRate"), List.copyOf(new Schedule.Cosine().toMap().keySet()));
        for (Schedule s : SAMPLES) {
            assertEquals(s, Schedule.fromMap(s.toMap()));
        }
        // the first format wrote every schedule's keys; only the chosen schedule's count
        Map<String, String> first = Map.of("schedule", "CONSTANT", "stepEvery", "3", "stepGamma", "0.5",
                "minLearningRate", "0.01");
        assertEquals(new Schedule.Constant(), Schedule.fromMap(first));
        Map<String, String> step = new java.util.HashMap<>(first);
        step.put("schedule", "STEP");
        assertEquals(new Schedule.Step(3, 0.5), Schedule.fromMap(step));
        step.put("schedule", "COSINE");
        assertEquals(new Schedule.Cosine(0.01), Schedule.fromMap(step));
        // absent keys: the first format's defaults
        assertEquals(new Schedule.Constant(), Schedule.fromMap(Map.of()));
        assertEquals(new Schedule.Step(10, 0.1), Schedule.fromMap(Map.of("schedule", "STEP")));
        assertThrows(IllegalArgumentException.class, () -> Schedule.fromMap(Map.of("schedule", "LINEAR")));
        assertThrows(NumberFormatException.class, () -> Schedule.fromMap(Map.of("schedule", "STEP", "stepEvery", "x")));
    }
}
