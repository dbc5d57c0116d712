package org.scratchnet.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code scratchnet sweep}: trains every combination of a grid of hidden layers, learning rates, batch sizes and
 * momentum values for several seeds, side by side, and prints the same kind of table as {@code reproduce} (one line
 * per grid point, without the published column). Writes sweep.md, sweep.csv and sweep.json to the output directory.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train every combination of a grid (layers x learning rates x batch sizes x momentum) for "
                + "several seeds; a table with one line per grid point on stdout; sweep.md, sweep.csv and sweep.json "
                + "in --out.",
                "Example: scratchnet sweep --layers 100,50 --layers 200,100,25 --lr 0.1,0.5 --momentum 0,0.9 "
                        + "--epochs 5"})
final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--layers", paramLabel = "N,N,...",
            description = "Hidden layers of one network, repeat the option for more (default: 100,50).")
    List<String> layers = new ArrayList<>();

    @Option(names = "--lr", split = ",", splitSynopsisLabel = ",", paramLabel = "ALPHA",
            description = "Learning rates (default: 0.5).")
    List<Double> lrs = new ArrayList<>();

    @Option(names = "--batch", split = ",", splitSynopsisLabel = ",", paramLabel = "N",
            description = "Batch sizes (default: 128).")
    List<Integer> batches = new ArrayList<>();

    @Option(names = "--momentum", split = ",", splitSynopsisLabel = ",", paramLabel = "BETA",
            description = "Ema momentum values, 0 for plain SGD (default: 0.9).")
    List<Double> momenta = new ArrayList<>();

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "20",
            description = "Epochs per run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
            description = "Runs per combination, with seeds 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "Directory for sweep.md, sweep.csv, sweep.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    DataOptions data;

    @Mixin
    KernelOptions kernelOptions;

    @Mixin
    RunOptions runOptions;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        runOptions.validate(kernelOptions.threads);
        kernelOptions.apply();
        List<Experiment> grid = grid();
        Outputs outputs = runOptions.checkOutputs(Plan.Command.SWEEP, grid, out);
        DataOptions.Loaded loaded = data.load();
        outputs.checkNotAnyOf("a data file", loaded.files().all());
        Plan plan = new Plan(Plan.Command.SWEEP, grid,
                LongStream.rangeClosed(1, seeds).boxed().collect(Collectors.toList()), loaded.shape());
        return runOptions.execute(plan, loaded, out, kernelOptions.threads, spec.commandLine().getOut(),
                spec.commandLine().getErr(), start);
    }

    /** The grid's points, lettered a, b, ... in grid order, every value checked before any work. */
    List<Experiment> grid() {
        List<int[]> nets = new ArrayList<>();
        for (String spec : layers.isEmpty() ? List.of("100,50") : layers) {
            nets.add(parseLayers(spec));
        }
        List<Double> lrList = lrs.isEmpty() ? List.of(0.5) : lrs;
        List<Integer> batchList = batches.isEmpty() ? List.of(128) : batches;
        List<Double> momentumList = momenta.isEmpty() ? List.of(0.9) : momenta;
        for (double lr : lrList) {
            if (!(lr > 0) || !Double.isFinite(lr)) {
                throw bad("--lr", "learning rates > 0", Double.toString(lr));
            }
        }
        for (int b : batchList) {
            if (b < 1) {
                throw bad("--batch", "batch sizes >= 1", Integer.toString(b));
            }
        }
        for (double m : momentumList) {
            if (!(m >= 0 && m < 1)) {
                throw bad("--momentum", "momentum values in [0, 1)", Double.toString(m));
            }
        }
        if (epochs < 1) {
            throw bad("--epochs", "a number >= 1", Integer.toString(epochs));
        }
        if (seeds < 1) {
            throw bad("--seeds", "a number >= 1", Integer.toString(seeds));
        }
        List<Experiment> grid = new ArrayList<>();
        int i = 0;
        for (int[] net : nets) {
            for (double lr : lrList) {
                for (int b : batchList) {
                    for (double m : momentumList) {
                        grid.add(new Experiment(String.format(Locale.ROOT, "%c", 'a' + (i % 26))
                                + (i >= 26 ? Integer.toString(i / 26) : ""), net, epochs, b, lr, m, Double.NaN));
                        i++;
                    }
                }
            }
        }
        return grid;
    }

    private int[] parseLayers(String spec) {
        String[] parts = spec.split(",");
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                sizes[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad("--layers", "comma-separated layer sizes such as 100,50", "'" + spec + "'");
            }
            if (sizes[i] < 1) {
                throw bad("--layers", "layer sizes >= 1", "'" + spec + "'");
            }
        }
        return sizes;
    }

    private ParameterException bad(String option, String expected, String found) {
        return new ParameterException(this.spec.commandLine(),
                "Invalid value for option '" + option + "': expected " + expected + ", found " + found);
    }
}
