package org.scratchnet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one file writer: atomic, forced to disk, never replacing anything but a regular file, errors naming the target.
 */
class AtomicFileTest {

    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private boolean posix() {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void contentAppearsOnlyAtCommitUnderAHiddenTemporaryName() throws IOException {
        Path target = dir.resolve("results.md");
        Files.writeString(target, "old\n");
        try (AtomicFile f = AtomicFile.create(target)) {
            f.stream().write("new\n".getBytes(StandardCharsets.UTF_8));
            f.stream().flush();
            List<String> during = listing();
            assertEquals(2, during.size(), during::toString);
            assertTrue(during.get(0).startsWith(".results.md." + ProcessHandle.current().pid() + "-")
                    && during.get(0).endsWith(".tmp"), during::toString);
            assertEquals("old\n", Files.readString(target), "readers see the old file until the commit");
            f.commit();
        }
        assertEquals("new\n", Files.readString(target));
        assertEquals(List.of("results.md"), listing(), "no temporary file is left behind");
    }

    @Test
    void withoutACommitTheOldFileStaysAndTheTemporaryGoes() throws IOException {
        Path target = dir.resolve("model.snet");
        Files.writeString(target, "good model");
        try (AtomicFile f = AtomicFile.create(target)) {
            f.stream().write(new byte[1000]);
        }
        assertEquals("good model", Files.readString(target));
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(target, out -> {
            out.write(1);
            throw new IOException("the writer failed");
        }));
        assertEquals("the writer failed", e.getMessage());
        assertEquals("good model", Files.readString(target));
        assertEquals(List.of("model.snet"), listing());
    }

    @Test
    void newFilesAreOrdinaryAndReplacedFilesKeepTheirMode() throws IOException {
        assumeTrue(posix(), "not a POSIX file system");
        Path fresh = dir.resolve("fresh.csv");
        AtomicFile.writeString(fresh, "a\n");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        AtomicFile.writeString(fresh, "b\n");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        Path secret = Files.writeString(dir.resolve("secret.snet"), "x");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        AtomicFile.writeString(secret, "y");
        assertEquals("y", Files.readString(secret));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    }

    @Test
    void aDeviceNodeAFifoAndLinksToThemAreRefusedNeverReplaced() throws IOException {
        Path device = dir.resolve("null");
        Path fifo = dir.resolve("pipe");
        assumeTrue(SpecialFiles.nullDevice(device), "mknod is not available (not root?)");
        assumeTrue(SpecialFiles.fifo(fifo), "mkfifo is not available");
        Path linkToDevice = Files.createSymbolicLink(dir.resolve("link"), device);
        for (Path target : List.of(device, fifo, linkToDevice)) {
            IOException write = assertThrows(IOException.class, () -> AtomicFile.writeString(target, "x"));
            IOException probe = assertThrows(IOException.class, () -> AtomicFile.checkWritable(target));
            for (IOException e : List.of(write, probe)) {
                assertTrue(e.getMessage().startsWith(target + ": expected a regular file or a new file name, found a "),
                        e.getMessage());
                assertTrue(e.getMessage().endsWith("; it is not replaced"), e.getMessage());
            }
        }
        assertEquals("a character device", RegularFile.kind(device), "the node is still a device");
        assertEquals("a FIFO", RegularFile.kind(fifo));
        assertTrue(Files.isSymbolicLink(linkToDevice));
        assertEquals(List.of("link", "null", "pipe"), listing());
    }

    @Test
    void aDirectoryAndALinkToNothingAreRefused() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        IOException e = assertThrows(IOException.class, () -> AtomicFile.writeString(sub, "x"));
        assertEquals(sub + ": expected a file name, found a directory", e.getMessage());
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        e = assertThrows(IOException.class, () -> AtomicFile.writeString(dangling, "x"));
        assertTrue(e.getMessage().contains("found a symbolic link to nothing"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("nowhere")));
    }

    @Test
    void aLinkToARegularFileIsFollowedAndKept() throws IOException {
        Path real = Files.writeString(dir.resolve("real.csv"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), real);
        AtomicFile.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }

    @Test
    void anUnwritableDirectoryIsFoundByTheProbeAndTheMessageNamesTheTarget() throws Exception {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Path target = locked.resolve("history.csv");
        AutoCloseable undo = SpecialFiles.unwritable(locked);
        assumeTrue(undo != null, "cannot make a directory unwritable here");
        try (undo) {
            IOException probe = assertThrows(IOException.class, () -> AtomicFile.checkWritable(target));
            assertTrue(probe.getMessage().startsWith("cannot write " + target + ": "), probe.getMessage());
            assertFalse(probe.getMessage().contains(".tmp"), "names the target, not a temporary file");
            IOException write = assertThrows(IOException.class, () -> AtomicFile.writeString(target, "x"));
            assertTrue(write.getMessage().startsWith("cannot write " + target + ": "), write.getMessage());
        }
        try (Stream<Path> s = Files.list(locked)) {
            assertEquals(0, s.count());
        }
        AtomicFile.checkWritable(target); // writable again: the probe passes and leaves nothing
        assertEquals(List.of("locked"), listing());
        IOException noDir = assertThrows(IOException.class,
                () -> AtomicFile.checkWritable(dir.resolve("missing/x.csv")));
        assertTrue(noDir.getMessage().startsWith("cannot write " + dir.resolve("missing/x.csv") + ": no directory"),
                noDir.getMessage());
    }

    @Test
    void leftoversOfAKilledWriterAreRemovedOnTheNextWrite() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        long me = ProcessHandle.current().pid();
        Path target = dir.resolve("m.snet");
        Path dead = Files.write(dir.resolve(".m.snet." + deadPid + "-1a2b.tmp"), new byte[10]);
        Path live = Files.write(dir.resolve(".m.snet." + me + "-3c4d.tmp"), new byte[10]);
        Path oldUnnamed = Files.write(dir.resolve(".m.snet.8127361823.tmp"), new byte[10]);
        Files.setLastModifiedTime(oldUnnamed, FileTime.from(Instant.now().minus(AtomicFile.LEFTOVER_AGE)
                .minusSeconds(60)));
        Path recentUnnamed = Files.write(dir.resolve(".m.snet.5555.tmp"), new byte[10]);
        Path otherTarget = Files.write(dir.resolve(".other.snet." + deadPid + "-1.tmp"), new byte[10]);
        AtomicFile.writeString(target, "model");
        List<String> after = new ArrayList<>(listing());
        assertFalse(after.contains(dead.getFileName().toString()), after::toString);
        assertFalse(after.contains(oldUnnamed.getFileName().toString()), after::toString);
        assertTrue(after.contains(live.getFileName().toString()), "a live writer's file stays");
        assertTrue(after.contains(recentUnnamed.getFileName().toString()), "a recent file of unknown owner stays");
        assertTrue(after.contains(otherTarget.getFileName().toString()), "other targets' files are not touched");
        assertArrayEquals("model".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
    }
}
