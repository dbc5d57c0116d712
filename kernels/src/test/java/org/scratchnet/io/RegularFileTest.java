package org.scratchnet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers open regular files only: a FIFO would block forever, /dev/zero never ends. */
class RegularFileTest {

    @TempDir
    Path dir;

    @Test
    void opensRegularFilesAndLinksToThem() throws IOException {
        Path f = Files.write(dir.resolve("a.bin"), new byte[] {1, 2, 3});
        Path link = Files.createSymbolicLink(dir.resolve("link"), f);
        try (FileChannel ch = RegularFile.open(link)) {
            assertEquals(3, ch.size());
        }
        assertEquals("a regular file", RegularFile.kind(f));
    }

    @Test
    void refusesFifosDevicesDirectoriesAndNothingAtOnce() throws IOException {
        Path fifo = dir.resolve("fifo");
        Path zero = dir.resolve("zero");
        assumeTrue(SpecialFiles.fifo(fifo), "mkfifo is not available");
        assumeTrue(SpecialFiles.zeroDevice(zero), "mknod is not available (not root?)");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            RegularFile.NotRegularFileException e = assertThrows(RegularFile.NotRegularFileException.class,
                    () -> RegularFile.open(fifo));
            assertEquals(fifo + ": expected a regular file, found a FIFO", e.getMessage());
            e = assertThrows(RegularFile.NotRegularFileException.class, () -> RegularFile.open(zero));
            assertEquals(zero + ": expected a regular file, found a character device", e.getMessage());
        });
        RegularFile.NotRegularFileException d = assertThrows(RegularFile.NotRegularFileException.class,
                () -> RegularFile.requireRegular(dir, "a model file"));
        assertEquals(dir + ": expected a model file, found a directory", d.getMessage());
        assertThrows(NoSuchFileException.class, () -> RegularFile.open(dir.resolve("none")));
        assertEquals("nothing", RegularFile.kind(dir.resolve("none")));
    }
}
