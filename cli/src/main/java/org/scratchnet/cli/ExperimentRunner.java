package org.scratchnet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scratchnet.core.BatchSource;
import org.scratchnet.core.DivergenceException;
import org.scratchnet.core.EpochStats;
import org.scratchnet.core.Network;
import org.scratchnet.core.Trainer;
import org.scratchnet.core.TrainingConfig;
import org.scratchnet.core.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs experiments one after the other in this JVM, each once per seed, on the same training and test sources, and
 * keeps every epoch's statistics. Each run is fully determined by its seed (initial weights and shuffles).
 */
final class ExperimentRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    /**
     * One training run.
     *
     * @param experiment what was trained
     * @param seed       its seed
     * @param history    every epoch's statistics (test accuracy included)
     * @param diverged   whether the loss became NaN or infinite (history then holds the epochs before)
     * @param divergedAt where it diverged, e.g. {@code epoch 3, batch 17 of 469}; null if it did not
     */
    record Run(Experiment experiment, long seed, List<EpochStats> history, boolean diverged, String divergedAt) {

        Run(Experiment experiment, long seed, List<EpochStats> history) {
            this(experiment, seed, history, false, null);
        }

        /** Final test accuracy in percent, NaN if the run diverged or has no epoch. */
        double testAccuracyPercent() {
            return diverged || history.isEmpty() ? Double.NaN : 100 * history.get(history.size() - 1).testAccuracy();
        }

        /** Training seconds of all epochs (evaluation excluded). */
        double seconds() {
            return history.stream().mapToDouble(EpochStats::seconds).sum();
        }
    }

    private ExperimentRunner() {
    }

    /** Runs every experiment for every seed, in that order (experiment-major). */
    static List<Run> runAll(List<Experiment> experiments, List<Long> seeds, BatchSource train, BatchSource test) {
        List<Run> runs = new ArrayList<>();
        int total = experiments.size() * seeds.size();
        int done = 0;
        for (Experiment e : experiments) {
            for (long seed : seeds) {
                done++;
                String prefix = String.format(Locale.ROOT, "[%d/%d] row %s seed %d: ", done, total, e.id(), seed);
                Run run = run(e, seed, train, test, prefix);
                runs.add(run);
                if (run.diverged()) {
                    LOG.warn("{}diverged in {} (the loss became NaN or infinite)", prefix, run.divergedAt());
                } else {
                    LOG.info(String.format(Locale.ROOT, "%stest accuracy %.2f %%, %.1f s", prefix,
                            run.testAccuracyPercent(), run.seconds()));
                }
            }
        }
        return runs;
    }

    static Run run(Experiment e, long seed, BatchSource train, BatchSource test, String prefix) {
        TrainingConfig cfg = e.training(seed);
        Trainer trainer = new Trainer(Network.create(e.network(train.features(), train.classes()), seed), cfg);
        TrainingProgress progress = new TrainingProgress(null, prefix, false);
        try {
            TrainingResult result = trainer.train(train, test, progress);
            return new Run(e, seed, List.copyOf(result.history()));
        } catch (DivergenceException d) {
            return new Run(e, seed, List.copyOf(d.history()), true, "epoch " + d.epoch() + ", batch " + d.batch());
        } finally {
            progress.close();
        }
    }
}
