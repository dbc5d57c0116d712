package org.scratchnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.scratchnet.kernels.Backend;
import org.scratchnet.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scratchnet info}: what this JVM and machine offer the kernels; with {@code --peak}, the FMA peak measured and
 * cached ({@link FmaPeakCache}).
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the JDK, whether the Vector API is available, species and lanes, the backend, threads, "
                + "CPU, and the FMA peak if measured (--peak measures it).")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KernelOptions kernelOptions;

    @Option(names = "--peak",
            description = "Measure the machine's FMA peak on 1 thread and on all threads (a few seconds; run it on an "
                    + "otherwise idle machine) and cache it for the %% of peak that train and reproduce print.")
    boolean peak;

    @Override
    public Integer call() throws IOException {
        kernelOptions.apply();
        PrintWriter out = spec.commandLine().getOut();
        boolean module = Kernels.vectorModulePresent();
        String commit = Provenance.gitCommit();
        row(out, "scratchnet", Provenance.version() + (commit == null ? "" : " (git " + commit + ")"));
        row(out, "JDK", Provenance.jdk() + ", " + System.getProperty("java.home"));
        row(out, "Vector API", module ? "available (jdk.incubator.vector)"
                : "not available (run java with --add-modules jdk.incubator.vector)");
        row(out, "species", Kernels.backend() == Backend.VECTOR
                ? Kernels.lanes() * Float.SIZE + "-bit float, " + Kernels.lanes() + " lanes" : "none (scalar)");
        row(out, "backend", Kernels.backend().name().toLowerCase(java.util.Locale.ROOT)
                + (System.getProperty(Kernels.BACKEND_PROPERTY) != null
                        ? " (forced by --kernels / -D" + Kernels.BACKEND_PROPERTY + ")" : " (automatic)"));
        row(out, "threads", Integer.toString(Kernels.threads()));
        row(out, "CPU", Provenance.cpu());
        row(out, "max heap", Provenance.maxHeap());
        row(out, "data cache", DataOptions.defaultCacheDescription());
        if (peak) {
            out.flush();
            new Outputs().file("the FMA peak cache", FmaPeakCache.file()).check(); // before seconds of measuring
            List<Integer> counts = peakThreadCounts();
            spec.commandLine().getErr().printf(Locale.ROOT, "measuring the FMA peak on %s threads (%d s each)...%n",
                    counts.stream().map(String::valueOf).collect(Collectors.joining(" and ")),
                    FmaPeakCache.THOROUGH.toSeconds());
            spec.commandLine().getErr().flush();
            for (int threads : counts) {
                row(out, "FMA peak", FmaPeakCache.measureAndStore(threads).describe());
            }
            row(out, "peak cache", FmaPeakCache.file().toString());
        } else {
            List<String> cached = new ArrayList<>();
            for (int threads : peakThreadCounts()) {
                FmaPeakCache.cached(threads).ifPresent(p -> cached.add(p.describe()));
            }
            row(out, "FMA peak", cached.isEmpty() ? "not measured yet (scratchnet info --peak)"
                    : String.join("; ", cached));
        }
        out.flush();
        return 0;
    }

    /** 1 and all available processors, and the --threads count if that is another. */
    private static List<Integer> peakThreadCounts() {
        TreeSet<Integer> counts = new TreeSet<>(List.of(1, Runtime.getRuntime().availableProcessors(),
                Kernels.threads()));
        return List.copyOf(counts);
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("%-11s %s%n", key, value);
    }
}
