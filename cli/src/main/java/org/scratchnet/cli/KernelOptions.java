package org.scratchnet.cli;

import java.util.Locale;
import org.scratchnet.kernels.Kernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --kernels vector|scalar} and {@code --threads N}, shared by every command that computes.
 *
 * <p>The backend is chosen once, when {@link Kernels} is initialised, from the system property
 * {@value Kernels#BACKEND_PROPERTY}. The option's setter sets that property while the command line is parsed, before
 * any command touches {@code Kernels}. If {@code Kernels} was already initialised in this JVM with another backend
 * (only possible when commands run in-process, as in tests), {@link #apply()} says so instead of ignoring the flag.
 */
final class KernelOptions {

    private static final Logger LOG = LoggerFactory.getLogger(KernelOptions.class);

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    String kernels;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the kernels (default: all available processors, here ${sys:scratchnet.cpus}).")
    Integer threads;

    @Option(names = "--kernels", paramLabel = "vector|scalar",
            description = "Kernel implementation: vector (Vector API, default when available) or scalar.")
    void setKernels(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("vector") && !v.equals("scalar")) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--kernels': expected vector or scalar, found '" + value + "'");
        }
        kernels = v;
        System.setProperty(Kernels.BACKEND_PROPERTY, v);
    }

    static {
        System.setProperty("scratchnet.cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    }

    /** Validates the values and applies them to {@link Kernels}; call first thing in a command. */
    void apply() {
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--threads': expected a number >= 1, found " + threads);
        }
        if (kernels != null && !Kernels.backend().name().equalsIgnoreCase(kernels)) {
            if (kernels.equals("vector") && !Kernels.vectorModulePresent()) {
                throw new UserException("--kernels vector needs the Vector API: run java with "
                        + "--add-modules jdk.incubator.vector (the ./scratchnet launcher does)");
            }
            throw new UserException("--kernels " + kernels + " cannot take effect: the "
                    + Kernels.backend().name().toLowerCase(Locale.ROOT) + " kernels were already loaded in this JVM");
        }
        if (threads != null) {
            String warning = threadsWarning(threads, Runtime.getRuntime().availableProcessors());
            if (warning != null) {
                LOG.warn(warning);
            }
            Kernels.setThreads(threads);
        }
    }

    /** The warning for more threads than processors (they only take turns), or null. */
    static String threadsWarning(int threads, int processors) {
        return threads <= processors ? null : "--threads " + threads + " is more than the " + processors
                + " processor(s) this JVM sees: the extra threads only take turns, which is slower";
    }
}
