package org.scratchnet.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.scratchnet.core.EpochStats;

/**
 * The original's "momentum comparison": the same network trained with and without momentum from the same seeds, test
 * accuracy and training loss per epoch, the mean over the seeds as a line and the range of the seeds as a band.
 *
 * <ul>
 *   <li>{@value #FULL_BATCH}: rows 4 and 5, full-batch gradient descent (one step per epoch), as in the original's
 *       figure;</li>
 *   <li>{@value #BATCH_128}: rows 2 and 3, the same network with mini-batches of 128.</li>
 * </ul>
 * A figure is drawn when both of its rows have completed runs; diverged and failed runs are left out.
 */
final class MomentumFigures {

    /** The full-batch pair's figure. */
    static final String FULL_BATCH = "momentum-comparison.png";
    /** The batch-128 pair's figure. */
    static final String BATCH_128 = "momentum-comparison-batch128.png";

    private MomentumFigures() {
    }

    /**
     * The figures a plan of these experiments may draw: those whose two rows are both in it (before any run, so that
     * their files can be checked first; {@link #write} leaves out one whose rows have no completed runs).
     */
    static List<String> planned(List<Experiment> experiments) {
        List<String> names = new ArrayList<>();
        if (has(experiments, "4") && has(experiments, "5")) {
            names.add(FULL_BATCH);
        }
        if (has(experiments, "2") && has(experiments, "3")) {
            names.add(BATCH_128);
        }
        return names;
    }

    private static boolean has(List<Experiment> experiments, String id) {
        return experiments.stream().anyMatch(e -> e.id().equals(id));
    }

    /** Draws the figures whose rows ran into {@code dir}; returns the file names written. */
    static List<String> write(List<Run> runs, int classes, Path dir) throws IOException {
        List<String> written = new ArrayList<>();
        if (draw(runs, classes, "4", "5", "full batch", dir.resolve(FULL_BATCH))) {
            written.add(FULL_BATCH);
        }
        if (draw(runs, classes, "2", "3", "batch 128", dir.resolve(BATCH_128))) {
            written.add(BATCH_128);
        }
        return written;
    }

    private static boolean draw(List<Run> runs, int classes, String withId, String withoutId, String batchWords,
                                Path png)
            throws IOException {
        List<Run> with = completed(runs, withId);
        List<Run> without = completed(runs, withoutId);
        if (with.isEmpty() || without.isEmpty()) {
            return false;
        }
        List<Charts.Band> accuracy = new ArrayList<>();
        List<Charts.Band> loss = new ArrayList<>();
        for (List<Run> rs : List.of(with, without)) {
            Experiment e = rs.get(0).experiment();
            String label = String.format(Locale.ROOT, "row %s: %s; mean and range of %d %s", e.id(),
                    e.momentum() > 0 ? "momentum (ema " + Experiment.trim(e.momentum()) + ")" : "no momentum",
                    rs.size(), rs.size() == 1 ? "seed" : "seeds");
            accuracy.add(Charts.Band.of(label, rs.stream().map(r -> r.history().stream()
                    .mapToDouble(s -> 100 * s.testAccuracy()).toArray()).collect(Collectors.toList())));
            loss.add(Charts.Band.of(label, rs.stream().map(r -> r.history().stream()
                    .mapToDouble(EpochStats::trainLoss).toArray()).collect(Collectors.toList())));
        }
        Experiment e = with.get(0).experiment();
        String title = String.format(Locale.ROOT, "784-%s, %s, alpha %s", e.layers(classes).replace('/', '-'),
                batchWords, Experiment.trim(e.lr()));
        Charts.accuracyAndLossBands(title, accuracy, loss, png);
        return true;
    }

    /** The completed runs of the experiment with this id that ran every epoch. */
    private static List<Run> completed(List<Run> runs, String id) {
        return runs.stream().filter(r -> r.experiment().id().equals(id) && r.completed()
                && r.history().size() == r.experiment().epochs() && !r.history().isEmpty()).toList();
    }
}
