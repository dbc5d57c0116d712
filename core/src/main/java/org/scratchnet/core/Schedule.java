package org.scratchnet.core;

import static org.scratchnet.core.InvalidSettingException.require;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scratchnet.core.InvalidSettingException.Setting;

/**
 * Learning-rate schedules, evaluated once per epoch (e is the 0-based epoch, E the number of epochs, α₀ the configured
 * learning rate); the rate is constant within an epoch. One record per schedule, each checking its parameters in its
 * constructor ({@link InvalidSettingException}):
 * <ul>
 *   <li>{@link Constant}: α = α₀</li>
 *   <li>{@link Step}: α = α₀ · γ^⌊e / every⌋</li>
 *   <li>{@link Cosine}, cosine annealing: α = α_min + (α₀ − α_min)·(1 + cos(π·e/E))/2</li>
 * </ul>
 * Everything that differs between the schedules is an abstract method here, so a new schedule does not compile until
 * it says its rate and how it is described and stored (docs/decisions/0027-optimisers-and-schedules-as-types.md).
 */
public sealed interface Schedule permits Schedule.Constant, Schedule.Step, Schedule.Cosine {

    /** The names of the schedules, as {@link #name()} gives them and {@link #named} takes them. */
    List<String> NAMES = List.of("constant", "step", "cosine");

    /** The schedule's name: {@code constant}, {@code step} or {@code cosine}. */
    String name();

    /** The learning rate of 0-based epoch {@code epoch} of {@code epochs}, starting from {@code initialRate}. */
    double rate(double initialRate, int epoch, int epochs);

    /** One line: {@code constant rate}, e.g. {@code step schedule x0.1 every 10 epochs}. */
    String describe();

    /**
     * The schedule as the key/value strings of {@link TrainingConfig#toMap}: {@code schedule} (CONSTANT, STEP or
     * COSINE) and its parameters ({@code stepEvery} and {@code stepGamma}; {@code minLearningRate}); {@link #fromMap}
     * reads them back.
     */
    Map<String, String> toMap();

    /**
     * The schedule called {@code name} (any case) with its default parameters: constant; step x0.1 every 10 epochs;
     * cosine down to 0.
     *
     * @throws IllegalArgumentException naming {@link #NAMES} if there is no such schedule
     */
    static Schedule named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "constant" -> new Constant();
            case "step" -> new Step();
            case "cosine" -> new Cosine();
            default -> throw new IllegalArgumentException("unknown schedule '" + name + "', expected one of " + NAMES);
        };
    }

    /**
     * Reads the form written by {@link #toMap}. Absent keys take the values the first model files had as defaults
     * (constant; every 10 epochs, x0.1; down to 0); the keys of the other schedules, which files of the first format
     * carry for every schedule, are ignored.
     *
     * @throws IllegalArgumentException if a value does not parse or is out of range
     */
    static Schedule fromMap(Map<String, String> m) {
        String name = m.getOrDefault("schedule", "CONSTANT");
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "constant" -> new Constant();
            case "step" -> new Step(TrainingConfig.integer(m, "stepEvery", 10),
                    TrainingConfig.number(m, "stepGamma", 0.1));
            case "cosine" -> new Cosine(TrainingConfig.number(m, "minLearningRate", 0));
            default -> throw new IllegalArgumentException("unknown schedule '" + name + "', expected CONSTANT, STEP or "
                    + "COSINE");
        };
    }

    /** The same rate every epoch: α = α₀. */
    record Constant() implements Schedule {

        @Override
        public String name() {
            return "constant";
        }

        @Override
        public double rate(double initialRate, int epoch, int epochs) {
            return initialRate;
        }

        @Override
        public String describe() {
            return "constant rate";
        }

        @Override
        public Map<String, String> toMap() {
            return Map.of("schedule", "CONSTANT");
        }
    }

    /**
     * The rate multiplied by {@code gamma} every {@code every} epochs: α = α₀ · γ^⌊e / every⌋.
     *
     * @param every epochs between two steps; &gt;= 1
     * @param gamma the factor of each step; in (0, 1]
     */
    record Step(int every, double gamma) implements Schedule {

        /** @throws InvalidSettingException naming the first parameter out of range */
        public Step {
            require(every >= 1, Setting.STEP_EVERY, ">= 1 epoch", every);
            require(gamma > 0 && gamma <= 1, Setting.STEP_GAMMA, "in (0, 1]", gamma);
        }

        /** x0.1 every 10 epochs. */
        public Step() {
            this(10, 0.1);
        }

        @Override
        public String name() {
            return "step";
        }

        @Override
        public double rate(double initialRate, int epoch, int epochs) {
            return initialRate * Math.pow(gamma, epoch / every);
        }

        @Override
        public String describe() {
            return "step schedule x" + gamma + " every " + every + " epochs";
        }

        @Override
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("schedule", "STEP");
            m.put("stepEvery", Integer.toString(every));
            m.put("stepGamma", Double.toString(gamma));
            return m;
        }
    }

    /**
     * Cosine annealing from the configured rate down to {@code minRate}: α = α_min + (α₀ − α_min)·(1 + cos(π·e/E))/2.
     *
     * @param minRate α_min, the rate the curve ends at; &gt;= 0 and finite, and at most the configured rate
     *                (checked by {@link TrainingConfig})
     */
    record Cosine(double minRate) implements Schedule {

        /** @throws InvalidSettingException if the minimum rate is negative or not finite */
        public Cosine {
            require(minRate >= 0 && Double.isFinite(minRate), Setting.COSINE_MIN_RATE, ">= 0 and finite", minRate);
        }

        /** Down to 0. */
        public Cosine() {
            this(0);
        }

        @Override
        public String name() {
            return "cosine";
        }

        @Override
        public double rate(double initialRate, int epoch, int epochs) {
            return minRate + (initialRate - minRate) * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
        }

        @Override
        public String describe() {
            return "cosine schedule down to " + minRate;
        }

        @Override
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("schedule", "COSINE");
            m.put("minLearningRate", Double.toString(minRate));
            return m;
        }
    }
}
