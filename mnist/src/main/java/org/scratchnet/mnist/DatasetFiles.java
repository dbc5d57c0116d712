package org.scratchnet.mnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Finds the four files in a directory of the user's, under the standard names ({@link #NAMES}), each raw or
     * with {@code .gz}; the variant with a dot ({@code train-images.idx3-ubyte}) is accepted too. Checks only that
     * the files exist, not their content or checksum, so any MNIST-like data set works.
     *
     * @throws FetchException if the directory or one of the files is missing
     */
    public static DatasetFiles inDirectory(Path dir) throws FetchException {
        if (!Files.isDirectory(dir)) {
            throw new FetchException("expected a directory of IDX files at " + dir + ", found none");
        }
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : NAMES) {
            Path p = find(dir, name);
            if (p == null) {
                missing.add(name + "[.gz]");
            }
            found.add(p);
        }
        if (!missing.isEmpty()) {
            throw new FetchException("expected " + String.join(", ", missing) + " in " + dir + ", found no such file");
        }
        return new DatasetFiles(found.get(0), found.get(1), found.get(2), found.get(3));
    }

    /** The file of this name in {@code dir}: raw, {@code .gz}, or the dotted variant of either; null if none. */
    static Path find(Path dir, String name) {
        String dotted = name.replace("-idx", ".idx");
        for (String candidate : List.of(name, name + ".gz", dotted, dotted + ".gz")) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
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
