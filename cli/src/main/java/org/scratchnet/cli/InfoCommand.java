package org.scratchnet.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.scratchnet.kernels.Backend;
import org.scratchnet.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code scratchnet info}: what this JVM and machine offer the kernels. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the JDK, whether the Vector API is available, species and lanes, the backend, threads, "
                + "CPU.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KernelOptions kernelOptions;

    @Override
    public Integer call() {
        kernelOptions.apply();
        PrintWriter out = spec.commandLine().getOut();
        boolean module = Kernels.vectorModulePresent();
        row(out, "scratchnet", Provenance.version());
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
        out.flush();
        return 0;
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("%-11s %s%n", key, value);
    }
}
