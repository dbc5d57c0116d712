package org.scratchnet.core;

import static org.scratchnet.core.InvalidSettingException.require;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.scratchnet.core.InvalidSettingException.Setting;
import org.scratchnet.kernels.Kernels;

/**
 * The update rule applied after each mini-batch, with g the batch-averaged gradient (plus λ·W when L2 weight decay λ
 * is on), α the learning rate of the epoch and t the step count from 1. One record per rule, each checking its
 * parameters in its constructor ({@link InvalidSettingException}):
 * <ul>
 *   <li>{@link Sgd}, plain stochastic gradient descent: W −= α·g</li>
 *   <li>{@link Momentum}: a velocity V in one of the {@link MomentumStyle}s, with coefficient β (EMA) or μ</li>
 *   <li>{@link Adam}: m = β₁·m + (1−β₁)·g; v = β₂·v + (1−β₂)·g²; W −= α·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε) (Kingma and
 *       Ba's form with ε added to √v, bias correction folded into the step size)</li>
 * </ul>
 * Everything that differs between the rules is an abstract method here, so a new rule does not compile until it says
 * how it updates, what state it keeps and how it is described and stored
 * (docs/decisions/0027-optimisers-and-schedules-as-types.md).
 *
 * <p>A step is {@link #stepSize} once, then {@link #update} over any partition of the parameters into ranges, in any
 * order and on any threads: each element's update depends on that element alone.
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Momentum, Optimizer.Adam {

    /** The names of the rules, as {@link #name()} gives them and {@link #named} takes them. */
    List<String> NAMES = List.of("sgd", "momentum", "adam");

    /** The rule's name: {@code sgd}, {@code momentum} or {@code adam}. */
    String name();

    /**
     * How many arrays of one float per parameter the rule keeps between steps: 0 (SGD), 1 (momentum's velocity V) or
     * 2 (Adam's moments m and v).
     */
    int stateArrays();

    /**
     * The step size of step {@code t} (from 1) at learning rate {@code alpha}, as the float the update uses: α for SGD
     * and momentum; α·√(1−β₂ᵗ)/(1−β₁ᵗ) for Adam, computed in double from the float-rounded betas the update uses.
     */
    float stepSize(double alpha, long t);

    /**
     * One step's update of parameters {@code w[off, off + n)} from gradients {@code g[gOff, gOff + n)} with step size
     * {@code step} ({@link #stepSize}); the state arrays {@code first} and {@code second} (the first
     * {@link #stateArrays} of them; the others may be empty) are indexed like {@code w} and change with it.
     */
    void update(int n, float step, float[] g, int gOff, float[] w, float[] first, float[] second, int off);

    /** One line: {@code sgd}, e.g. {@code momentum ema 0.9}, e.g. {@code adam 0.9/0.999}. */
    String describe();

    /**
     * The rule as the key/value strings of {@link TrainingConfig#toMap}: {@code optimizer} (SGD, MOMENTUM or ADAM) and
     * its parameters ({@code momentumStyle} and {@code momentum}; {@code adamBeta1}, {@code adamBeta2} and
     * {@code adamEpsilon}); {@link #fromMap} reads them back.
     */
    Map<String, String> toMap();

    /**
     * The rule called {@code name} (any case) with its default parameters: plain SGD, EMA momentum β 0.9, Adam β₁ 0.9,
     * β₂ 0.999, ε 1e-8.
     *
     * @throws IllegalArgumentException naming {@link #NAMES} if there is no such rule
     */
    static Optimizer named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new Sgd();
            case "momentum" -> new Momentum(MomentumStyle.EMA, 0.9);
            case "adam" -> new Adam();
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "', expected one of " + NAMES);
        };
    }

    /**
     * Reads the form written by {@link #toMap}. Absent keys take the values the first model files had as defaults
     * (SGD; EMA; momentum 0.9; Adam 0.9, 0.999, 1e-8); the keys of the other rules, which files of the first format
     * carry for every rule, are ignored.
     *
     * @throws IllegalArgumentException if a value does not parse or is out of range
     */
    static Optimizer fromMap(Map<String, String> m) {
        String name = m.getOrDefault("optimizer", "SGD");
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new Sgd();
            case "momentum" -> new Momentum(MomentumStyle.valueOf(m.getOrDefault("momentumStyle", "EMA")),
                    TrainingConfig.number(m, "momentum", 0.9));
            case "adam" -> new Adam(TrainingConfig.number(m, "adamBeta1", 0.9),
                    TrainingConfig.number(m, "adamBeta2", 0.999), TrainingConfig.number(m, "adamEpsilon", 1e-8));
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "', expected SGD, MOMENTUM "
                    + "or ADAM");
        };
    }

    /** Plain stochastic gradient descent: W −= α·g; no state. */
    record Sgd() implements Optimizer {

        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public int stateArrays() {
            return 0;
        }

        @Override
        public float stepSize(double alpha, long t) {
            return (float) alpha;
        }

        @Override
        public void update(int n, float step, float[] g, int gOff, float[] w, float[] first, float[] second, int off) {
            Kernels.sgd(n, step, g, gOff, w, off);
        }

        @Override
        public String describe() {
            return "sgd";
        }

        @Override
        public Map<String, String> toMap() {
            return Map.of("optimizer", "SGD");
        }
    }

    /**
     * SGD with momentum: one velocity per parameter, updated in {@code style}'s form.
     *
     * @param style       the form of the update
     * @param coefficient β of {@link MomentumStyle#EMA}, μ of {@link MomentumStyle#CLASSICAL} and
     *                    {@link MomentumStyle#NESTEROV}; in [0, 1)
     */
    record Momentum(MomentumStyle style, double coefficient) implements Optimizer {

        /** @throws InvalidSettingException if the coefficient is not in [0, 1) */
        public Momentum {
            Objects.requireNonNull(style, "momentum style");
            require(coefficient >= 0 && coefficient < 1, Setting.MOMENTUM_COEFFICIENT, "in [0, 1)", coefficient);
        }

        @Override
        public String name() {
            return "momentum";
        }

        @Override
        public int stateArrays() {
            return 1;
        }

        @Override
        public float stepSize(double alpha, long t) {
            return (float) alpha;
        }

        @Override
        public void update(int n, float step, float[] g, int gOff, float[] w, float[] first, float[] second, int off) {
            style.update(n, step, (float) coefficient, g, gOff, first, w, off);
        }

        @Override
        public String describe() {
            return "momentum " + style.name().toLowerCase(Locale.ROOT) + " " + coefficient;
        }

        @Override
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("optimizer", "MOMENTUM");
            m.put("momentumStyle", style.name());
            m.put("momentum", Double.toString(coefficient));
            return m;
        }
    }

    /**
     * Adam: first and second moment estimates per parameter.
     *
     * @param beta1   decay of the first moment m; in [0, 1)
     * @param beta2   decay of the second moment v; in [0, 1)
     * @param epsilon added to √v; &gt; 0 and finite
     */
    record Adam(double beta1, double beta2, double epsilon) implements Optimizer {

        /** @throws InvalidSettingException naming the first parameter out of range */
        public Adam {
            require(beta1 >= 0 && beta1 < 1, Setting.ADAM_BETA1, "in [0, 1)", beta1);
            require(beta2 >= 0 && beta2 < 1, Setting.ADAM_BETA2, "in [0, 1)", beta2);
            require(epsilon > 0 && Double.isFinite(epsilon), Setting.ADAM_EPSILON, "> 0 and finite", epsilon);
        }

        /** Kingma and Ba's defaults: β₁ 0.9, β₂ 0.999, ε 1e-8. */
        public Adam() {
            this(0.9, 0.999, 1e-8);
        }

        @Override
        public String name() {
            return "adam";
        }

        @Override
        public int stateArrays() {
            return 2;
        }

        @Override
        public float stepSize(double alpha, long t) {
            double b1 = (float) beta1;
            double b2 = (float) beta2;
            return (float) (alpha * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
        }

        @Override
        public void update(int n, float step, float[] g, int gOff, float[] w, float[] first, float[] second, int off) {
            Kernels.adam(n, step, (float) beta1, (float) beta2, (float) epsilon, g, gOff, first, off, second, off, w,
                    off);
        }

        @Override
        public String describe() {
            return "adam " + beta1 + "/" + beta2;
        }

        @Override
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("optimizer", "ADAM");
            m.put("adamBeta1", Double.toString(beta1));
            m.put("adamBeta2", Double.toString(beta2));
            m.put("adamEpsilon", Double.toString(epsilon));
            return m;
        }
    }
}
