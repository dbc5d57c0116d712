package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchnet.io.RegularFile;
import org.scratchnet.io.SpecialFiles;

/**
 * Output paths are checked before any work: an unwritable or special one fails at once with one line naming the path
 * the user gave (stdout empty: no epoch ran, no table printed), and a device node, a FIFO or a link to one is never
 * replaced. That holds for train, eval, reproduce and sweep (whole or one shard, any --jobs) and merge. Special
 * files are made with mknod and mkfifo in a temporary directory, never the real /dev/null.
 */
class OutputFilesTest {

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        data = SyntheticData.write(Files.createDirectory(tmp.resolve("data")), 300, 100, 7);
    }

    private static Cli.Result train(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data-dir", data.toString(), "--layers", "8",
                "--epochs", "1"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private static void failsBeforeTraining(Cli.Result r, String... fragments) {
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertEquals("", r.out(), () -> "stdout must be empty: no epoch may run\n" + r);
        for (String f : fragments) {
            assertTrue(r.errLines()[0].contains(f), () -> "expected '" + f + "' in " + r.errLines()[0]);
        }
        assertFalse(r.err().contains(".tmp"), () -> "names the user's path, not a temporary file\n" + r);
    }

    @Test
    void aDeviceNodeAFifoOrALinkToOneIsRefusedNeverReplaced() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("special"));
        Path node = dir.resolve("null");
        Path fifo = dir.resolve("fifo");
        assumeTrue(SpecialFiles.nullDevice(node), "mknod is not available (not root?)");
        assumeTrue(SpecialFiles.fifo(fifo), "mkfifo is not available");
        Path link = Files.createSymbolicLink(dir.resolve("link.snet"), node);
        failsBeforeTraining(train("--save", node.toString()), "--save " + node + ": expected a regular file or a "
                + "new file name, found a character device; it is not replaced");
        failsBeforeTraining(train("--history", fifo.toString()), "--history " + fifo, "found a FIFO");
        failsBeforeTraining(train("--save", link.toString()), "--save " + link, "found a character device");
        failsBeforeTraining(train("--checkpoint", node.toString()), "--checkpoint " + node);
        Path model = tmp.resolve("for-eval.snet");
        assertEquals(0, train("--save", model.toString()).code());
        Cli.Result eval = Cli.run("eval", "--model", model.toString(), "--data-dir", data.toString(), "--mistakes",
                node.toString());
        failsBeforeTraining(eval, "--mistakes " + node, "found a character device");
        failsBeforeTraining(Cli.run("eval", "--model", model.toString(), "--data-dir", data.toString(),
                "--confusion", model.toString()), "--confusion " + model + " is the --model file");
        assertEquals("a character device", RegularFile.kind(node));
        assertEquals("a FIFO", RegularFile.kind(fifo));
        assertTrue(Files.isSymbolicLink(link));
        Path out = Files.createDirectory(dir.resolve("results"));
        Files.createSymbolicLink(out.resolve("results.csv"), node);
        Cli.Result r = Cli.run("reproduce", "--data-dir", data.toString(), "--rows", "3", "--seeds", "1", "--epochs",
                "1", "--out", out.toString());
        failsBeforeTraining(r, "--out " + out.resolve("results.csv"), "found a character device");
        Cli.Result nodeOut = Cli.run("sweep", "--data-dir", data.toString(), "--layers", "8", "--epochs", "1",
                "--jobs", "2", "--out", node.toString());
        failsBeforeTraining(nodeOut, "--out " + node + ": expected a directory, found a character device");
        assertEquals("a character device", RegularFile.kind(node));
    }

    @Test
    void anUnwritableOutputFailsBeforeTheFirstEpochAndNothingIsWritten() throws Exception {
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        Path history = locked.resolve("h.csv");
        Path save = tmp.resolve("fine/m.snet");
        AutoCloseable undo = SpecialFiles.unwritable(locked);
        assumeTrue(undo != null, "cannot make a directory unwritable here");
        try (undo) {
            failsBeforeTraining(train("--save", save.toString(), "--history", history.toString()),
                    "--history: cannot write " + history);
            assertFalse(Files.exists(save), "nothing trained, nothing saved");
            Cli.Result r = Cli.run("reproduce", "--data-dir", data.toString(), "--rows", "3", "--seeds", "1",
                    "--epochs", "1", "--out", locked.toString());
            failsBeforeTraining(r, "--out: cannot write " + locked.resolve("results.md"));
            Cli.Result s = Cli.run("sweep", "--data-dir", data.toString(), "--layers", "8", "--epochs", "1", "--out",
                    locked.resolve("sub").toString());
            failsBeforeTraining(s, "--out " + locked.resolve("sub"));
        }
    }

    @Test
    void reproduceChecksTheFiguresItsRowsDrawAndAShardChecksOnlyItsTables() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("figures"));
        Path node = dir.resolve("null");
        assumeTrue(SpecialFiles.nullDevice(node), "mknod is not available (not root?)");
        Path out = Files.createDirectory(dir.resolve("out"));
        Path figure = Files.createSymbolicLink(out.resolve(MomentumFigures.BATCH_128), node);
        String[] rows23 = {"reproduce", "--data-dir", data.toString(), "--rows", "2,3", "--seeds", "1", "--epochs",
                "1", "--jobs", "2", "--out", out.toString()};
        failsBeforeTraining(Cli.run(rows23), "--out " + figure, "found a character device");
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(figure), files.toList(), "nothing written");
        }
        // a shard draws no figure, so the link there is none of its business
        String[] shard = java.util.Arrays.copyOf(rows23, rows23.length + 2);
        shard[rows23.length] = "--shard";
        shard[rows23.length + 1] = "1/2";
        Cli.Result r = Cli.run(shard);
        assertEquals(0, r.code(), r::toString);
        assertTrue(Files.isSymbolicLink(figure) && Files.isRegularFile(out.resolve("results.json")), r::toString);
        assertEquals("a character device", RegularFile.kind(node));
    }

    @Test
    void mergeChecksItsFilesBeforeWritingAndNeverWritesOverAShard() throws Exception {
        List<String> shards = new java.util.ArrayList<>();
        for (String s : List.of("1/2", "2/2")) {
            Path dir = tmp.resolve("shard-" + s.charAt(0));
            Cli.Result r = Cli.run("sweep", "--data-dir", data.toString(), "--layers", "8", "--lr", "0.05,0.1",
                    "--epochs", "1", "--shard", s, "--out", dir.toString());
            assertEquals(0, r.code(), r::toString);
            shards.add(dir.toString());
        }
        Path merged = Files.createDirectory(tmp.resolve("merged"));
        Path fifo = merged.resolve("sweep.csv");
        assumeTrue(SpecialFiles.fifo(fifo), "mkfifo is not available");
        failsBeforeTraining(merge(shards, merged), "--out " + fifo, "found a FIFO");
        assertFalse(Files.exists(merged.resolve("sweep.md")), "nothing written");
        Files.delete(fifo);

        // a link to a shard's results file would have the merge replace that shard's file
        Path shardJson = Path.of(shards.get(0), "sweep.json");
        byte[] before = Files.readAllBytes(shardJson);
        Path link = Files.createSymbolicLink(merged.resolve("sweep.json"), shardJson);
        failsBeforeTraining(merge(shards, merged), "--out " + link + " is a shard's results file");
        assertArrayEquals(before, Files.readAllBytes(shardJson));
        Files.delete(link);

        Path locked = Files.createDirectory(tmp.resolve("merge-locked"));
        AutoCloseable undo = SpecialFiles.unwritable(locked);
        assumeTrue(undo != null, "cannot make a directory unwritable here");
        try (undo) {
            failsBeforeTraining(merge(shards, locked), "--out: cannot write " + locked.resolve("sweep.md"));
        }
        Cli.Result ok = merge(shards, merged);
        assertEquals(0, ok.code(), ok::toString);
        assertEquals(ok.out(), Files.readString(merged.resolve("sweep.md")));
    }

    private static Cli.Result merge(List<String> shards, Path out) {
        List<String> args = new java.util.ArrayList<>(List.of("merge"));
        args.addAll(shards);
        args.addAll(List.of("--out", out.toString()));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void outputsMayNotNameEachOtherOrAnInput() throws IOException {
        Path same = tmp.resolve("same.out");
        failsBeforeTraining(train("--save", same.toString(), "--history", same.toString()),
                "--save and --history name the same file");
        Path images = data.resolve("train-images-idx3-ubyte");
        byte[] before = Files.readAllBytes(images);
        failsBeforeTraining(train("--save", images.toString()), "--save " + images + " is a data file");
        assertArrayEquals(before, Files.readAllBytes(images));
    }

    @Test
    void theModelIsWrittenAndTheTableStillPrintedWhenAnOutputIsOtherwiseFine() throws IOException {
        Path save = tmp.resolve("deep/er/m.snet");
        Path history = tmp.resolve("deep/er/h.csv");
        Cli.Result r = train("--save", save.toString(), "--history", history.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(Files.size(save) > 0 && Files.size(history) > 0);
        try (java.util.stream.Stream<Path> files = Files.list(save.getParent())) {
            assertEquals(2, files.count(), "no temporary file left");
        }
    }
}
