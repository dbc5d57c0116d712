package org.scratchnet.core;

/**
 * Classification quality of a network on a labelled set: accuracy, the confusion matrix and per-class precision,
 * recall and F1.
 * <pre>
 *   confusion[a][p] = examples of actual class a predicted as p
 *   precision(c) = TP / (TP + FP)          (NaN if c was never predicted)
 *   recall(c)    = TP / (TP + FN)          (NaN if c never occurs)
 *   F1(c)        = 2·TP / (2·TP + FP + FN) (= 2·P·R / (P + R) where both are defined; NaN only if c neither
 *                                           occurs nor is predicted)
 *   macro F1     = mean of F1(c) over the classes that occur or are predicted
 * </pre>
 * A class that occurs but is never predicted has F1 0, not an undefined F1 left out of the mean: a classifier that
 * always answers the same class scores about 1/K of its one class's F1, as scikit-learn's {@code f1_score(average=
 * "macro")} gives.
 */
public final class Evaluation {

    private final long[][] confusion;
    private final long count;
    private final long correct;

    private Evaluation(long[][] confusion) {
        this.confusion = confusion;
        long total = 0;
        long diagonal = 0;
        for (int a = 0; a < confusion.length; a++) {
            for (int p = 0; p < confusion.length; p++) {
                total += confusion[a][p];
            }
            diagonal += confusion[a][a];
        }
        this.count = total;
        this.correct = diagonal;
    }

    /** Evaluates {@code network} on every example of {@code data} by batch inference. */
    public static Evaluation of(Network network, BatchSource data) {
        network.checkSource(data, "the evaluation data");
        int n = data.size();
        int[] pred = new int[n];
        int[] labels = new int[n];
        network.predict(data, Network.identity(n), n, pred, labels);
        return of(network.config().outputs(), labels, pred);
    }

    /**
     * From actual labels and predictions (same length, values in [0, classes)).
     *
     * @throws IllegalArgumentException if lengths differ or a value is out of range
     */
    public static Evaluation of(int classes, int[] labels, int[] predictions) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        }
        long[][] confusion = new long[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            int a = labels[i];
            int p = predictions[i];
            if (a < 0 || a >= classes || p < 0 || p >= classes) {
                throw new IllegalArgumentException("example " + i + ": label " + a + " or prediction " + p
                        + " is outside [0, " + classes + ")");
            }
            confusion[a][p]++;
        }
        return new Evaluation(confusion);
    }

    /** Number of classes. */
    public int classes() {
        return confusion.length;
    }

    /** Number of examples evaluated. */
    public long count() {
        return count;
    }

    /** Number predicted correctly. */
    public long correct() {
        return correct;
    }

    /** correct / count (NaN for an empty set). */
    public double accuracy() {
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    /** A copy of the confusion matrix, indexed [actual][predicted]. */
    public long[][] confusionMatrix() {
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /** Examples of class {@code actual} predicted as {@code predicted}. */
    public long confusion(int actual, int predicted) {
        return confusion[actual][predicted];
    }

    /** Examples whose actual class is {@code c}. */
    public long support(int c) {
        long s = 0;
        for (long v : confusion[c]) {
            s += v;
        }
        return s;
    }

    /** TP / (TP + FP) of class c; NaN if c was never predicted. */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? Double.NaN : (double) confusion[c][c] / predicted;
    }

    /** TP / (TP + FN) of class c; NaN if c never occurs. */
    public double recall(int c) {
        long actual = support(c);
        return actual == 0 ? Double.NaN : (double) confusion[c][c] / actual;
    }

    /**
     * F1 of class c, {@code 2·TP / (2·TP + FP + FN)}: the harmonic mean of precision and recall where both are
     * defined, 0 when c occurs or is predicted but never correctly, NaN when c neither occurs nor is predicted.
     */
    public double f1(int c) {
        long tp = confusion[c][c];
        long fn = support(c) - tp;
        long fp = -tp;
        for (long[] row : confusion) {
            fp += row[c];
        }
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? Double.NaN : 2.0 * tp / denominator;
    }

    /** Mean F1 over the classes that occur or are predicted (NaN if none). */
    public double macroF1() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < confusion.length; c++) {
            double f = f1(c);
            if (!Double.isNaN(f)) {
                sum += f;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
