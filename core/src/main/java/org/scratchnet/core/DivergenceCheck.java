package org.scratchnet.core;

import java.util.Locale;
import org.scratchnet.kernels.Kernels;

/**
 * Divergence that the loss's clamp hides. The cross-entropy clamps each probability at {@link Kernels#LOG_CLAMP}
 * before the log, so a network whose logits have blown up does not give a NaN loss: each example costs either 0 (its
 * saturated softmax happens to pick the right class) or the clamp's {@code −ln 1e−7 ≈ 16.12}, and the mean sits near
 * {@code (1 − accuracy) · 16.12}, at chance accuracy. Such an epoch ends with finite weights, so the trainer's NaN
 * checks never fire.
 * <pre>
 *   guessing = ln K                       the loss of predicting all K classes equally likely
 *   clamp    = −ln(LOG_CLAMP) ≈ 16.12     the loss of an example whose probability was clamped
 *   diverged ⇔ mean training loss of an epoch ≥ (guessing + clamp) / 2
 * </pre>
 * The threshold is nearer the clamp than what guessing gives: an epoch that averages there has most of its examples
 * at the clamp. For K = 10 it is 9.21. Measured on MNIST (784-100-50-10, batch 128, ema momentum 0.9, seed 1,
 * {@code scratchnet train --lr A}): α = 200 and 1000 give 12.19 and 14.23 in the first epoch at 10 % accuracy, and
 * stay there; every rate that trains (α ≤ 3) starts near guessing, about 2.4, and falls.
 *
 * <p>Not detected: networks whose ReLUs all died (α from 5 to 100 above) sit at guessing, loss about 2.31 and 10 %
 * accuracy, with finite weights. One epoch's statistics cannot tell them from a slow start: full-batch training
 * (batch 60000, ema 0.9) has 2.32 in its second epoch and reaches 83 % by epoch 20, α = 1e−4 has 2.31; so "a loss above
 * ln K after the first epoch" would stop runs that learn.
 */
public final class DivergenceCheck {

    /** The loss of one example whose predicted probability was clamped: {@code −ln(LOG_CLAMP)}. */
    public static final double CLAMP_LOSS = -Math.log(Kernels.LOG_CLAMP);

    private DivergenceCheck() {
    }

    /** The mean loss of predicting all {@code classes} classes equally likely: {@code ln K}. */
    public static double guessingLoss(int classes) {
        return Math.log(classes);
    }

    /**
     * The mean epoch loss from which the run counts as diverged: midway between guessing and the clamp
     * (docs/decisions/0022-divergence-at-the-clamp.md).
     */
    public static double threshold(int classes) {
        return (guessingLoss(classes) + CLAMP_LOSS) / 2;
    }

    /**
     * Why an epoch with this mean training loss diverged, or null if it did not.
     *
     * @param meanLoss mean cross-entropy of the epoch's training examples
     * @param classes  number of classes, at least 2
     * @return one phrase for a message, e.g. {@code "the mean loss 14.23 sits at the clamp (…)"}, or null
     */
    public static String check(double meanLoss, int classes) {
        if (Double.isNaN(meanLoss) || Double.isInfinite(meanLoss)) {
            return "the mean loss became " + meanLoss;
        }
        if (classes < 2 || guessingLoss(classes) >= CLAMP_LOSS) {
            return null; // one class has no loss to speak of; 10 million classes guess worse than the clamp
        }
        if (meanLoss >= threshold(classes)) {
            return String.format(Locale.ROOT, "the mean loss %.2f sits at the clamp (%.2f per clamped example; "
                    + "guessing gives %.2f)", meanLoss, CLAMP_LOSS, guessingLoss(classes));
        }
        return null;
    }

    /** {@link #check(double, int)} for a finished epoch's statistics. */
    public static String check(EpochStats epoch, int classes) {
        return check(epoch.trainLoss(), classes);
    }
}
