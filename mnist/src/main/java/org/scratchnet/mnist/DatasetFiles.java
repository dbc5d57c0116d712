package org.scratchnet.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scratchnet.io.RegularFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The four IDX files of an MNIST-style dataset (each raw or gzip).
 *
 * @param trainImages training images
 * @param trainLabels training labels
 * @param testImages  test images
 * @param testLabels  test labels
 */
public record DatasetFiles(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
    /** The standard file names, in the order train images, train labels, test images, test labels. */
    public static final List<String> NAMES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private static final Logger LOG = LoggerFactory.getLogger(DatasetFiles.class);

    /**
     * Finds the four files in a directory of the user's, under the standard names ({@link #NAMES}), each raw or
     * with {@code .gz}; the variant with a dot ({@code train-images.idx3-ubyte}) is accepted too. Checks only that
     * the files exist, not their content or checksum, so any MNIST-like data set works. Writes and deletes nothing:
     * a file that is missing is an error naming it. Where a file is there under two spellings (raw and {@code .gz})
     * whose contents differ, one warning line says which one is used.
     *
     * @throws FetchException if the directory or one of the files is missing
     */
    public static DatasetFiles inDirectory(Path dir) throws FetchException {
        checkDirectory(dir);
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : NAMES) {
            Path p = find(dir, name);
            if (p == null) {
                missing.add(name + "[.gz]" + notRegular(dir, name));
            }
            found.add(p);
        }
        if (!missing.isEmpty()) {
            throw new FetchException("expected " + String.join(", ", missing) + " in " + dir + ", found no such file");
        }
        for (String name : NAMES) {
            warnIfSpellingsDisagree(dir, name);
        }
        return new DatasetFiles(found.get(0), found.get(1), found.get(2), found.get(3));
    }

    /**
     * The file of one standard name in a directory of the user's (raw, {@code .gz} or dotted, as
     * {@link #inDirectory(Path)} accepts), e.g. only the test set for an evaluation. Reads and writes nothing else.
     *
     * @throws FetchException if the directory or the file is missing
     */
    public static Path inDirectory(Path dir, String name) throws FetchException {
        checkDirectory(dir);
        Path p = find(dir, name);
        if (p == null) {
            throw new FetchException("expected " + name + "[.gz]" + notRegular(dir, name) + " in " + dir
                    + ", found no such file");
        }
        warnIfSpellingsDisagree(dir, name);
        return p;
    }

    /** " (not a FIFO)" and the like when the plain name is there but is not a regular file; else "". */
    private static String notRegular(Path dir, String name) {
        String kind = RegularFile.kind(dir.resolve(name));
        return kind.equals("nothing") || kind.equals("a regular file") ? ""
                : " (" + name + " there is " + kind + ")";
    }

    private static void checkDirectory(Path dir) throws FetchException {
        if (!Files.isDirectory(dir)) {
            throw new FetchException("expected a directory of IDX files at " + dir + ", found "
                    + (Files.exists(dir) ? "a file" : "none"));
        }
    }

    private static void warnIfSpellingsDisagree(Path dir, String name) {
        String warning = disagreement(dir, name);
        if (warning != null) {
            LOG.warn(warning);
        }
    }

    /**
     * When {@code dir} holds this file under more than one spelling (say raw and {@code .gz}) and their
     * uncompressed contents differ, the warning to give (which one is used); else null. Stops reading at the first
     * difference.
     */
    static String disagreement(Path dir, String name) {
        Path used = find(dir, name);
        if (used == null) {
            return null;
        }
        for (Path other : spellings(dir, name)) {
            if (other.equals(used) || !Files.isRegularFile(other)) {
                continue;
            }
            boolean same;
            try {
                same = sameContent(used, other);
            } catch (IOException e) {
                same = false;
            }
            if (!same) {
                return dir.resolve(used.getFileName()) + " and " + other.getFileName()
                        + " hold different data; using " + used.getFileName();
            }
        }
        return null;
    }

    private static boolean sameContent(Path a, Path b) throws IOException {
        try (InputStream x = IdxReader.decompressing(Channels.newInputStream(RegularFile.open(a)));
             InputStream y = IdxReader.decompressing(Channels.newInputStream(RegularFile.open(b)))) {
            byte[] bx = new byte[1 << 16];
            byte[] by = new byte[1 << 16];
            while (true) {
                int nx = x.readNBytes(bx, 0, bx.length);
                int ny = y.readNBytes(by, 0, by.length);
                if (nx != ny || !Arrays.equals(bx, 0, nx, by, 0, ny)) {
                    return false;
                }
                if (nx < bx.length) {
                    return true;
                }
            }
        }
    }

    /** The file of this name in {@code dir}: raw, {@code .gz}, or the dotted variant of either; null if none. */
    static Path find(Path dir, String name) {
        for (Path p : spellings(dir, name)) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** The accepted spellings of a file name, in the order {@link #find} tries them. */
    private static List<Path> spellings(Path dir, String name) {
        String dotted = name.replace("-idx", ".idx");
        List<Path> out = new ArrayList<>();
        for (String candidate : List.of(name, name + ".gz", dotted, dotted + ".gz")) {
            out.add(dir.resolve(candidate));
        }
        return out;
    }

    /** The four paths in the order of {@link #NAMES}. */
    public List<Path> all() {
        return List.of(trainImages, trainLabels, testImages, testLabels);
    }

    /** Loads the training set ({@value Dataset#MNIST_CLASSES} classes). */
    public Dataset loadTrain() throws IOException {
        return Dataset.load(trainImages, trainLabels);
    }

    /** Loads the test set ({@value Dataset#MNIST_CLASSES} classes). */
    public Dataset loadTest() throws IOException {
        return Dataset.load(testImages, testLabels);
    }
}
