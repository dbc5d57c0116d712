package org.scratchnet.mnist;

import java.io.IOException;

/**
 * The one exception the IDX reader, the dataset loader and the IDX writer throw for content that is not what they
 * accept: a wrong magic number or type code, a bad dimension, too few or too many bytes, a broken gzip stream,
 * image and label counts that differ, a label outside the class count.
 *
 * <p>It extends {@link IOException} so a caller that already handles I/O failures (a missing file, a permission
 * problem) handles malformed content in the same place. Its message is one line a user can read:
 * {@code <source>: expected <what was expected>, found <what was found>}, where the source is the file (or the name
 * given for in-memory bytes). The three parts are also available separately.
 */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String expected;
    private final String found;

    /**
     * @param source   the file or the name of the in-memory input
     * @param expected what the reader expected, e.g. {@code "magic 0x00000803 (unsigned-byte images, 3 dimensions)"}
     * @param found    what it found instead, e.g. {@code "0x00000801"}
     */
    public IdxFormatException(String source, String expected, String found) {
        super(source + ": expected " + expected + ", found " + found);
        this.source = source;
        this.expected = expected;
        this.found = found;
    }

    /**
     * Same as {@link #IdxFormatException(String, String, String)}, keeping the low-level cause (e.g. a ZipException).
     */
    public IdxFormatException(String source, String expected, String found, Throwable cause) {
        this(source, expected, found);
        initCause(cause);
    }

    /** The file (or input name) the problem was found in. */
    public String source() {
        return source;
    }

    /** What the reader expected. */
    public String expected() {
        return expected;
    }

    /** What it found instead. */
    public String found() {
        return found;
    }
}
