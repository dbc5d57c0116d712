package org.scratchnet.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.scratchnet.core.MomentumStyle;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.TrainingConfig;

/**
 * One line of a results table: a network and its training settings, run once per seed.
 *
 * @param id        short name, e.g. {@code 2} or {@code 1 (plain SGD)}
 * @param hidden    hidden layer sizes (the 784 inputs and 10 outputs are implied)
 * @param epochs    epochs per run
 * @param batch     mini-batch size
 * @param lr        learning rate alpha
 * @param momentum  beta of ema momentum, 0 for plain SGD
 * @param published the published test accuracy in percent, NaN if there is none
 */
record Experiment(String id, int[] hidden, int epochs, int batch, double lr, double momentum, double published) {

    /**
     * The published table: five rows (epochs, batch, hidden layers, alpha, momentum → published accuracy), and for
     * row 1 its plain-SGD twin, because the published 98.42 % was measured while the original code did not apply
     * momentum.
     */
    static final List<Experiment> TABLE = List.of(
            new Experiment("1", new int[] {200, 100, 25}, 20, 128, 0.5, 0.9, 98.42),
            new Experiment("1 (plain SGD)", new int[] {200, 100, 25}, 20, 128, 0.5, 0, 98.42),
            new Experiment("2", new int[] {100, 50}, 20, 128, 0.5, 0.9, 98.14),
            new Experiment("3", new int[] {100, 50}, 20, 128, 0.5, 0, 97.51),
            new Experiment("4", new int[] {100, 50}, 20, 60000, 0.5, 0.9, 84.13),
            new Experiment("5", new int[] {100, 50}, 20, 60000, 0.5, 0, 65.16));

    /** The table's experiments of row {@code row} (1-5); row 1 has two. */
    static List<Experiment> row(int row) {
        String id = Integer.toString(row);
        return TABLE.stream().filter(e -> e.id().equals(id) || e.id().startsWith(id + " "))
                .collect(Collectors.toList());
    }

    /** The table row number of this experiment (the digits its id starts with), or 0 for a sweep's lines. */
    int rowNumber() {
        int end = 0;
        while (end < id.length() && Character.isDigit(id.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(id.substring(0, end));
    }

    Experiment withEpochs(int e) {
        return new Experiment(id, hidden, e, batch, lr, momentum, published);
    }

    /** e.g. {@code 200/100/25/10}. */
    String layers(int outputs) {
        return Arrays.stream(hidden).mapToObj(Integer::toString).collect(Collectors.joining("/")) + "/" + outputs;
    }

    /** e.g. {@code ema 0.9} or {@code off}. */
    String momentumLabel() {
        return momentum > 0 ? "ema " + trim(momentum) : "off";
    }

    NetworkConfig network(int inputs, int outputs) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = outputs;
        return NetworkConfig.of(sizes);
    }

    TrainingConfig training(long seed) {
        TrainingConfig.Builder b = TrainingConfig.builder().epochs(epochs).batchSize(batch).learningRate(lr).seed(seed);
        if (momentum > 0) {
            b.momentum(MomentumStyle.EMA, momentum);
        }
        return b.build();
    }

    static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Experiment e && id.equals(e.id) && Arrays.equals(hidden, e.hidden) && epochs == e.epochs
                && batch == e.batch && lr == e.lr && momentum == e.momentum
                && Double.compare(published, e.published) == 0;
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(hidden);
    }

    @Override
    public String toString() {
        return "Experiment[" + id + ": " + layers(10) + ", " + epochs + " epochs, batch " + batch + ", alpha "
                + trim(lr) + ", momentum " + momentumLabel() + "]";
    }
}
