package org.scratchnet.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.scratchnet.io.AtomicFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory the fetcher owns for one dataset (the default cache, {@code $SCRATCHNET_DATA/<dataset>}, or a
 * directory a program hands to {@link DatasetFetcher#fetch} as its cache), and the only place where the fetcher
 * writes or deletes anything. It holds the raw (uncompressed) IDX files.
 *
 * <p>{@link #store} is the one way a file gets in: the bytes a source offers are read through limits (the compressed
 * size and then the uncompressed size of the {@link KnownFile}; the first byte past either stops the transfer),
 * hashed while they are written with {@link AtomicFile}, and committed under the standard name only if the SHA-256
 * matches. {@link #verified} deletes a file under a standard name whose checksum does not match, so a corrupt file
 * never stays. {@link #removeLeftovers} deletes what a killed run left: temporary files and npm work directories of
 * processes that are gone.
 */
final class DatasetCache {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetCache.class);
    /** Prefix of the npm work directories made inside the cache: {@code .npm-<pid>-<random>}. */
    static final String NPM_DIR_PREFIX = ".npm-";

    private final Path dir;
    private final String dataset;
    private final DownloadProgress progress;
    private final Map<String, KnownFile> missing = new LinkedHashMap<>();

    DatasetCache(Path dir, String dataset, DownloadProgress progress) {
        this.dir = dir;
        this.dataset = dataset;
        this.progress = progress;
    }

    /** The directory. */
    Path dir() {
        return dir;
    }

    /** The dataset's name, e.g. {@code mnist}. */
    String dataset() {
        return dataset;
    }

    /** Where progress goes. */
    DownloadProgress progress() {
        return progress;
    }

    /** Files still missing, in the order they were added. */
    List<KnownFile> missing() {
        return new ArrayList<>(missing.values());
    }

    /** Whether {@code name} is still missing. */
    boolean isMissing(String name) {
        return missing.containsKey(name);
    }

    void addMissing(KnownFile file) {
        missing.put(file.name(), file);
    }

    /**
     * The verified copy of {@code file} already here, raw or under one of the other spellings
     * {@link DatasetFiles#find} accepts ({@code .gz}, dotted), or null. A copy whose checksum does not match is
     * deleted, with one warning line, and the next spelling is tried: a corrupt file never stays in the cache.
     */
    Path verified(KnownFile file) {
        Path found;
        while ((found = DatasetFiles.find(dir, file.name())) != null) {
            String actual;
            try {
                actual = Sha256.ofContent(found, file.size());
            } catch (IOException e) {
                actual = null;
            }
            if (file.sha256().equals(actual)) {
                return found;
            }
            LOG.warn("{}: expected SHA-256 {}{}, found {}; deleting it from the cache", found, file.sha256(),
                    found.getFileName().toString().endsWith(".gz") ? " of the uncompressed file" : "",
                    actual == null ? "an unreadable or oversized file" : actual);
            try {
                Files.deleteIfExists(found);
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", found, e.toString());
                return null;
            }
        }
        return null;
    }

    /**
     * Copies {@code source} (raw or gzip) into the cache as {@code file}, uncompressed, hashing what it writes;
     * commits it under the standard name if the SHA-256 matches, else deletes it. Reads at most
     * {@link KnownFile#maxTransferBytes()} from the source and writes at most {@link KnownFile#size()} bytes.
     *
     * @param source    the bytes as offered (the caller closes it)
     * @param announced the size the source announced (Content-Length, tar entry size, file size), or -1
     * @param origin    where they come from, for messages, e.g. a URL
     * @return true if the file is in place, false on a checksum mismatch (the caller records the attempt)
     * @throws IOException if the transfer failed or exceeded a limit; nothing is left behind
     */
    boolean store(InputStream source, long announced, KnownFile file, String origin) throws IOException {
        long maxIn = file.maxTransferBytes();
        if (announced > maxIn) {
            throw new BoundedInputStream.LimitExceededException(
                    "announces " + announced + " bytes, more than " + file.name() + " can take (its "
                            + file.size() + " bytes, at most " + maxIn + " compressed)");
        }
        MessageDigest md = Sha256.newDigest();
        long written = 0;
        progress.start(dataset + " " + file.name(), announced);
        try (AtomicFile out = AtomicFile.create(dir.resolve(file.name()))) {
            try (InputStream in = IdxReader.decompressing(new BoundedInputStream(source, maxIn,
                    "transferred data for " + file.name(), progress))) {
                OutputStream sink = out.stream();
                byte[] buf = new byte[1 << 16];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    written += n;
                    if (written > file.size()) {
                        throw new BoundedInputStream.LimitExceededException("expected " + file.size() + " bytes of "
                                + file.name() + ", found more; stopped there");
                    }
                    md.update(buf, 0, n);
                    sink.write(buf, 0, n);
                }
            }
            String actual = Sha256.hex(md.digest());
            if (written != file.size() || !actual.equals(file.sha256())) {
                LOG.warn("{} from {}: expected {} bytes with SHA-256 {}, found {} bytes with {}; deleted it",
                        file.name(), origin, file.size(), file.sha256(), written, actual);
                return false;
            }
            out.commit();
        } finally {
            progress.finish();
        }
        missing.remove(file.name());
        LOG.info("{} from {}: SHA-256 verified", file.name(), origin);
        return true;
    }

    /**
     * A fresh work directory for {@code npm pack} inside the cache, {@code .npm-<pid>-<random>}, so that a killed
     * run's leftovers are found by {@link #removeLeftovers}.
     */
    Path newNpmWorkDir() throws IOException {
        return Files.createDirectory(dir.resolve(NPM_DIR_PREFIX + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)));
    }

    /**
     * Deletes what earlier, killed runs left in the cache: temporary files of the standard names (see
     * {@link AtomicFile#removeLeftovers}; {@code .part} files of older versions too) and npm work directories whose
     * process is gone or that are older than {@link AtomicFile#LEFTOVER_AGE}. Writes nothing when there is nothing
     * to remove.
     */
    void removeLeftovers() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        int removed = 0;
        for (String name : DatasetFiles.NAMES) {
            removed += AtomicFile.removeLeftovers(dir.resolve(name));
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith(NPM_DIR_PREFIX) && isDeadWorkDir(p))) {
            for (Path d : dirs) {
                deleteRecursively(d);
                removed++;
            }
        } catch (IOException e) {
            LOG.debug("could not list {}: {}", dir, e.toString());
        }
        if (removed > 0) {
            LOG.info("removed {} leftover(s) of an interrupted fetch from {}", removed, dir);
        }
    }

    /** Whether {@code .npm-<pid>-<random>} belongs to a process that is gone, or is older than the leftover age. */
    static boolean isDeadWorkDir(Path d) {
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        String rest = d.getFileName().toString().substring(NPM_DIR_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            long pid = Long.parseLong(dash > 0 ? rest.substring(0, dash) : rest);
            if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                return true;
            }
        } catch (NumberFormatException e) {
            // not one of ours by name: only its age decides
        }
        try {
            return Files.getLastModifiedTime(d).toInstant().isBefore(Instant.now().minus(AtomicFile.LEFTOVER_AGE));
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes a directory tree, not following links; problems are logged at debug level. */
    static void deleteRecursively(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("could not delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", root, e.toString());
        }
    }
}
