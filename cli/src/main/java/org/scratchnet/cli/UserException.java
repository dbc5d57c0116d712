package org.scratchnet.cli;

/**
 * A failure the user can fix (a missing file, a corrupt model, data that does not fit the network): its message is
 * printed as one line, {@code scratchnet: <message>}, and the process exits with 1. Usage mistakes (a bad flag or
 * value) are picocli {@code ParameterException}s instead, and exit with 2.
 */
final class UserException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
