package org.scratchnet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top-level command, {@code scratchnet <command> [options]}: the subcommands, and {@code -q/--quiet} and
 * {@code -v/--verbose}, which every command inherits (Main reads them from the parse result).
 */
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
                CompletionCommand.class,
                HelpCommand.class,
        },
        footer = {"", "Results go to stdout; progress and logs to stderr. Exit codes: 0 ok, 1 failure, 2 usage error, "
                + "130 interrupted.",
                "Logging: -q warnings and errors only, -v debug; without either, a Logback configuration given "
                        + "with -Dlogback.configurationFile=FILE (JAVA_OPTS for the launcher) decides.",
                "Start with: scratchnet reproduce"})
final class ScratchnetCommand {

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Debug logging, and stack traces on errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Only results, warnings and errors: no progress bars, no informational log lines.")
    boolean quiet;

    /** Reads the version from the build's filtered resource, so it is right in the jar and in tests alike. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String commit = Provenance.gitCommit();
            return new String[] {"scratchnet " + Provenance.version() + (commit == null ? "" : " (git " + commit + ")"),
                    "JDK " + Runtime.version() + " ("
                            + System.getProperty("java.vendor", "?") + ")"};
        }
    }
}
