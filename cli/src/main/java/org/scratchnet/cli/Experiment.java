package org.scratchnet.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.scratchnet.core.MomentumStyle;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.core.Optimizer;
import org.scratchnet.core.TrainingConfig;

/**
 * One line of a results table: a network and its training settings, run once per seed. In {@code reproduce} it is a
 * row of the published table; in {@code sweep} a point of the grid.
 *
 * @param id        short name: the published table's row ({@code 2}, {@code 1 (plain SGD)}) or the grid point's
 *                  letter ({@code a}, {@code b}, ..., {@code a1} after {@code z})
 * @param hidden    hidden layer sizes (the inputs and outputs are implied)
 * @param epochs    epochs per run
 * @param batch     mini-batch size
 * @param lr        learning rate alpha
 * @param momentum  beta of ema momentum, 0 for plain SGD
 * @param published the published test accuracy as a fraction (0.9842), NaN if there is none
 */
record Experiment(String id, int[] hidden, int epochs, int batch, double lr, double momentum, double published) {

    /**
     * The published table: five rows (epochs, batch, hidden layers, alpha, momentum → published accuracy), and for
     * row 1 its plain-SGD twin, because the published 98.42 % was measured while the original code did not apply
     * momentum.
     */
    static final List<Experiment> TABLE = List.of(
            new Experiment("1", new int[] {200, 100, 25}, 20, 128, 0.5, 0.9, 0.9842),
            new Experiment("1 (plain SGD)", new int[] {200, 100, 25}, 20, 128, 0.5, 0, 0.9842),
            new Experiment("2", new int[] {100, 50}, 20, 128, 0.5, 0.9, 0.9814),
            new Experiment("3", new int[] {100, 50}, 20, 128, 0.5, 0, 0.9751),
            new Experiment("4", new int[] {100, 50}, 20, 60000, 0.5, 0.9, 0.8413),
            new Experiment("5", new int[] {100, 50}, 20, 60000, 0.5, 0, 0.6516));

    /** The published table's experiments of row {@code row} (1-5); row 1 has two. */
    static List<Experiment> row(int row) {
        String id = Integer.toString(row);
        return TABLE.stream().filter(e -> e.id().equals(id) || e.id().startsWith(id + " "))
                .collect(Collectors.toList());
    }

    Experiment withEpochs(int e) {
        return new Experiment(id, hidden, e, batch, lr, momentum, published);
    }

    /** A copy of the hidden layer sizes. */
    @Override
    public int[] hidden() {
        return hidden.clone();
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

    /** EMA momentum with β {@link #momentum}, or plain SGD when it is 0. */
    Optimizer optimizer() {
        return momentum > 0 ? new Optimizer.Momentum(MomentumStyle.EMA, momentum) : new Optimizer.Sgd();
    }

    TrainingConfig training(long seed) {
        return TrainingConfig.builder().epochs(epochs).batchSize(batch).learningRate(lr).optimizer(optimizer())
                .seed(seed).build();
    }

    static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Experiment e && id.equals(e.id) && Arrays.equals(hidden, e.hidden) && epochs == e.epochs
                && batch == e.batch && Double.compare(lr, e.lr) == 0 && Double.compare(momentum, e.momentum) == 0
                && Double.compare(published, e.published) == 0;
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(hidden);
    }

    /** e.g. {@code 2: 100/50/10, 20 epochs, batch 128, alpha 0.5, momentum ema 0.9}. */
    String describe(int outputs) {
        return id + ": " + layers(outputs) + ", " + epochs + " epochs, batch " + batch + ", alpha " + trim(lr)
                + ", momentum " + momentumLabel();
    }

    @Override
    public String toString() {
        return "Experiment[" + describe(10) + "]";
    }
}
