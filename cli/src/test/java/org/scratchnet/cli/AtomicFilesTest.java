package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result files: written under a hidden temporary name, then renamed into an ordinary file others can read. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void temporaryFileIsHiddenAndResultIsReadableByOthers() throws IOException {
        Path target = dir.resolve("results.md");
        List<String> whileWriting = new ArrayList<>();
        AtomicFiles.write(target, out -> {
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> whileWriting.add(f.getFileName().toString()));
            }
            out.write("| a |\n".getBytes(StandardCharsets.UTF_8));
        });
        assertEquals(1, whileWriting.size(), whileWriting::toString);
        assertTrue(whileWriting.get(0).startsWith(".results.md."), whileWriting::toString);
        assertEquals("| a |\n", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "no temporary file is left behind");
        }
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "not a POSIX file system");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        // replacing an existing file gives the same mode
        AtomicFiles.writeString(target, "| b |\n");
        assertEquals("| b |\n", Files.readString(target));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }
}
