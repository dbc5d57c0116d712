package org.scratchnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.scratchnet.core.Evaluation;
import org.scratchnet.core.ModelFile;
import org.scratchnet.core.Network;
import org.scratchnet.kernels.Kernels;
import org.scratchnet.mnist.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scratchnet eval}: a saved model on the test set: accuracy, confusion matrix, per-class precision, recall and
 * F1, and the most confused pairs; optionally two pictures, the misclassified images most confident first
 * ({@code --mistakes}, see {@link MistakeGrid}) and the confusion matrix as a heat map ({@code --confusion}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a saved model on the test set: accuracy, confusion matrix, per-class "
                + "precision/recall/F1, the most confused pairs; optionally pictures of the mistakes and of the "
                + "confusion matrix.")
final class EvalCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EvalCommand.class);

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

    @Option(names = "--mistakes", paramLabel = "FILE",
            description = "Write a PNG of the misclassified test images, most confident mistakes first, each with "
                    + "its true label, the predicted one and its probability.")
    Path mistakes;

    @Option(names = "--max-mistakes", paramLabel = "N", defaultValue = "100",
            description = "At most this many images in --mistakes (default: ${DEFAULT-VALUE}).")
    int maxMistakes;

    @Option(names = "--confusion", paramLabel = "FILE",
            description = "Write the confusion matrix as a heat map (PNG).")
    Path confusion;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "1",
            description = "Run inference over the test set N times and report the fastest pass on stderr "
                    + "(images/s, GFLOPS); the first pass includes the JIT warm-up (default: ${DEFAULT-VALUE}).")
    int passes;

    @Override
    public Integer call() throws IOException {
        kernelOptions.apply();
        if (top < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--top': expected a number >= 0, found " + top);
        }
        if (passes < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--passes': expected a number >= 1, found " + passes);
        }
        if (maxMistakes < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--max-mistakes': expected a number >= 1, found " + maxMistakes);
        }
        Outputs outputs = new Outputs().file("--mistakes", mistakes).file("--confusion", confusion);
        outputs.check();
        outputs.checkNotAnyOf("the --model file", List.of(modelOptions.model));
        ModelFile.Model model = modelOptions.load();
        Network net = model.network();
        String dataset = data.dataset.name();
        Dataset testSet = data.loadTest();
        DatasetBatchSource test = new DatasetBatchSource(testSet);
        if (net.config().inputs() != test.features() || net.config().outputs() != test.classes()) {
            throw new UserException("the model " + net.config().describe() + " expects " + net.config().inputs()
                    + " inputs and " + net.config().outputs() + " classes, the " + dataset + " test set has "
                    + test.features() + " and " + test.classes());
        }
        int classes = net.config().outputs();
        int[] labels = new int[testSet.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = testSet.label(i);
        }
        int[] predictions = timedPredictions(net, test);
        Evaluation ev = Evaluation.of(classes, labels, predictions);
        print(spec.commandLine().getOut(), ev, net.config().describe(), dataset, top);
        String what = net.config().describe() + " on the " + dataset + " test set";
        if (mistakes != null) {
            List<MistakeGrid.Mistake> ranked = MistakeGrid.rank(labels, predictions, probabilities(net, test),
                    classes);
            try {
                MistakeGrid.write(mistakes, ranked, testSet, maxMistakes, what);
            } catch (IOException e) {
                throw Outputs.failure("--mistakes", mistakes, e);
            }
            LOG.info("{}: {} of {} mistakes, most confident first", mistakes, Math.min(maxMistakes, ranked.size()),
                    ranked.size());
        }
        if (confusion != null) {
            try {
                ConfusionHeatMap.write(confusion, String.format(Locale.ROOT, "%s: %.2f %% correct", what,
                        100 * ev.accuracy()), ev.confusionMatrix());
            } catch (IOException e) {
                throw Outputs.failure("--confusion", confusion, e);
            }
            LOG.info("{}: confusion matrix", confusion);
        }
        return 0;
    }

    /**
     * The predictions for every example of {@code data}, from the fastest of {@link #passes} inference passes, whose
     * time goes to stderr: images per second and the forward pass's GFLOPS
     * ({@link org.scratchnet.core.NetworkConfig#forwardFlopPerExample()} per image).
     */
    private int[] timedPredictions(Network net, DatasetBatchSource data) {
        int[] predictions = null;
        long best = Long.MAX_VALUE;
        for (int pass = 0; pass < passes; pass++) {
            long start = System.nanoTime();
            predictions = net.predict(data);
            best = Math.min(best, System.nanoTime() - start);
        }
        double seconds = best * 1e-9;
        int n = data.size();
        spec.commandLine().getErr().printf(Locale.ROOT, "inference: %,d images in %.4f s, %,.0f images/s, %.1f GFLOPS "
                + "on %s (%s)%n", n, seconds, n / seconds, net.config().forwardFlopPerExample() * n / seconds * 1e-9,
                Kernels.describe(),
                passes == 1 ? "one pass, JIT warm-up included" : "fastest of " + passes + " passes");
        return predictions;
    }

    /** The softmax outputs of every example of {@code data}, {@code size × classes} row-major. */
    static float[] probabilities(Network net, DatasetBatchSource data) {
        int n = data.size();
        int k = net.config().outputs();
        int chunk = 512;
        float[] x = new float[chunk * data.features()];
        int[] labels = new int[chunk];
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        float[] probabilities = new float[Math.multiplyExact(n, k)];
        for (int from = 0; from < n; from += chunk) {
            int rows = Math.min(chunk, n - from);
            data.fill(indices, from, rows, x, 0, labels, 0);
            net.probabilities(x, 0, rows, probabilities, from * k);
        }
        return probabilities;
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
