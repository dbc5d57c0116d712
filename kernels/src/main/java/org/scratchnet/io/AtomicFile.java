package org.scratchnet.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way scratchnet writes a file, so that a reader never sees half of one and a crash never loses the old one.
 *
 * <ol>
 *   <li>The target is checked first: a directory, a FIFO, a device node, a socket or a symbolic link to one of them
 *       (or to nothing) is refused, never replaced. A symbolic link to a regular file is followed: the file it points
 *       to is replaced and the link stays.</li>
 *   <li>The content goes to a hidden temporary file beside the target, {@code .<name>.<pid>-<random>.tmp}.</li>
 *   <li>{@link #commit()} forces the content to the disk (fsync), renames the temporary file over the target
 *       (atomically where the file system can), then forces the directory so that the rename itself survives a
 *       crash. The result is an ordinary {@code rw-r--r--} file, or keeps the permissions of the file it replaces.</li>
 *   <li>Without a commit, {@link #close()} deletes the temporary file: a failed or refused write leaves the old file
 *       and nothing else.</li>
 * </ol>
 *
 * <p>Temporary files that a killed process left behind are removed the next time the same target is written: those
 * whose process is no longer alive, and any older than {@link #LEFTOVER_AGE}.
 *
 * <p>Every failure is an {@link IOException} whose message names the target as the caller gave it, never the
 * temporary file: {@code cannot write <target>: <reason>}, or {@code <target>: expected ..., found ...} for a target
 * of the wrong kind.
 */
public final class AtomicFile implements Closeable {

    /** What writes the content of a file. */
    public interface Content {
        /**
         * Writes the whole content.
         *
         * @param out where it goes (the temporary file); not to be closed here
         * @throws IOException if the content cannot be produced or written; the target is then left as it was
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * A temporary file older than this is a leftover whatever its process id says
     * (docs/decisions/0020-one-file-writer-in-kernels.md).
     */
    public static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    private static final Set<PosixFilePermission> ORDINARY = PosixFilePermissions.fromString("rw-r--r--");
    private static final long PID = ProcessHandle.current().pid();

    private final String target;
    private final Path destination;
    private final Path temporary;
    private final FileChannel channel;
    private final OutputStream out;
    private boolean committed;
    private boolean closed;

    private AtomicFile(String target, Path destination, Path temporary, FileChannel channel) {
        this.target = target;
        this.destination = destination;
        this.temporary = temporary;
        this.channel = channel;
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }

    /**
     * Starts writing {@code target}: checks it, removes leftovers of earlier runs, creates the temporary file. Write
     * to {@link #stream()}, then {@link #commit()}; close in a finally block (try-with-resources).
     *
     * @param target the file to write, as the user gave it (messages name it so)
     * @return the open file, whose content goes to its temporary file until {@link #commit()}
     * @throws IOException naming {@code target} if it is of the wrong kind or its directory cannot be written
     */
    public static AtomicFile create(Path target) throws IOException {
        Path destination = destination(target);
        removeLeftovers(destination);
        Path temporary = temporaryName(destination);
        FileChannel channel;
        try {
            channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw cannotWrite(target.toString(), destination, e);
        }
        return new AtomicFile(target.toString(), destination, temporary, channel);
    }

    /**
     * Writes the file with what {@code content} writes, atomically (see the class description).
     *
     * @param target  the file to write
     * @param content what writes its content
     * @throws IOException naming {@code target} if it is of the wrong kind, cannot be written, or {@code content}
     *                     fails; the old file, if any, is then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        try (AtomicFile file = create(target)) {
            content.writeTo(file.stream());
            file.commit();
        }
    }

    /**
     * Writes these bytes atomically.
     *
     * @param target the file to write
     * @param bytes  its whole content
     * @throws IOException naming {@code target} if it is of the wrong kind or cannot be written
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes this text as UTF-8 atomically.
     *
     * @param target the file to write
     * @param text   its whole content
     * @throws IOException naming {@code target} if it is of the wrong kind or cannot be written
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks, before any work, that {@link #write} could write {@code target}: the target is a regular file or
     * absent, its directory exists, and a file can be created there (one is created and deleted). Writes nothing
     * else.
     *
     * @param target the file that will be written
     * @throws IOException naming {@code target} if it could not be written
     */
    public static void checkWritable(Path target) throws IOException {
        Path destination = destination(target);
        if (Files.exists(destination) && !Files.isWritable(destination)) {
            throw new IOException("cannot write " + target + ": the file is read-only");
        }
        Path probe = temporaryName(destination);
        try {
            Files.newByteChannel(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw cannotWrite(target.toString(), destination, e);
        }
        Files.deleteIfExists(probe);
    }

    /**
     * Where the content goes: until {@link #commit()}, nowhere the target's readers look.
     *
     * @return the buffered stream into the temporary file; not to be closed (close this {@code AtomicFile})
     */
    public OutputStream stream() {
        return out;
    }

    /**
     * Forces the content to the disk, renames it over the target and forces the directory.
     *
     * @throws IOException naming the target if any step fails (the old file, if any, is then unchanged)
     */
    public void commit() throws IOException {
        if (committed || closed) {
            throw new IllegalStateException("already " + (committed ? "committed" : "closed") + ": " + target);
        }
        try {
            out.flush();
            channel.force(true);
            channel.close();
            if (Files.isSymbolicLink(destination) || Files.exists(destination, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isRegularFile(destination, LinkOption.NOFOLLOW_LINKS)) {
                // it changed since create(): still never replace anything but a regular file
                throw new RegularFile.NotRegularFileException(target, "a regular file or a new file name",
                        RegularFile.kind(destination), "; it is not replaced");
            }
            setPermissions();
            try {
                Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, destination, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (RegularFile.NotRegularFileException e) {
            throw e;
        } catch (IOException e) {
            throw cannotWrite(target, destination, e);
        }
        forceDirectory(destination.getParent());
    }

    /** Deletes the temporary file unless {@link #commit()} succeeded. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!committed) {
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * The absolute path the content will be renamed to: the target itself, or the regular file a symbolic link
     * points to.
     *
     * @throws IOException naming {@code target} if it is a directory, another non-regular file, a link to one, or a
     *                     link to nothing, or if its directory does not exist
     */
    static Path destination(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        String kind = RegularFile.kind(abs);
        if (kind.equals("a directory")) {
            throw new RegularFile.NotRegularFileException(target.toString(), "a file name", kind);
        }
        if (!kind.equals(RegularFile.NOTHING) && !kind.equals(RegularFile.REGULAR)) {
            throw new RegularFile.NotRegularFileException(target.toString(), "a regular file or a new file name",
                    kind, "; it is not replaced");
        }
        Path real = Files.isSymbolicLink(abs) ? abs.toRealPath() : abs;
        Path dir = real.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + target + ": "
                    + (dir != null && Files.exists(dir) ? dir + " is not a directory" : "no directory " + dir));
        }
        return real;
    }

    /**
     * Deletes the temporary files of earlier writes of {@code target} that a killed process left behind:
     * {@code .<name>.<pid>-<random>.tmp} whose process is gone, and {@code .<name>.<anything>.tmp} or
     * {@code .part} older than {@link #LEFTOVER_AGE}.
     *
     * @param target the file whose leftovers are deleted (they lie beside it)
     * @return how many were deleted
     */
    public static int removeLeftovers(Path target) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || abs.getFileName() == null) {
            return 0;
        }
        String prefix = "." + abs.getFileName() + ".";
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> isLeftover(p, prefix))) {
            for (Path f : files) {
                try {
                    if (Files.deleteIfExists(f)) {
                        removed++;
                    }
                } catch (IOException e) {
                    // someone else's, or gone: leave it
                }
            }
        } catch (IOException e) {
            // an unreadable directory: nothing to clean, and create() will say why it cannot write there
        }
        return removed;
    }

    /**
     * Whether {@code file}, named {@code prefix + middle + (".tmp" or ".part")}, is a dead process's temporary file.
     */
    static boolean isLeftover(Path file, String prefix) {
        String name = file.getFileName().toString();
        boolean suffix = name.endsWith(".tmp") || name.endsWith(".part");
        if (!name.startsWith(prefix) || !suffix || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        String middle = name.substring(prefix.length(), name.lastIndexOf('.'));
        int dash = middle.indexOf('-');
        if (dash > 0) {
            try {
                long pid = Long.parseLong(middle.substring(0, dash));
                if (pid != PID && ProcessHandle.of(pid).isEmpty()) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // not ours by name: only the age decides
            }
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
            return modified.toInstant().isBefore(Instant.now().minus(LEFTOVER_AGE));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path temporaryName(Path destination) {
        String name = destination.getFileName().toString();
        if (name.length() > 200) {
            name = name.substring(0, 200);
        }
        return destination.resolveSibling("." + name + "." + PID + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
    }

    private void setPermissions() throws IOException {
        try {
            Set<PosixFilePermission> perms = ORDINARY;
            if (Files.isRegularFile(destination)) {
                perms = Files.getPosixFilePermissions(destination);
            }
            Files.setPosixFilePermissions(temporary, perms);
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the ACL inherited from the directory already applies
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms (Windows) cannot open a directory; the rename is as durable as they make it
        }
    }

    private static IOException cannotWrite(String target, Path destination, IOException e) {
        String reason;
        if (e instanceof AccessDeniedException) {
            reason = "permission denied (directory " + destination.getParent() + ")";
        } else if (e instanceof NoSuchFileException) {
            reason = "no directory " + destination.getParent();
        } else if (e instanceof FileAlreadyExistsException) {
            reason = "a temporary file name was taken, try again";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason();
        } else {
            reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return new IOException("cannot write " + target + ": " + reason, e);
    }
}
