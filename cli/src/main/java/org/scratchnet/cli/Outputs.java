package org.scratchnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scratchnet.io.AtomicFile;
import org.scratchnet.io.RegularFile;

/**
 * The files a command will write, checked before any work starts, so that a wrong or unwritable path fails at once
 * and not after hours of training: each one's directory is made and a file is created and deleted there; a target that
 * is a directory, a device node, a FIFO or a link to one is refused (see {@link AtomicFile}); two outputs may not
 * name the same file, and no output may name one of the command's inputs (its data files, the checkpoint it resumes).
 * Every error is one line that starts with the option and the path the user gave.
 */
final class Outputs {

    private record Output(String option, Path path) {
    }

    private final List<Output> outputs = new ArrayList<>();

    /** Adds an output file, given by {@code option} ({@code null} path: not given, ignored). */
    Outputs file(String option, Path path) {
        if (path != null) {
            outputs.add(new Output(option, path));
        }
        return this;
    }

    /**
     * Checks every output: not a directory, not a special file, its directory made and writable, no two the same.
     *
     * @throws UserException naming the option and the path of the first that fails
     */
    void check() {
        for (Output o : outputs) {
            if (Files.isDirectory(o.path())) {
                throw new UserException(o.option() + " " + o.path() + ": expected a file name, found a directory");
            }
            Path parent = o.path().toAbsolutePath().getParent();
            try {
                if (parent != null && !Files.isDirectory(parent)) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new UserException(o.option() + " " + o.path() + ": cannot make its directory "
                        + parent + " (" + Main.describe(e) + ")", e);
            }
            try {
                AtomicFile.checkWritable(o.path());
            } catch (IOException e) {
                throw failure(o.option(), o.path(), e);
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            for (int j = i + 1; j < outputs.size(); j++) {
                if (same(outputs.get(i).path(), outputs.get(j).path())) {
                    throw new UserException(outputs.get(i).option() + " and " + outputs.get(j).option()
                            + " name the same file, " + outputs.get(i).path() + ": give each its own");
                }
            }
        }
    }

    /**
     * Refuses an output that is one of the command's inputs, which it would replace.
     *
     * @param what   the input in words, e.g. {@code "a data file"}
     * @param inputs the input paths
     */
    void checkNotAnyOf(String what, List<Path> inputs) {
        for (Output o : outputs) {
            for (Path in : inputs) {
                if (in != null && same(o.path(), in)) {
                    throw new UserException(o.option() + " " + o.path() + " is " + what + " (" + in
                            + "); writing it would replace it: choose another name");
                }
            }
        }
    }

    /** The option and the path, then what the writer said (which names the path too). */
    static UserException failure(String option, Path path, IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new UserException(m.startsWith(path.toString()) ? option + " " + m : option + ": " + m, e);
    }

    /** Makes an output directory before any work; a file, a device node or a FIFO in its place is refused. */
    static void createDirectory(Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserException(option + " " + dir + ": expected a directory, found "
                    + (Files.isRegularFile(dir) ? "a file" : RegularFile.kind(dir)));
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserException(option + " " + dir + ": cannot make it (" + Main.describe(e) + ")", e);
        }
    }

    private static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall back to the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
