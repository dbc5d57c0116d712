package org.scratchnet.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scratchnet.core.EpochStats;

/**
 * The results of a set of runs as a table, one line per experiment: published accuracy (if any), ours as mean ± sample
 * sd over the seeds with min and max, and training seconds per run. Rendered as Markdown (for people), CSV (one line
 * per run, for spreadsheets) and JSON (everything, with provenance and per-epoch histories, for programs).
 */
final class ResultsTable {

    private final List<ExperimentRunner.Run> runs;
    private final Map<Experiment, List<ExperimentRunner.Run>> byExperiment = new LinkedHashMap<>();
    private final int outputs;

    ResultsTable(List<ExperimentRunner.Run> runs, int outputs) {
        this.runs = List.copyOf(runs);
        this.outputs = outputs;
        for (ExperimentRunner.Run r : runs) {
            byExperiment.computeIfAbsent(r.experiment(), k -> new ArrayList<>()).add(r);
        }
    }

    /** Accuracy statistics of one experiment over its seeds, diverged runs excluded. */
    Stats accuracy(Experiment e) {
        return Stats.of(byExperiment.get(e).stream().filter(r -> !r.diverged())
                .mapToDouble(ExperimentRunner.Run::testAccuracyPercent).toArray());
    }

    /** Mean training seconds per completed run of one experiment (diverged runs stopped early and do not count). */
    double secondsPerRun(Experiment e) {
        return byExperiment.get(e).stream().filter(r -> !r.diverged()).mapToDouble(ExperimentRunner.Run::seconds)
                .average().orElse(Double.NaN);
    }

    /** A note for under the table naming the diverged runs, or "" if every run completed. */
    String divergedNote() {
        List<String> d = divergedRuns();
        return d.isEmpty() ? "" : "\ndiverged (the loss became NaN or infinite; left out of mean, sd, min, max and "
                + "s/run): " + String.join("; ", d) + ".\n";
    }

    /** One line per diverged run, e.g. {@code row 1 (plain SGD), seed 3: epoch 2, batch 100}; empty if none. */
    List<String> divergedRuns() {
        List<String> lines = new ArrayList<>();
        for (ExperimentRunner.Run r : runs) {
            if (r.diverged()) {
                lines.add("row " + r.experiment().id() + ", seed " + r.seed() + ": " + r.divergedAt());
            }
        }
        return lines;
    }

    List<Experiment> experiments() {
        return List.copyOf(byExperiment.keySet());
    }

    /** The Markdown table; {@code withPublished} adds the published column. */
    String markdown(boolean withPublished) {
        StringBuilder sb = new StringBuilder();
        sb.append("| row | epochs | batch | layers | α | momentum |");
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
            List<ExperimentRunner.Run> rs = byExperiment.get(e);
            Stats s = accuracy(e);
            long diverged = rs.stream().filter(ExperimentRunner.Run::diverged).count();
            sb.append("| ").append(e.id()).append(" | ").append(e.epochs()).append(" | ").append(e.batch())
                    .append(" | ").append(e.layers(outputs)).append(" | ").append(Experiment.trim(e.lr()))
                    .append(" | ").append(e.momentumLabel()).append(" |");
            if (withPublished) {
                sb.append(' ').append(Double.isNaN(e.published()) ? "–" : fmt2(e.published()))
                        .append(e.id().contains("plain SGD") ? "¹" : "").append(" |");
            }
            if (s.n() == 0) {
                sb.append(" diverged | – | – |");
            } else {
                sb.append(' ').append(fmt2(s.mean())).append(s.n() > 1 ? " ± " + fmt2(s.sd()) : "").append(" | ")
                        .append(fmt2(s.min())).append(" | ").append(fmt2(s.max())).append(" |");
            }
            sb.append(' ').append(rs.size()).append(diverged > 0 ? " (" + diverged + " diverged)" : "").append(" | ")
                    .append(num(secondsPerRun(e), "%.1f").isEmpty() ? "–" : num(secondsPerRun(e), "%.1f"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** One CSV line per run. */
    String csv() {
        StringBuilder sb = new StringBuilder("row,epochs,batch,layers,lr,momentum,published,seed,test_accuracy,"
                + "final_train_loss,seconds,seconds_per_epoch_after_first,diverged\n");
        for (ExperimentRunner.Run r : runs) {
            Experiment e = r.experiment();
            List<EpochStats> h = r.history();
            EpochTiming t = EpochTiming.of(h);
            sb.append(csvField(e.id())).append(',').append(e.epochs()).append(',').append(e.batch()).append(',')
                    .append(e.layers(outputs)).append(',').append(Experiment.trim(e.lr())).append(',')
                    .append(e.momentumLabel()).append(',')
                    .append(Double.isNaN(e.published()) ? "" : fmt2(e.published()))
                    .append(',').append(r.seed()).append(',').append(num(r.testAccuracyPercent(), "%.2f")).append(',')
                    .append(h.isEmpty() ? "" : num(h.get(h.size() - 1).trainLoss(), "%.6f")).append(',')
                    .append(num(r.seconds(), "%.3f")).append(',').append(num(t.steadySeconds(), "%.3f")).append(',')
                    .append(r.diverged()).append('\n');
        }
        return sb.toString();
    }

    /** Everything as JSON: provenance, the summary per experiment, and every run with its per-epoch history. */
    String json(Map<String, Object> provenance) {
        Json j = new Json();
        j.beginObject();
        j.name("provenance").value(provenance);
        j.name("summary").beginArray();
        for (Experiment e : byExperiment.keySet()) {
            Stats s = accuracy(e);
            j.beginObject();
            experimentFields(j, e);
            j.name("seeds").value(byExperiment.get(e).size());
            j.name("accuracy_mean").value(s.mean()).name("accuracy_sd").value(s.sd())
                    .name("accuracy_min").value(s.min()).name("accuracy_max").value(s.max())
                    .name("seconds_per_run").value(secondsPerRun(e));
            j.endObject();
        }
        j.endArray();
        j.name("runs").beginArray();
        for (ExperimentRunner.Run r : runs) {
            j.beginObject();
            experimentFields(j, r.experiment());
            j.name("seed").value(r.seed()).name("diverged").value(r.diverged())
                    .name("diverged_at").value(r.divergedAt())
                    .name("test_accuracy").value(r.testAccuracyPercent()).name("seconds").value(r.seconds());
            j.name("epochs_history").beginArray();
            for (EpochStats s : r.history()) {
                j.beginObject().name("epoch").value(s.epoch()).name("train_loss").value(s.trainLoss())
                        .name("train_accuracy").value(s.trainAccuracy()).name("test_accuracy").value(s.testAccuracy())
                        .name("seconds").value(s.seconds()).name("images_per_second").value(s.imagesPerSecond())
                        .endObject();
            }
            j.endArray();
            j.endObject();
        }
        j.endArray();
        j.endObject();
        return j.toString() + "\n";
    }

    private void experimentFields(Json j, Experiment e) {
        j.name("row").value(e.id()).name("epochs").value(e.epochs()).name("batch").value(e.batch())
                .name("layers").value(e.layers(outputs)).name("lr").value(e.lr()).name("momentum").value(e.momentum())
                .name("published").value(e.published());
    }

    private static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double v, String format) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, format, v);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
