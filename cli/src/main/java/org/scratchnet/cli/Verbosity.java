package org.scratchnet.cli;

/**
 * How much a command says on stderr, from {@code -q/--quiet} and {@code -v/--verbose}: set by {@link Main} before the
 * command runs, read by whatever draws progress. Logging levels follow it in {@link Main}.
 */
enum Verbosity {
    /** Warnings and errors only: no progress bars, no informational log lines. */
    QUIET,
    /** The default: progress bars on a terminal, and whatever the logging configuration lets through. */
    NORMAL,
    /** Debug logging and stack traces on errors. */
    VERBOSE;

    private static volatile Verbosity current = NORMAL;

    /** The verbosity of the command running now. */
    static Verbosity current() {
        return current;
    }

    static void set(Verbosity verbosity) {
        current = verbosity;
    }
}
