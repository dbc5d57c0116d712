package org.scratchnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scratchnet.mnist.Dataset;
import org.scratchnet.mnist.DatasetFetcher;
import org.scratchnet.mnist.DatasetFiles;
import org.scratchnet.mnist.DownloadProgress;
import picocli.CommandLine.Option;

/**
 * {@code --dataset mnist|fashion} and {@code --data-dir DIR}: which data set, and where its four IDX files are or
 * should be fetched to (default: {@code $SCRATCHNET_DATA/<dataset>}, {@code $XDG_CACHE_HOME/scratchnet/<dataset>} or
 * {@code ~/.cache/scratchnet/<dataset>}).
 * Fetched files are verified by SHA-256 (see the mnist module's {@link DatasetFetcher}); a --data-dir that already
 * holds all four files is used as it is, so one's own MNIST-like data (other sizes, other images) works too.
 */
final class DataOptions {

    /** The data sets the fetcher knows. */
    enum DatasetName { mnist, fashion }

    @Option(names = "--dataset", paramLabel = "mnist|fashion", defaultValue = "mnist",
            description = "Data set: mnist (digits) or fashion (Fashion-MNIST) (default: ${DEFAULT-VALUE}).")
    DatasetName dataset = DatasetName.mnist;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of the four IDX files, used as they are (any MNIST-like data); "
                    + "fetched and verified there if missing "
                    + "(default: $SCRATCHNET_DATA/<dataset>, $XDG_CACHE_HOME/scratchnet/<dataset> or "
                    + "~/.cache/scratchnet/<dataset>).")
    Path dataDir;

    /** The training and test sets, and the files they came from. */
    record Loaded(String name, DatasetFiles files, Dataset train, Dataset test) {

        /** The data's name and sizes, as a plan records them. */
        Plan.Data shape() {
            return new Plan.Data(name, train.pixelsPerImage(), train.classes(), train.size(), test.size());
        }
    }

    /** The data set's four files, fetched and verified if needed. */
    DatasetFiles files() throws IOException {
        if (dataDir != null && Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
            throw new UserException("--data-dir " + dataDir + ": expected a directory, found a file");
        }
        if (dataDir != null && complete(dataDir)) {
            // the user's own files (or an earlier fetch): used as they are, any MNIST-like data set works
            return DatasetFiles.inDirectory(dataDir);
        }
        DatasetFetcher fetcher = new DatasetFetcher().withProgress(
                TrainingProgress.progressBarWanted() ? DownloadProgress.console() : DownloadProgress.NONE);
        return fetcher.fetch(dataset.name(), dataDir);
    }

    private static boolean complete(Path dir) {
        try {
            DatasetFiles.inDirectory(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fetches if needed, then loads both sets. */
    Loaded load() throws IOException {
        DatasetFiles files = files();
        return new Loaded(dataset.name(), files, files.loadTrain(), files.loadTest());
    }

    /** Fetches if needed, then loads only the test set (for {@code eval}, which has no use for the training set). */
    Dataset loadTest() throws IOException {
        return files().loadTest();
    }

    /** Where the data would be cached by default, and whether MNIST is there, for {@code info}. */
    static String defaultCacheDescription() {
        Path dir = DatasetFetcher.defaultCacheDir("mnist");
        boolean present = Files.isDirectory(dir);
        return dir.getParent() + (present ? " (mnist present)" : " (mnist not fetched yet: scratchnet fetch)");
    }
}
