package org.scratchnet.core;

import java.io.IOException;

/**
 * A model or checkpoint file that cannot be read: truncated, corrupt (checksum), foreign (bad magic), from a future
 * format version, or with inconsistent contents. The message is one line that says what was expected and what was
 * found, prefixed with the file name when there is one.
 */
public final class ModelFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }
}
