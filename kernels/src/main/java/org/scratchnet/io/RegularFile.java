package org.scratchnet.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens files for reading only when they are regular files, so that a reader never blocks on a FIFO, never reads
 * {@code /dev/zero} until memory runs out, and can compare the size a header declares with the size the file has
 * before it allocates anything. Symbolic links are followed; what they point to must be a regular file.
 */
public final class RegularFile {

    private RegularFile() {
    }

    /**
     * A file that is not a regular file where one was expected: a directory, a FIFO, a device node, a socket, a
     * symbolic link to nothing. The message is {@code <file>: expected a regular file, found <kind>}.
     */
    public static final class NotRegularFileException extends FileSystemException {
        private static final long serialVersionUID = 1L;

        /** What was found, e.g. {@code "a FIFO"}. */
        private final String kind;

        /**
         * A refusal: {@code <file>: expected <expected>, found <kind>}.
         *
         * @param file     the path as the user gave it
         * @param expected what was expected there, e.g. {@code "a model file"}
         * @param kind     what is there, as {@link RegularFile#kind} says it
         */
        public NotRegularFileException(String file, String expected, String kind) {
            this(file, expected, kind, "");
        }

        /**
         * A refusal with a remark after what was found: {@code <file>: expected <expected>, found <kind><remark>}.
         *
         * @param file     the path as the user gave it
         * @param expected what was expected there, e.g. {@code "a regular file or a new file name"}
         * @param kind     what is there, as {@link RegularFile#kind} says it
         * @param remark   appended to the message, e.g. {@code "; it is not replaced"}
         */
        public NotRegularFileException(String file, String expected, String kind, String remark) {
            super(file, null, "expected " + expected + ", found " + kind + remark);
            this.kind = kind;
        }

        /**
         * What was found.
         *
         * @return the kind, as {@link RegularFile#kind} says it, e.g. {@code "a FIFO"}
         */
        public String kind() {
            return kind;
        }

        @Override
        public String getMessage() {
            return getFile() + ": " + getReason();
        }
    }

    /**
     * Opens {@code file} for reading.
     *
     * @param file the file; a symbolic link is followed
     * @return a channel positioned at the start, whose {@code size()} is the file's
     * @throws NoSuchFileException     if there is nothing at that path
     * @throws NotRegularFileException if it is not a regular file (after following links)
     */
    public static FileChannel open(Path file) throws IOException {
        requireRegular(file, "a regular file");
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /**
     * Checks that {@code file} is a regular file (after following links).
     *
     * @param file     the path to check
     * @param expected what the caller wanted, for the message, e.g. {@code "a model file"}
     * @throws NoSuchFileException     if there is nothing at that path
     * @throws NotRegularFileException if it is something else
     */
    public static void requireRegular(Path file, String expected) throws IOException {
        String kind = kind(file);
        if (kind.equals(NOTHING)) {
            throw new NoSuchFileException(file.toString());
        }
        if (!kind.equals(REGULAR)) {
            throw new NotRegularFileException(file.toString(), expected, kind);
        }
    }

    static final String NOTHING = "nothing";
    static final String REGULAR = "a regular file";

    /**
     * What is at {@code path}, following links, in words: {@code "a regular file"}, {@code "a directory"},
     * {@code "a FIFO"}, {@code "a character device"}, {@code "a block device"}, {@code "a socket"},
     * {@code "a symbolic link to nothing"}, {@code "a special file"} (another kind, where the file system does not say
     * which), or {@code "nothing"}.
     *
     * @param path the path to look at; never opened, so a FIFO does not block
     * @return what is there, in words
     */
    public static String kind(Path path) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            try {
                attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return attrs.isSymbolicLink() ? "a symbolic link to nothing" : NOTHING;
            } catch (IOException none) {
                return NOTHING;
            }
        }
        if (attrs.isRegularFile()) {
            return REGULAR;
        }
        if (attrs.isDirectory()) {
            return "a directory";
        }
        try { // the file type bits of st_mode, where the JDK offers the "unix" view (Linux, macOS)
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return switch (mode & 0170000) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }
}
