package org.scratchnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scratchnet.core.Evaluation;
import org.scratchnet.core.ModelFile;
import org.scratchnet.core.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scratchnet eval}: a saved model on the test set: accuracy, confusion matrix, per-class precision, recall and
 * F1, and the most confused pairs.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a saved model on the test set: accuracy, confusion matrix, per-class "
                + "precision/recall/F1, the most confused pairs.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    DataOptions data;

    @Mixin
    KernelOptions kernelOptions;

    @Option(names = "--top", paramLabel = "N", defaultValue = "5",
            description = "How many confused pairs to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws IOException {
        kernelOptions.apply();
        if (top < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--top': expected a number >= 0, found " + top);
        }
        ModelFile.Model model = modelOptions.load();
        Network net = model.network();
        String dataset = data.dataset.name();
        DatasetBatchSource test = new DatasetBatchSource(data.loadTest());
        if (net.config().inputs() != test.features() || net.config().outputs() != test.classes()) {
            throw new UserException("the model " + net.config().describe() + " expects " + net.config().inputs()
                    + " inputs and " + net.config().outputs() + " classes, the " + dataset + " test set has "
                    + test.features() + " and " + test.classes());
        }
        Evaluation ev = Evaluation.of(net, test);
        print(spec.commandLine().getOut(), ev, net.config().describe(), dataset, top);
        return 0;
    }

    static void print(PrintWriter out, Evaluation ev, String network, String dataset, int top) {
        int k = ev.classes();
        out.printf(Locale.ROOT, "model %s on the %s test set (%,d images)%n", network, dataset, ev.count());
        out.printf(Locale.ROOT, "accuracy %.2f %% (%,d of %,d), macro F1 %.4f%n%n", 100 * ev.accuracy(),
                ev.correct(), ev.count(), ev.macroF1());

        out.println("confusion matrix (rows: actual, columns: predicted)");
        StringBuilder head = new StringBuilder("      ");
        for (int p = 0; p < k; p++) {
            head.append(String.format(Locale.ROOT, "%6d", p));
        }
        out.println(head);
        for (int a = 0; a < k; a++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%6d", a));
            for (int p = 0; p < k; p++) {
                row.append(String.format(Locale.ROOT, "%6d", ev.confusion(a, p)));
            }
            out.println(row);
        }

        out.println();
        out.println("class  precision  recall      F1  support");
        for (int c = 0; c < k; c++) {
            out.printf(Locale.ROOT, "%5d  %9s  %6s  %6s  %7d%n", c, pct(ev.precision(c)), pct(ev.recall(c)),
                    f(ev.f1(c)), ev.support(c));
        }

        List<long[]> pairs = new ArrayList<>();
        for (int a = 0; a < k; a++) {
            for (int p = 0; p < k; p++) {
                if (a != p && ev.confusion(a, p) > 0) {
                    pairs.add(new long[] {ev.confusion(a, p), a, p});
                }
            }
        }
        pairs.sort(Comparator.<long[]>comparingLong(x -> -x[0]).thenComparingLong(x -> x[1])
                .thenComparingLong(x -> x[2]));
        if (top > 0 && !pairs.isEmpty()) {
            out.println();
            out.println("most confused (actual -> predicted: count)");
            for (int i = 0; i < Math.min(top, pairs.size()); i++) {
                long[] x = pairs.get(i);
                out.printf(Locale.ROOT, "  %d -> %d: %d%n", x[1], x[2], x[0]);
            }
        }
        out.flush();
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
    }
}
