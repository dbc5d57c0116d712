package org.scratchnet.cli;

import java.util.List;
import org.scratchnet.core.EpochStats;

/**
 * One training run of an experiment with one seed, and how it ended: completed, diverged (the loss became NaN or
 * infinite, or sat at the log's clamp), or failed (an error such as running out of memory stopped it). Each run is
 * fully determined by its seed (initial weights and shuffles), whichever thread or machine ran it.
 *
 * @param experiment what was trained
 * @param seed       its seed
 * @param history    every completed epoch's statistics (test accuracy included)
 * @param diverged   whether the loss became NaN or infinite or sat at the log's clamp (history then holds the epochs
 *                   before)
 * @param divergedAt where it diverged, e.g. {@code epoch 3, batch 17}; null if it did not
 * @param failure    what stopped it, in one line, e.g. {@code out of memory: this JVM's heap may grow to 2.0 GiB; ...};
 *                   null if nothing did
 */
record Run(Experiment experiment, long seed, List<EpochStats> history, boolean diverged, String divergedAt,
           String failure) {

    Run {
        history = List.copyOf(history);
    }

    /** A run that completed. */
    Run(Experiment experiment, long seed, List<EpochStats> history) {
        this(experiment, seed, history, false, null, null);
    }

    /** A run that completed or diverged. */
    Run(Experiment experiment, long seed, List<EpochStats> history, boolean diverged, String divergedAt) {
        this(experiment, seed, history, diverged, divergedAt, null);
    }

    /** Whether it ran all its epochs. */
    boolean completed() {
        return !diverged && failure == null;
    }

    /** Final test accuracy as a fraction, NaN if the run did not complete or has no epoch. */
    double testAccuracy() {
        return !completed() || history.isEmpty() ? Double.NaN : history.get(history.size() - 1).testAccuracy();
    }

    /** Final test accuracy in percent, NaN if the run did not complete or has no epoch. */
    double testAccuracyPercent() {
        return 100 * testAccuracy();
    }

    /** Training seconds of all its epochs (evaluation excluded). */
    double seconds() {
        return history.stream().mapToDouble(EpochStats::seconds).sum();
    }

    /** e.g. {@code row 1 (plain SGD) seed 3}, with the results' word for an experiment. */
    String label(String idLabel) {
        return idLabel + " " + experiment.id() + " seed " + seed;
    }
}
