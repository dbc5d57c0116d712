package org.scratchnet.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scratchnet.io.RegularFile;

/**
 * Fashion-MNIST from Debian's package {@code dataset-fashion-mnist}, which installs the four gzip IDX files in
 * {@value #DIR}: they are copied (uncompressed, bounded and verified by {@link DatasetCache#store}) into the cache.
 */
final class DebianSource implements DatasetSource {

    /** Where Debian's {@code dataset-fashion-mnist} puts its gzip IDX files. */
    static final String DIR = "/usr/share/datasets/fashion-mnist";

    private final Path dir;

    /** @param dir the package's directory ({@value #DIR}, or another in tests) */
    DebianSource(Path dir) {
        this.dir = dir;
    }

    @Override
    public void fetchInto(DatasetCache cache, List<String> attempts) {
        if (cache.missing().isEmpty()) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            attempts.add(dir + ": not found (install Debian's package: sudo apt-get install dataset-fashion-mnist)");
            return;
        }
        for (KnownFile file : cache.missing()) {
            Path src = DatasetFiles.find(dir, file.name());
            if (src == null) {
                attempts.add(dir + ": expected " + file.name() + ".gz, found no such file");
                continue;
            }
            try (FileChannel ch = RegularFile.open(src); InputStream in = Channels.newInputStream(ch)) {
                if (!cache.store(in, ch.size(), file, src.toString())) {
                    attempts.add(src + ": checksum mismatch");
                }
            } catch (IOException e) {
                attempts.add(src + ": " + DatasetFetcher.describe(e));
            }
        }
    }
}
