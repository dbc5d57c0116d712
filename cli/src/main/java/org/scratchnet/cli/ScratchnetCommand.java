package org.scratchnet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level command, {@code scratchnet <command> [options]}: the subcommands and the shared --verbose. */
@Command(name = "scratchnet",
        mixinStandardHelpOptions = true,
        versionProvider = ScratchnetCommand.Version.class,
        description = "A feedforward neural network from scratch in Java, with SIMD kernels on the JDK Vector API.",
        subcommands = {
                TrainCommand.class,
                EvalCommand.class,
                PredictCommand.class,
                FetchCommand.class,
                InfoCommand.class,
                ReproduceCommand.class,
                SweepCommand.class,
                MergeCommand.class,
        },
        footer = {"", "Results go to stdout; progress and logs to stderr. Exit codes: 0 ok, 1 failure, 2 usage error, "
                + "130 interrupted.", "Start with: scratchnet reproduce"})
public final class ScratchnetCommand {

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Debug logging, and stack traces on errors.")
    boolean verbose;

    /** Reads the version from the build's filtered resource, so it is right in the jar and in tests alike. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"scratchnet " + Provenance.version(), "JDK " + Runtime.version() + " ("
                    + System.getProperty("java.vendor", "?") + ")"};
        }
    }
}
