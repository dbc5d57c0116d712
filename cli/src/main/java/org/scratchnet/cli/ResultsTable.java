package org.scratchnet.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.scratchnet.core.EpochStats;

/**
 * The results of a set of runs as a table, one line per experiment (a table row of {@code reproduce}, a grid point of
 * {@code sweep}): published accuracy (if any), ours as mean ± sample sd over the seeds with min and max, and training
 * seconds per run. Rendered as Markdown (for people) and CSV (one line per run, for spreadsheets), accuracies in
 * percent; {@link Results} writes the JSON.
 */
final class ResultsTable {

    private final List<Run> runs;
    private final Map<Experiment, List<Run>> byExperiment = new LinkedHashMap<>();
    private final int outputs;
    private final String idLabel;

    /**
     * @param runs    the runs, in table order
     * @param outputs the networks' output classes (for the layers column)
     * @param idLabel what one line is called: {@code row} or {@code point}
     */
    ResultsTable(List<Run> runs, int outputs, String idLabel) {
        this.runs = List.copyOf(runs);
        this.outputs = outputs;
        this.idLabel = idLabel;
        for (Run r : runs) {
            byExperiment.computeIfAbsent(r.experiment(), k -> new ArrayList<>()).add(r);
        }
    }

    /** The experiments that have runs, in table order. */
    Set<Experiment> experiments() {
        return byExperiment.keySet();
    }

    /** The runs of one experiment, in seed order. */
    List<Run> runs(Experiment e) {
        return byExperiment.getOrDefault(e, List.of());
    }

    /** Test accuracy in percent of one experiment over its seeds, diverged and failed runs excluded. */
    Stats accuracy(Experiment e) {
        return Stats.of(runs(e).stream().filter(Run::completed).mapToDouble(Run::testAccuracyPercent).toArray());
    }

    /** The same as {@link #accuracy} in fractions, for the JSON. */
    Stats accuracyFraction(Experiment e) {
        return Stats.of(runs(e).stream().filter(Run::completed).mapToDouble(Run::testAccuracy).toArray());
    }

    /** Mean training seconds per completed run of one experiment (the others stopped early and do not count). */
    double secondsPerRun(Experiment e) {
        return runs(e).stream().filter(Run::completed).mapToDouble(Run::seconds).average().orElse(Double.NaN);
    }

    /** Notes for under the table naming the runs that diverged or failed, or "" if every run completed. */
    String divergedNote() {
        StringBuilder sb = new StringBuilder();
        List<String> diverged = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Run r : runs) {
            if (r.diverged()) {
                diverged.add(idLabel + " " + r.experiment().id() + ", seed " + r.seed() + ": " + r.divergedAt());
            } else if (r.failure() != null) {
                failed.add(idLabel + " " + r.experiment().id() + ", seed " + r.seed() + ": " + r.failure());
            }
        }
        if (!diverged.isEmpty()) {
            sb.append("\ndiverged (the loss became NaN or infinite, or sat at the log's clamp; left out of mean, sd, "
                    + "min, max and s/run): ").append(String.join("; ", diverged)).append(".\n");
        }
        if (!failed.isEmpty()) {
            sb.append("\nfailed (an error stopped the run; left out of mean, sd, min, max and s/run): ")
                    .append(String.join("; ", failed)).append(".\n");
        }
        return sb.toString();
    }

    /** The Markdown table; {@code withPublished} adds the published column. */
    String markdown(boolean withPublished) {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(idLabel).append(" | epochs | batch | layers | α | momentum |");
        if (withPublished) {
            sb.append(" published % |");
        }
        sb.append(" ours % (mean ± sd) | min | max | seeds | s/run |\n");
        sb.append("|---|--:|--:|---|--:|---|");
        if (withPublished) {
            sb.append("--:|");
        }
        sb.append("--:|--:|--:|--:|--:|\n");
        for (Experiment e : byExperiment.keySet()) {
            List<Run> rs = runs(e);
            Stats s = accuracy(e);
            long diverged = rs.stream().filter(Run::diverged).count();
            long failed = rs.stream().filter(r -> r.failure() != null).count();
            sb.append("| ").append(e.id()).append(" | ").append(e.epochs()).append(" | ").append(e.batch())
                    .append(" | ").append(e.layers(outputs)).append(" | ").append(Experiment.trim(e.lr()))
                    .append(" | ").append(e.momentumLabel()).append(" |");
            if (withPublished) {
                sb.append(' ').append(Double.isNaN(e.published()) ? "–" : fmt2(100 * e.published()))
                        .append(e.id().contains("plain SGD") ? "¹" : "").append(" |");
            }
            if (s.n() == 0) {
                sb.append(failed == rs.size() ? " failed" : " diverged").append(" | – | – |");
            } else {
                sb.append(' ').append(fmt2(s.mean())).append(s.n() > 1 ? " ± " + fmt2(s.sd()) : "").append(" | ")
                        .append(fmt2(s.min())).append(" | ").append(fmt2(s.max())).append(" |");
            }
            List<String> stopped = new ArrayList<>();
            if (diverged > 0) {
                stopped.add(diverged + " diverged");
            }
            if (failed > 0) {
                stopped.add(failed + " failed");
            }
            String seconds = num(secondsPerRun(e), "%.1f");
            sb.append(' ').append(rs.size()).append(stopped.isEmpty() ? "" : " (" + String.join(", ", stopped) + ")")
                    .append(" | ").append(seconds.isEmpty() ? "–" : seconds).append(" |\n");
        }
        return sb.toString();
    }

    /** One CSV line per run; accuracies in percent. */
    String csv() {
        StringBuilder sb = new StringBuilder(idLabel + ",epochs,batch,layers,lr,momentum,published_percent,seed,"
                + "test_accuracy_percent,final_train_loss,seconds,seconds_per_epoch_after_first,diverged,failed\n");
        for (Run r : runs) {
            Experiment e = r.experiment();
            List<EpochStats> h = r.history();
            EpochTiming t = EpochTiming.of(h);
            sb.append(csvField(e.id())).append(',').append(e.epochs()).append(',').append(e.batch()).append(',')
                    .append(e.layers(outputs)).append(',').append(Experiment.trim(e.lr())).append(',')
                    .append(e.momentumLabel()).append(',')
                    .append(Double.isNaN(e.published()) ? "" : fmt2(100 * e.published()))
                    .append(',').append(r.seed()).append(',').append(num(r.testAccuracyPercent(), "%.2f")).append(',')
                    .append(h.isEmpty() ? "" : num(h.get(h.size() - 1).trainLoss(), "%.6f")).append(',')
                    .append(num(r.seconds(), "%.3f")).append(',').append(num(t.steadySeconds(), "%.3f")).append(',')
                    .append(r.diverged()).append(',').append(r.failure() != null).append('\n');
        }
        return sb.toString();
    }

    static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double v, String format) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, format, v);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
