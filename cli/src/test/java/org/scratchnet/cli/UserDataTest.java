package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchnet.mnist.Sha256;

/**
 * A {@code --data-dir} is the user's and read-only: every file in it is byte-identical, with the same modification
 * time, before and after every command and every failure, and no file appears or disappears. (Before, a directory
 * missing one file was treated as the fetcher's cache: the files that did not match MNIST's checksums were deleted.)
 */
class UserDataTest {

    @TempDir
    static Path tmp;

    static Path model;

    @BeforeAll
    static void trainAModel() throws IOException {
        Path data = SyntheticData.write(Files.createDirectory(tmp.resolve("model-data")), 300, 100, 4);
        model = tmp.resolve("m.snet");
        Cli.Result r = Cli.run("train", "--data-dir", data.toString(), "--layers", "8", "--epochs", "1", "--save",
                model.toString());
        assertEquals(0, r.code(), r::toString);
    }

    /** Name, size, modification time and SHA-256 of every file under {@code dir}. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String key = dir.relativize(p).toString();
                m.put(key, Files.isDirectory(p) ? "dir" : Files.size(p) + " " + Files.getLastModifiedTime(p) + " "
                        + Sha256.of(Files.readAllBytes(p)));
            }
        }
        return m;
    }

    private static Path own(String name, int train, int test) throws IOException {
        Path dir = SyntheticData.write(Files.createDirectories(tmp.resolve(name)), train, test, 9);
        Files.writeString(dir.resolve("notes.txt"), "my own data\n");
        return dir;
    }

    /** Runs the command and checks the directory is untouched; returns the result. */
    private static Cli.Result untouched(Path dir, String... args) throws IOException {
        Map<String, String> before = snapshot(dir);
        Cli.Result r = Cli.run(args);
        assertEquals(before, snapshot(dir), () -> "the user's directory changed under: " + String.join(" ", args)
                + "\n" + r);
        return r;
    }

    @Test
    void aDirectoryMissingOneFileIsAOneLineErrorNamingItAndIsLeftAlone() throws IOException {
        Path dir = own("missing-one", 300, 100);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        for (String[] args : List.of(
                new String[] {"train", "--data-dir", dir.toString(), "--layers", "8", "--epochs", "1"},
                new String[] {"eval", "--model", model.toString(), "--data-dir", dir.toString()},
                new String[] {"fetch", "--data-dir", dir.toString()},
                new String[] {"sweep", "--data-dir", dir.toString(), "--layers", "8", "--epochs", "1", "--out",
                        tmp.resolve("sweep-out").toString()},
                new String[] {"reproduce", "--data-dir", dir.toString(), "--rows", "3", "--seeds", "1", "--epochs",
                        "1", "--out", tmp.resolve("reproduce-out").toString()})) {
            Cli.Result r = untouched(dir, args);
            assertEquals(1, r.code(), r::toString);
            assertEquals(1, r.errLines().length, r::toString);
            assertEquals("scratchnet: expected t10k-labels-idx1-ubyte[.gz] in " + dir + ", found no such file",
                    r.errLines()[0], r::toString);
        }
    }

    @Test
    void aDirectoryWithOnlyATestSetServesEvalAndIsLeftAlone() throws IOException {
        Path dir = own("test-only", 300, 100);
        Files.delete(dir.resolve("train-images-idx3-ubyte"));
        Files.delete(dir.resolve("train-labels-idx1-ubyte"));
        Cli.Result ev = untouched(dir, "eval", "--model", model.toString(), "--data-dir", dir.toString());
        assertEquals(0, ev.code(), ev::toString);
        assertTrue(ev.out().contains("(100 images)"), ev::toString);
        Cli.Result train = untouched(dir, "train", "--data-dir", dir.toString(), "--epochs", "1");
        assertEquals(1, train.code(), train::toString);
        assertTrue(train.err().contains("train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz] in " + dir),
                train::toString);
    }

    @Test
    void ownDataAndMalformedDataAreReadAsTheyAreAndLeftAlone() throws IOException {
        Path dir = own("complete", 300, 100);
        Cli.Result fetch = untouched(dir, "fetch", "--data-dir", dir.toString());
        assertEquals(0, fetch.code(), fetch::toString);
        assertTrue(fetch.out().contains("train-images-idx3-ubyte") && fetch.out().contains(
                "not the published mnist (SHA-256 differs)"), fetch::toString);
        Cli.Result train = untouched(dir, "train", "--data-dir", dir.toString(), "--layers", "8", "--epochs", "1");
        assertEquals(0, train.code(), train::toString);
        Cli.Result jobs = untouched(dir, "sweep", "--data-dir", dir.toString(), "--layers", "8", "--lr", "0.05,0.1",
                "--epochs", "1", "--jobs", "2", "--shard", "1/2", "--out", tmp.resolve("own-shard").toString());
        assertEquals(0, jobs.code(), jobs::toString);
        Files.writeString(dir.resolve("t10k-images-idx3-ubyte"), "not IDX");
        Cli.Result bad = untouched(dir, "eval", "--model", model.toString(), "--data-dir", dir.toString());
        assertEquals(1, bad.code(), bad::toString);
        assertTrue(bad.err().contains(dir.resolve("t10k-images-idx3-ubyte").toString()), bad::toString);
        Cli.Result none = Cli.run("train", "--data-dir", tmp.resolve("no-such-dir").toString());
        assertEquals(1, none.code(), none::toString);
        assertTrue(none.err().contains("expected a directory of IDX files, found none"), none::toString);
        assertFalse(Files.exists(tmp.resolve("no-such-dir")), "a missing --data-dir is not created");
    }
}
