package org.scratchnet.mnist;

import java.io.IOException;

/**
 * A dataset could not be provided: an unknown name, a missing directory, or every source failed. The message is one
 * line saying what was expected and what was found, and what to do (e.g. which package to install); a command line
 * prints it as it is.
 */
public final class FetchException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message one readable line */
    public FetchException(String message) {
        super(message);
    }
}
