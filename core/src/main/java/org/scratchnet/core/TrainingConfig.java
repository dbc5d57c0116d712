package org.scratchnet.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that determines a training run besides the network shape and the data. Build one with
 * {@link #builder()}; every option beyond epochs, batch size, learning rate and seed is off by default (plain SGD, no
 * weight decay, no dropout, constant rate, no validation split, no early stopping).
 *
 * <ul>
 *   <li>Optimiser: see {@link Optimizer} and {@link MomentumStyle} for the update formulas; {@code momentum} is β of
 *       {@link MomentumStyle#EMA} or μ of the other two styles.</li>
 *   <li>L2 weight decay λ: the gradient of each weight matrix becomes g + λ·W before the optimiser sees it (the loss
 *       gains λ/2·ΣW²; biases are not decayed; with Adam this is coupled L2, not AdamW).</li>
 *   <li>Dropout p on hidden layers (inverted): during training each hidden activation is kept with probability 1−p and
 *       scaled by 1/(1−p), so inference uses the weights unchanged. Never on the input or output.</li>
 *   <li>Schedule: see {@link Schedule}; {@code stepEvery} and {@code stepGamma} parameterise STEP,
 *       {@code minLearningRate} is the floor of COSINE.</li>
 *   <li>Validation: a fraction of the training set, chosen by the seed, is held out and never trained on; its accuracy
 *       is reported per epoch. Early stopping ({@code patience} &gt; 0, needs a validation split) stops after that
 *       many epochs without a better validation accuracy and restores the best weights.</li>
 *   <li>Batch size: from 1 up to the whole training set; a larger value is clamped to the training-set size. The last
 *       batch of an epoch holds the remaining examples when the size does not divide evenly; its gradient is averaged
 *       over its own rows.</li>
 * </ul>
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, Optimizer optimizer,
                             MomentumStyle momentumStyle, double momentum, double adamBeta1, double adamBeta2,
                             double adamEpsilon, double weightDecay, double dropout, Schedule schedule, int stepEvery,
                             double stepGamma, double minLearningRate, long seed, double validationFraction,
                             int patience) {

    /** @throws IllegalArgumentException naming the first value out of range */
    public TrainingConfig {
        require(epochs >= 1, "epochs must be >= 1, got " + epochs);
        require(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0 and finite, got " + learningRate);
        require(optimizer != null && momentumStyle != null && schedule != null, "optimizer, momentum style and schedule must not be null");
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(adamBeta1 >= 0 && adamBeta1 < 1, "Adam beta1 must be in [0, 1), got " + adamBeta1);
        require(adamBeta2 >= 0 && adamBeta2 < 1, "Adam beta2 must be in [0, 1), got " + adamBeta2);
        require(adamEpsilon > 0 && Double.isFinite(adamEpsilon), "Adam epsilon must be > 0, got " + adamEpsilon);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must be >= 0, got " + weightDecay);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        require(stepEvery >= 1, "step schedule interval must be >= 1 epoch, got " + stepEvery);
        require(stepGamma > 0 && stepGamma <= 1, "step schedule factor must be in (0, 1], got " + stepGamma);
        require(minLearningRate >= 0 && minLearningRate <= learningRate,
                "minimum learning rate must be in [0, learning rate " + learningRate + "], got " + minLearningRate);
        require(validationFraction >= 0 && validationFraction < 1,
                "validation fraction must be in [0, 1), got " + validationFraction);
        require(patience >= 0, "patience must be >= 0, got " + patience);
        require(patience == 0 || validationFraction > 0,
                "early stopping (patience " + patience + ") needs a validation split (validation fraction > 0)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder with the defaults: 20 epochs, batch 128, learning rate 0.5, plain SGD, seed 1, all options off. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.optimizer = optimizer;
        b.momentumStyle = momentumStyle;
        b.momentum = momentum;
        b.adamBeta1 = adamBeta1;
        b.adamBeta2 = adamBeta2;
        b.adamEpsilon = adamEpsilon;
        b.weightDecay = weightDecay;
        b.dropout = dropout;
        b.schedule = schedule;
        b.stepEvery = stepEvery;
        b.stepGamma = stepGamma;
        b.minLearningRate = minLearningRate;
        b.seed = seed;
        b.validationFraction = validationFraction;
        b.patience = patience;
        return b;
    }

    /** The scheduled learning rate of 0-based epoch {@code epoch} (see {@link Schedule}). */
    public double rateAt(int epoch) {
        return schedule.rate(this, epoch);
    }

    /** One human line: the optimiser and the options that are on. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(epochs).append(" epochs, batch ").append(batchSize).append(", alpha ").append(fmt(learningRate));
        switch (optimizer) {
            case SGD -> sb.append(", sgd");
            case MOMENTUM -> sb.append(", momentum ").append(momentumStyle.name().toLowerCase(Locale.ROOT))
                    .append(' ').append(fmt(momentum));
            case ADAM -> sb.append(", adam ").append(fmt(adamBeta1)).append('/').append(fmt(adamBeta2));
        }
        if (weightDecay > 0) {
            sb.append(", weight decay ").append(fmt(weightDecay));
        }
        if (dropout > 0) {
            sb.append(", dropout ").append(fmt(dropout));
        }
        if (schedule != Schedule.CONSTANT) {
            sb.append(", ").append(schedule.name().toLowerCase(Locale.ROOT)).append(" schedule");
        }
        if (validationFraction > 0) {
            sb.append(", validation ").append(fmt(validationFraction));
        }
        if (patience > 0) {
            sb.append(", patience ").append(patience);
        }
        return sb.append(", seed ").append(seed).toString();
    }

    private static String fmt(double v) {
        return Double.toString(v);
    }

    /** All fields as ordered key/value strings (the form stored in model files); {@link #fromMap} reads it back. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("epochs", Integer.toString(epochs));
        m.put("batchSize", Integer.toString(batchSize));
        m.put("learningRate", Double.toString(learningRate));
        m.put("optimizer", optimizer.name());
        m.put("momentumStyle", momentumStyle.name());
        m.put("momentum", Double.toString(momentum));
        m.put("adamBeta1", Double.toString(adamBeta1));
        m.put("adamBeta2", Double.toString(adamBeta2));
        m.put("adamEpsilon", Double.toString(adamEpsilon));
        m.put("weightDecay", Double.toString(weightDecay));
        m.put("dropout", Double.toString(dropout));
        m.put("schedule", schedule.name());
        m.put("stepEvery", Integer.toString(stepEvery));
        m.put("stepGamma", Double.toString(stepGamma));
        m.put("minLearningRate", Double.toString(minLearningRate));
        m.put("seed", Long.toString(seed));
        m.put("validationFraction", Double.toString(validationFraction));
        m.put("patience", Integer.toString(patience));
        return m;
    }

    /**
     * Reads the form written by {@link #toMap}; keys that are absent keep their defaults, unknown keys are ignored.
     *
     * @throws IllegalArgumentException if a value does not parse or is out of range
     */
    public static TrainingConfig fromMap(Map<String, String> m) {
        Builder b = builder();
        try {
            for (Map.Entry<String, String> e : m.entrySet()) {
                String v = e.getValue();
                switch (e.getKey()) {
                    case "epochs" -> b.epochs = Integer.parseInt(v);
                    case "batchSize" -> b.batchSize = Integer.parseInt(v);
                    case "learningRate" -> b.learningRate = Double.parseDouble(v);
                    case "optimizer" -> b.optimizer = Optimizer.valueOf(v);
                    case "momentumStyle" -> b.momentumStyle = MomentumStyle.valueOf(v);
                    case "momentum" -> b.momentum = Double.parseDouble(v);
                    case "adamBeta1" -> b.adamBeta1 = Double.parseDouble(v);
                    case "adamBeta2" -> b.adamBeta2 = Double.parseDouble(v);
                    case "adamEpsilon" -> b.adamEpsilon = Double.parseDouble(v);
                    case "weightDecay" -> b.weightDecay = Double.parseDouble(v);
                    case "dropout" -> b.dropout = Double.parseDouble(v);
                    case "schedule" -> b.schedule = Schedule.valueOf(v);
                    case "stepEvery" -> b.stepEvery = Integer.parseInt(v);
                    case "stepGamma" -> b.stepGamma = Double.parseDouble(v);
                    case "minLearningRate" -> b.minLearningRate = Double.parseDouble(v);
                    case "seed" -> b.seed = Long.parseLong(v);
                    case "validationFraction" -> b.validationFraction = Double.parseDouble(v);
                    case "patience" -> b.patience = Integer.parseInt(v);
                    default -> {
                        // unknown keys come from newer writers of the same format version; ignored
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad training configuration value: " + e.getMessage(), e);
        }
        return b.build();
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private int epochs = 20;
        private int batchSize = 128;
        private double learningRate = 0.5;
        private Optimizer optimizer = Optimizer.SGD;
        private MomentumStyle momentumStyle = MomentumStyle.EMA;
        private double momentum = 0.9;
        private double adamBeta1 = 0.9;
        private double adamBeta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private double weightDecay;
        private double dropout;
        private Schedule schedule = Schedule.CONSTANT;
        private int stepEvery = 10;
        private double stepGamma = 0.1;
        private double minLearningRate;
        private long seed = 1;
        private double validationFraction;
        private int patience;

        private Builder() {
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /** α, the learning rate (the starting rate under a schedule). */
        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder optimizer(Optimizer v) {
            optimizer = v;
            return this;
        }

        /** Turns momentum on in {@code style} with coefficient {@code coefficient} (β for EMA, μ otherwise). */
        public Builder momentum(MomentumStyle style, double coefficient) {
            optimizer = Optimizer.MOMENTUM;
            momentumStyle = style;
            momentum = coefficient;
            return this;
        }

        public Builder momentumStyle(MomentumStyle v) {
            momentumStyle = v;
            return this;
        }

        /** β of EMA momentum or μ of classical and Nesterov momentum (does not switch the optimiser). */
        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        /** Turns Adam on with these parameters. */
        public Builder adam(double beta1, double beta2, double epsilon) {
            optimizer = Optimizer.ADAM;
            adamBeta1 = beta1;
            adamBeta2 = beta2;
            adamEpsilon = epsilon;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder dropout(double v) {
            dropout = v;
            return this;
        }

        public Builder schedule(Schedule v) {
            schedule = v;
            return this;
        }

        /** Step schedule: multiply the rate by {@code gamma} every {@code every} epochs (also selects STEP). */
        public Builder stepSchedule(int every, double gamma) {
            schedule = Schedule.STEP;
            stepEvery = every;
            stepGamma = gamma;
            return this;
        }

        /** Cosine schedule down to {@code minRate} at the end (also selects COSINE). */
        public Builder cosineSchedule(double minRate) {
            schedule = Schedule.COSINE;
            minLearningRate = minRate;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder validationFraction(double v) {
            validationFraction = v;
            return this;
        }

        /** Early stopping after {@code v} epochs without improvement of validation accuracy; 0 turns it off. */
        public Builder patience(int v) {
            patience = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the first value out of range */
        public TrainingConfig build() {
            return new TrainingConfig(epochs, batchSize, learningRate, optimizer, momentumStyle, momentum, adamBeta1,
                    adamBeta2, adamEpsilon, weightDecay, dropout, schedule, stepEvery, stepGamma, minLearningRate, seed,
                    validationFraction, patience);
        }
    }
}
