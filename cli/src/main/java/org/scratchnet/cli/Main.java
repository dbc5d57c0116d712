package org.scratchnet.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.scratchnet.core.ModelFormatException;
import org.scratchnet.io.RegularFile;
import org.scratchnet.mnist.FetchException;
import org.scratchnet.mnist.IdxFormatException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the runnable jar: builds the picocli command line, runs one command, exits with its code.
 *
 * <p>Exit codes: 0 success; 2 a usage mistake (unknown flag, bad value: one line on stderr naming it); 1 any other
 * failure (missing or malformed data, corrupt model: one line {@code scratchnet: <message>}); 130 training interrupted
 * by Ctrl-C (after the checkpoint was written). Stack traces only with {@code --verbose}.
 */
public final class Main {

    /** Exit code of a usage mistake. */
    public static final int EXIT_USAGE = 2;
    /** Exit code of any other failure. */
    public static final int EXIT_FAILURE = 1;

    private Main() {
    }

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the command line, e.g. {@code train --epochs 5}
     */
    public static void main(String[] args) {
        int code = execute(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
        System.exit(code);
    }

    /**
     * Runs one command line, results to {@code out} and messages to {@code err}.
     *
     * @param out  where results go
     * @param err  where usage errors and failures go
     * @param args the command line
     * @return the exit code
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        try {
            return commandLine(out, err).execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the handlers; this Error is the one a user can fix
            err.println("scratchnet: " + describe(e));
            err.flush();
            return EXIT_FAILURE;
        }
    }

    /**
     * The configured picocli command line: handlers for both kinds of error; before a command runs, the verbosity from
     * {@code -q} / {@code -v} and the logging level that goes with it.
     *
     * @param out where results go
     * @param err where usage errors and failures go
     * @return the command line, ready to {@code execute}
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ScratchnetCommand());
        for (CommandLine sub : cl.getSubcommands().values()) { // "train --version" too, not only "--version"
            sub.getCommandSpec().versionProvider(new ScratchnetCommand.Version());
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler(Main::handleUsageError);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> handleFailure(ex, cmd, isVerbose(parseResult)));
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            Verbosity verbosity = verbosity(parseResult);
            Verbosity.set(verbosity);
            applyLogLevel(verbosity);
            return runLast.execute(parseResult);
        });
        return cl;
    }

    private static int handleUsageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        err.println(name + ": " + message + "; see '" + name + " --help'");
        if (isVerbose(cmd.getParseResult())) {
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_USAGE;
    }

    static int handleFailure(Exception ex, CommandLine cmd, boolean verbose) {
        PrintWriter err = cmd.getErr();
        if (verbose) {
            ex.printStackTrace(err);
        }
        String hint = verbose || isExplained(ex) ? "" : " (run with --verbose for details)";
        err.println("scratchnet: " + describe(ex) + hint);
        err.flush();
        return EXIT_FAILURE;
    }

    /** Failures whose message already says all a user needs: no hint about --verbose. */
    private static boolean isExplained(Throwable ex) {
        return ex instanceof UserException || ex instanceof FetchException || ex instanceof IdxFormatException
                || ex instanceof ModelFormatException || ex instanceof NoSuchFileException
                || ex instanceof RegularFile.NotRegularFileException;
    }

    /** One line that says what went wrong, for any exception a command may throw. */
    static String describe(Throwable ex) {
        Throwable t = ex;
        if (t instanceof UncheckedIOException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NoSuchFileException e) {
            return "file not found: " + e.getFile();
        }
        if (t instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (t instanceof NotDirectoryException e) {
            return "not a directory: " + e.getFile();
        }
        if (t instanceof FileAlreadyExistsException e) {
            return "already exists: " + e.getFile();
        }
        if (t instanceof OutOfMemoryError) {
            return outOfMemory(Runtime.getRuntime().maxMemory());
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        if (t instanceof UserException) {
            return message;
        }
        if (t instanceof java.nio.file.FileSystemException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : t.getClass().getSimpleName());
        }
        if (t instanceof IOException && message.equals(t.getCause() == null ? null : t.getCause().toString())) {
            return "I/O error: " + message;
        }
        return message;
    }

    /**
     * The out-of-memory line for a JVM whose heap may grow to {@code maxHeap} bytes: that limit, and a limit twice as
     * large as the way to raise it (never a fixed size, which may be below the one in force).
     */
    static String outOfMemory(long maxHeap) {
        double gib = maxHeap / (1024.0 * 1024 * 1024);
        return String.format(java.util.Locale.ROOT, "out of memory: this JVM's heap may grow to %.1f GiB; give it "
                + "more with JAVA_OPTS=-Xmx%dg (for the ./scratchnet launcher)", gib, (long) Math.ceil(2 * gib));
    }

    static boolean isVerbose(ParseResult parseResult) {
        return hasOption(parseResult, "--verbose");
    }

    private static boolean hasOption(ParseResult parseResult, String name) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code -q} or {@code -v} (not both: a usage error), anywhere on the command line. */
    static Verbosity verbosity(ParseResult parseResult) {
        boolean verbose = isVerbose(parseResult);
        boolean quiet = hasOption(parseResult, "--quiet");
        if (verbose && quiet) {
            CommandLine cmd = parseResult.subcommand() != null ? parseResult.subcommand().commandSpec().commandLine()
                    : parseResult.commandSpec().commandLine();
            throw new ParameterException(cmd, "-q/--quiet and -v/--verbose cannot be used together");
        }
        return quiet ? Verbosity.QUIET : verbose ? Verbosity.VERBOSE : Verbosity.NORMAL;
    }

    /** The root logger's level as the Logback configuration set it, before any command changed it. */
    private static Level configuredRootLevel;

    /**
     * {@code -q} sets the root logger to WARN and {@code -v} to DEBUG. Without either the configured level stands:
     * the bundled logback.xml's INFO, or whatever a configuration given with {@code -Dlogback.configurationFile} says.
     */
    private static synchronized void applyLogLevel(Verbosity verbosity) {
        if (!(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)) {
            return; // another SLF4J provider: its own configuration rules
        }
        if (configuredRootLevel == null) {
            configuredRootLevel = root.getLevel() != null ? root.getLevel() : Level.DEBUG;
        }
        root.setLevel(switch (verbosity) {
            case QUIET -> Level.WARN;
            case VERBOSE -> Level.DEBUG;
            case NORMAL -> configuredRootLevel;
        });
    }
}
