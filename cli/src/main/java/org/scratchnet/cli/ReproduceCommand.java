package org.scratchnet.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * {@code scratchnet reproduce}: trains the published table's rows on MNIST for several seeds, side by side, and prints
 * the table (published accuracy beside ours as mean ± sd, min, max, seconds per run); writes results.md, results.csv,
 * results.json and the momentum figures to the output directory ({@link Results}, {@link MomentumFigures}).
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reproduce the published results table on MNIST: each row trained once per seed, "
                + "the table on stdout; results.md, results.csv, results.json and the momentum figures in --out.",
                "Rows: epochs, batch, layers, alpha, momentum -> published %%",
                "  1: 20, 128, 200/100/25/10, 0.5, ema 0.9 -> 98.42 (and plain SGD)",
                "  2: 20, 128, 100/50/10, 0.5, ema 0.9 -> 98.14",
                "  3: 20, 128, 100/50/10, 0.5, off -> 97.51",
                "  4: 20, 60000, 100/50/10, 0.5, ema 0.9 -> 84.13",
                "  5: 20, 60000, 100/50/10, 0.5, off -> 65.16"})
final class ReproduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rows", split = ",", splitSynopsisLabel = ",", paramLabel = "N",
            description = "Table rows to run, 1-5 (default: all).")
    List<Integer> rows = new ArrayList<>(List.of(1, 2, 3, 4, 5));

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3",
            description = "Runs per row, with seeds 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs per run (default: 20, as published; fewer for a quick look).")
    Integer epochs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "Directory for results.md, results.csv, results.json, momentum-comparison.png (rows 4 "
                    + "and 5) and momentum-comparison-batch128.png (rows 2 and 3) (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of your own MNIST IDX files, read as they are and never written to. Without "
                    + "it MNIST is fetched, verified, into $SCRATCHNET_DATA/mnist, $XDG_CACHE_HOME/scratchnet/mnist "
                    + "or ~/.cache/scratchnet/mnist.")
    Path dataDir;

    @Mixin
    RunOptions runOptions;

    @Mixin
    KernelOptions kernelOptions;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        runOptions.validate(kernelOptions.threads);
        kernelOptions.apply();
        List<Experiment> experiments = experiments();
        Outputs outputs = runOptions.checkOutputs(Plan.Command.REPRODUCE, experiments, out);

        DataOptions data = new DataOptions();
        data.dataDir = dataDir;
        DataOptions.Loaded loaded = data.load();
        outputs.checkNotAnyOf("a data file", loaded.files().all());
        Plan plan = new Plan(Plan.Command.REPRODUCE, experiments,
                LongStream.rangeClosed(1, seeds).boxed().collect(Collectors.toList()), loaded.shape());
        return runOptions.execute(plan, loaded, out, kernelOptions.threads, spec.commandLine().getOut(),
                spec.commandLine().getErr(), start);
    }

    /** The selected rows' experiments with the epochs override, validated before any work. */
    List<Experiment> experiments() {
        if (rows.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--rows': expected row numbers "
                    + "1-5, found none");
        }
        for (int r : rows) {
            if (r < 1 || r > 5) {
                throw new ParameterException(spec.commandLine(),
                        "Invalid value for option '--rows': expected row numbers 1-5, found " + r);
            }
        }
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--seeds': expected a number >= 1, found " + seeds);
        }
        if (epochs != null && epochs < 1) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--epochs': expected a number >= 1, found " + epochs);
        }
        List<Experiment> list = new ArrayList<>();
        for (int r : rows.stream().distinct().sorted().collect(Collectors.toList())) {
            for (Experiment e : Experiment.row(r)) {
                list.add(epochs == null ? e : e.withEpochs(epochs));
            }
        }
        return list;
    }
}
