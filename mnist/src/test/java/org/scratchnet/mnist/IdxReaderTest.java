package org.scratchnet.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchnet.mnist.IdxFixtures.concat;
import static org.scratchnet.mnist.IdxFixtures.gzip;
import static org.scratchnet.mnist.IdxFixtures.header;
import static org.scratchnet.mnist.IdxFixtures.random;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchnet.io.SpecialFiles;

class IdxReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    /** Reads expecting failure, and checks that the message names the file and says expected/found. */
    private IdxFormatException refused(Path p, int rank, String... fragments) {
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(p, rank));
        String m = e.getMessage();
        assertTrue(m.startsWith(p + ": expected "), m);
        assertTrue(m.contains(", found "), m);
        assertEquals(p.toString(), e.source());
        for (String f : fragments) {
            assertTrue(m.contains(f), "message lacks '" + f + "': " + m);
        }
        assertEquals(-1, m.indexOf('\n'), "one line: " + m);
        return e;
    }

    @Test
    void readsRawImagesWithTheirDimensionsAndBytes() throws IOException {
        byte[] pixels = random(1, 3 * 4 * 5);
        Path p = file("img", concat(header(8, 3, 3, 4, 5), pixels));
        IdxTensor t = IdxReader.readImages(p);
        assertArrayEquals(new int[] {3, 4, 5}, t.dims());
        assertEquals(3, t.count());
        assertEquals(20, t.itemSize());
        assertArrayEquals(pixels, t.data());
    }

    @Test
    void readsGzipDetectedFromTheBytesNotTheName() throws IOException {
        byte[] raw = concat(header(8, 1, 7), new byte[] {0, 1, 2, 3, 4, 5, 9});
        Path gzNamedPlain = file("labels-without-suffix", gzip(raw));
        Path plainNamedGz = file("labels.gz", raw);
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 9}, IdxReader.readLabels(gzNamedPlain).data());
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 9}, IdxReader.readLabels(plainNamedGz).data());
    }

    @ParameterizedTest
    @ValueSource(strings = {"t.idx", "t.idx.gz"})
    void writerAndReaderRoundTrip(String name) throws IOException {
        int[][] shapes = {{1}, {5}, {2, 3}, {4, 28, 28}, {3, 2, 2, 2}};
        for (int[] dims : shapes) {
            int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
            byte[] data = random(n, n);
            Path p = dir.resolve(name);
            IdxWriter.write(p, dims, data);
            IdxTensor t = IdxReader.read(p);
            assertArrayEquals(dims, t.dims());
            assertArrayEquals(data, t.data());
            assertEquals(name.endsWith(".gz"), IdxReader.isGzip(Files.readAllBytes(p)));
            byte[] onDisk = Files.readAllBytes(p);
            byte[] uncompressed = name.endsWith(".gz") ? new GZIPInputStream(new ByteArrayInputStream(onDisk))
                    .readAllBytes() : onDisk;
            assertArrayEquals(concat(header(8, dims.length, dims), data), uncompressed);
            byte[] inMemory = IdxWriter.toBytes(dims, data, name.endsWith(".gz"));
            assertArrayEquals(data, IdxReader.read(inMemory, "in memory", dims.length).data());
        }
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void readsMultiMemberGzipWhoseTrailerDoesNotGiveTheTotalSize() throws IOException {
        // two gzip members (as `cat a.gz b.gz` makes): the last trailer holds only the second member's size, so
        // the reader cannot size the array from it and grows it as data arrives
        byte[] pixels = random(9, 5 * 100 * 200);
        byte[] raw = concat(header(8, 3, 5, 100, 200), pixels);
        byte[] twoMembers = concat(gzip(Arrays.copyOf(raw, 70_001)), gzip(Arrays.copyOfRange(raw, 70_001, raw.length)));
        IdxTensor t = IdxReader.readImages(file("two-members.gz", twoMembers));
        assertArrayEquals(pixels, t.data());
        assertArrayEquals(pixels, IdxReader.read(twoMembers, "m", 3).data());
    }

    @Test
    void writerRefusesDataThatDoesNotMatchTheDimensions() {
        assertThrows(IllegalArgumentException.class, () -> IdxWriter.toBytes(new int[] {2, 3}, new byte[5], false));
        assertThrows(IllegalArgumentException.class, () -> IdxWriter.toBytes(new int[] {0}, new byte[0], false));
        assertThrows(IllegalArgumentException.class, () -> IdxWriter.toBytes(new int[0], new byte[1], false));
    }

    @Test
    void refusesBadMagic() throws IOException {
        Path p = file("bad-magic", concat(new byte[] {0x12, 0x34, 8, 3}, new byte[12]));
        refused(p, 3, "magic 0x00000803", "0x12340803", "not an IDX file");
    }

    @Test
    void refusesWrongTypeCode() throws IOException {
        Path p = file("floats", concat(header(0x0D, 1, 2), new byte[8]));
        refused(p, 1, "magic 0x00000801", "type code 0x0d", "32-bit float");
    }

    @Test
    void refusesLabelsWhereImagesAreExpectedAndTheReverse() throws IOException {
        Path labels = file("labels", concat(header(8, 1, 2), new byte[2]));
        refused(labels, 3, "magic 0x00000803", "1 dimension(s)");
        Path images = file("images", concat(header(8, 3, 1, 2, 2), new byte[4]));
        refused(images, 1, "magic 0x00000801", "3 dimension(s)");
    }

    @Test
    void refusesZeroAndNegativeDimensions() throws IOException {
        refused(file("zero", header(8, 3, 5, 0, 28)), 3, "every dimension positive", "dimension 1 = 0");
        refused(file("negative", header(8, 1, -3)), 1, "dimension 0 = -3");
    }

    @Test
    void refusesTruncatedData() throws IOException {
        Path p = file("truncated", concat(header(8, 3, 2, 2, 2), new byte[7]));
        refused(p, 3, "8 data bytes", "2 x 2 x 2", "found 7 (file truncated)");
        Path gz = file("truncated.gz", gzip(concat(header(8, 3, 2, 2, 2), new byte[7])));
        refused(gz, 3, "8 data bytes", "after gzip decompression", "found 7");
    }

    @Test
    void refusesTrailingBytes() throws IOException {
        Path p = file("trailing", concat(header(8, 1, 3), new byte[5]));
        refused(p, 1, "3 data bytes", "2 trailing bytes");
        Path gz = file("trailing.gz", gzip(concat(header(8, 1, 3), new byte[5])));
        refused(gz, 1, "3 data bytes", "trailing bytes");
    }

    @Test
    void refusesAnEmptyFileAndShortHeaders() throws IOException {
        refused(file("empty", new byte[0]), -1, "an empty file");
        refused(file("three", new byte[] {0, 0, 8}), -1, "4-byte IDX magic", "3 byte(s)");
        refused(file("short-dims", concat(header(8, 3), new byte[] {0, 0, 0, 1, 0, 0})), 3, "3 dimension sizes",
                "only 6 byte(s)");
    }

    @Test
    void refusesHugeDeclaredSizesBeforeAllocatingAnything() throws IOException {
        // 16 bytes declaring 2^31-1 x 2^31-1 x 2^31-1: overflows an int, a long product and any heap
        Path p = file("huge", header(8, 3, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(16, Files.size(p));
        refused(p, 3, "at most 1073741824 data bytes", "declaring more");
        // within the cap, but far more than the file holds: refused without allocating the 1 GiB
        Path q = file("big", header(8, 3, 1 << 20, 32, 32));
        refused(q, 3, "1073741824 data bytes", "found 0 (file truncated)");
        // a tiny gzip declaring 512 MiB cannot hold them either (deflate expands at most ~1032:1)
        Path g = file("big.gz", gzip(header(8, 3, 1 << 19, 32, 32)));
        refused(g, 3, "a gzip file of this size can hold");
    }

    @Test
    void refusesGzipThatIsNotGzip() throws IOException {
        byte[] fake = concat(new byte[] {0x1f, (byte) 0x8b}, random(3, 40));
        IdxFormatException e = refused(file("fake.gz", fake), -1, "gzip");
        assertTrue(e.getCause() instanceof IOException);
        byte[] good = gzip(IdxFixtures.images(4, 10, 28, 28));
        refused(file("cut.gz", Arrays.copyOf(good, good.length / 2)), 3, "gzip stream", "corrupt or truncated");
    }

    @Test
    void inMemoryReadThrowsOnlyIdxFormatException() {
        assertThrows(IdxFormatException.class, () -> IdxReader.read(new byte[] {0x1f, (byte) 0x8b, 8}, "m", -1));
        assertThrows(IdxFormatException.class, () -> IdxReader.read(new byte[0], "m", 1));
    }

    @Test
    void aMissingFileIsAPlainIoException() {
        assertThrows(NoSuchFileException.class, () -> IdxReader.readImages(dir.resolve("absent")));
    }

    @Test
    void refusesBytesAfterTheLastGzipMemberButReadsConcatenatedMembers() throws IOException {
        byte[] raw = concat(header(8, 1, 3), new byte[] {1, 2, 3});
        Path junk = file("junk.gz", concat(gzip(raw), new byte[] {'j', 'u', 'n', 'k'}));
        refused(junk, 1, "the file to end with its gzip data", "4 byte(s) after the gzip data");
        // java.util.zip would have read the junk file as if the four bytes were not there
        assertArrayEquals(raw, new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(
                Files.readAllBytes(junk))).readAllBytes());
        IdxFormatException inMemory = assertThrows(IdxFormatException.class,
                () -> IdxReader.read(Files.readAllBytes(junk), "junk", 1));
        assertTrue(inMemory.getMessage().contains("after the gzip data"), inMemory.getMessage());
        Path twoMembers = file("two.gz",
                concat(gzip(Arrays.copyOf(raw, 5)), gzip(Arrays.copyOfRange(raw, 5, raw.length))));
        assertArrayEquals(new byte[] {1, 2, 3}, IdxReader.readLabels(twoMembers).data());
    }

    @Test
    void aFifoOrADeviceIsRefusedWithoutBlocking() throws IOException {
        Path fifo = dir.resolve("labels-fifo");
        Path zero = dir.resolve("labels-zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(SpecialFiles.fifo(fifo), "mkfifo is not available");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            IOException e = assertThrows(IOException.class, () -> IdxReader.readLabels(fifo));
            assertEquals(fifo + ": expected a regular file, found a FIFO", e.getMessage());
            if (SpecialFiles.zeroDevice(zero)) {
                e = assertThrows(IOException.class, () -> IdxReader.readLabels(zero));
                assertEquals(zero + ": expected a regular file, found a character device", e.getMessage());
            }
        });
    }

    @Test
    void theChecksumIsOfTheUncompressedContentWhetherRawOrGzip() throws IOException {
        byte[] raw = concat(header(8, 1, 3), new byte[] {4, 5, 6});
        Path plain = file("plain", raw);
        Path gz = file("plain.gz", gzip(raw));
        String expected = java.util.HexFormat.of().formatHex(sha256(raw));
        assertEquals(expected, Sha256.ofContent(plain));
        assertEquals(expected, Sha256.ofContent(gz));
        assertEquals(expected, Sha256.of(raw));
        IOException tooLong = assertThrows(IOException.class, () -> Sha256.ofContent(gz, raw.length - 1));
        assertTrue(tooLong.getMessage().contains("expected at most " + (raw.length - 1) + " bytes"),
                tooLong.getMessage());
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
