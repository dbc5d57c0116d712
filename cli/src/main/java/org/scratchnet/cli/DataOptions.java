package org.scratchnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scratchnet.mnist.Dataset;
import org.scratchnet.mnist.DatasetFetcher;
import org.scratchnet.mnist.DatasetFiles;
import org.scratchnet.mnist.Sha256;
import picocli.CommandLine.Option;

/**
 * {@code --dataset mnist|fashion} and {@code --data-dir DIR}: which data set, and where its four IDX files are.
 *
 * <p>Without {@code --data-dir} the data set is fetched into scratchnet's own cache
 * ({@code $SCRATCHNET_DATA/<dataset>}, {@code $XDG_CACHE_HOME/scratchnet/<dataset>} or
 * {@code ~/.cache/scratchnet/<dataset>}) and verified by SHA-256 (see the mnist module's {@link DatasetFetcher}): the
 * only directory scratchnet writes to or deletes from. A {@code --data-dir} is the user's own and read-only: its files
 * are used as they are (any MNIST-like data works), nothing is fetched, written or deleted there, and a missing file is
 * one line naming it.
 */
final class DataOptions {

    /** The data sets the fetcher knows. */
    enum DatasetName { mnist, fashion }

    @Option(names = "--dataset", paramLabel = "mnist|fashion", defaultValue = "mnist",
            description = "Data set: mnist (digits) or fashion (Fashion-MNIST) (default: ${DEFAULT-VALUE}).")
    DatasetName dataset = DatasetName.mnist;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of your own four IDX files, read as they are and never written to (any "
                    + "MNIST-like data). Without it the data set is fetched, verified, into "
                    + "$SCRATCHNET_DATA/<dataset>, $XDG_CACHE_HOME/scratchnet/<dataset> or "
                    + "~/.cache/scratchnet/<dataset>.")
    Path dataDir;

    /** The training and test sets, and the files they came from. */
    record Loaded(String name, DatasetFiles files, Dataset train, Dataset test) {

        /** The data's name and sizes, as a plan records them. */
        Plan.Data shape() {
            return new Plan.Data(name, train.pixelsPerImage(), train.classes(), train.size(), test.size());
        }
    }

    /** The data set's four files: the user's, as they are, or fetched and verified into the cache. */
    DatasetFiles files() throws IOException {
        if (dataDir != null) {
            checkDataDir();
            return DatasetFiles.inDirectory(dataDir);
        }
        return new DatasetFetcher().withProgress(ConsoleDownloadProgress.forTerminal()).fetch(dataset.name(), null);
    }

    private void checkDataDir() {
        if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new UserException("--data-dir " + dataDir + ": expected a directory, found a file");
        }
        if (!Files.exists(dataDir)) {
            throw new UserException("--data-dir " + dataDir + ": expected a directory of IDX files, found none");
        }
    }

    /** Fetches if needed, then loads both sets. */
    Loaded load() throws IOException {
        DatasetFiles files = files();
        return new Loaded(dataset.name(), files, files.loadTrain(), files.loadTest());
    }

    /**
     * Only the test set (for {@code eval}): from a {@code --data-dir}, only its two test files are looked for and
     * read; otherwise the data set is fetched if needed.
     */
    Dataset loadTest() throws IOException {
        if (dataDir != null) {
            checkDataDir();
            return Dataset.load(DatasetFiles.inDirectory(dataDir, DatasetFiles.NAMES.get(2)),
                    DatasetFiles.inDirectory(dataDir, DatasetFiles.NAMES.get(3)));
        }
        return files().loadTest();
    }

    /**
     * What a run is trained on, as a checkpoint records it: the SHA-256 of the uncompressed training images and
     * labels, one line each ({@code train-images-idx3-ubyte <hex>}), the same numbers whatever their spelling (raw or
     * gzip) and, for MNIST, the published checksums.
     */
    static String trainingData(DatasetFiles files) throws IOException {
        return DatasetFiles.NAMES.get(0) + " " + Sha256.ofContent(files.trainImages()) + "\n"
                + DatasetFiles.NAMES.get(1) + " " + Sha256.ofContent(files.trainLabels());
    }

    /** Where the data would be cached by default, and whether MNIST is there, for {@code info}. */
    static String defaultCacheDescription() {
        Path dir = DatasetFetcher.defaultCacheDir("mnist");
        boolean present = Files.isDirectory(dir);
        return dir.getParent() + (present ? " (mnist present)" : " (mnist not fetched yet: scratchnet fetch)");
    }
}
