package org.scratchnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Device nodes, FIFOs and unwritable directories made inside a test's temporary directory (never the real
 * {@code /dev/null}), for the refusal tests. Each maker returns false where this machine cannot make one (no
 * {@code mknod}, not root), so the test can skip.
 */
final class SpecialFiles {

    private SpecialFiles() {
    }

    /** A character device with the numbers of /dev/zero (1, 5) at {@code path}. */
    static boolean zeroDevice(Path path) {
        return run("mknod", path.toString(), "c", "1", "5");
    }

    /** A character device with the numbers of /dev/null (1, 3) at {@code path}. */
    static boolean nullDevice(Path path) {
        return run("mknod", path.toString(), "c", "1", "3");
    }

    /** A FIFO at {@code path}. */
    static boolean fifo(Path path) {
        return run("mkfifo", path.toString());
    }

    /**
     * Makes {@code dir} a directory in which no file can be created, even by root (as root: {@code chattr +i}, the
     * immutable flag; otherwise mode r-x). Returns null where that is not possible; close the result to undo it.
     */
    static AutoCloseable unwritable(Path dir) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            if (!run("chattr", "+i", dir.toString())) {
                return null;
            }
        } else {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        AutoCloseable undo = () -> {
            if (root) {
                run("chattr", "-i", dir.toString());
            } else {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        };
        try { // really unwritable?
            Files.delete(Files.createFile(dir.resolve("probe")));
        } catch (IOException expected) {
            return undo;
        }
        try {
            undo.close();
        } catch (Exception e) {
            throw new IOException(e);
        }
        return null;
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
