package org.scratchnet.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Builds IDX bytes for tests, valid and malformed, independently of {@link IdxWriter}. */
final class IdxFixtures {
    private IdxFixtures() {
    }

    /** A header: the four magic bytes (type and rank given), then the dimensions as big-endian ints. */
    static byte[] header(int type, int rank, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) rank);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    /** Concatenation. */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Gzip of the bytes. */
    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Seeded random bytes. */
    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A valid images file: count images of rows x cols random pixels. */
    static byte[] images(long seed, int count, int rows, int cols) {
        return concat(header(8, 3, count, rows, cols), random(seed, count * rows * cols));
    }

    /** A valid labels file: count labels in 0..classes-1. */
    static byte[] labels(long seed, int count, int classes) {
        Random r = new Random(seed);
        byte[] l = new byte[count];
        for (int i = 0; i < count; i++) {
            l[i] = (byte) r.nextInt(classes);
        }
        return concat(header(8, 1, count), l);
    }
}
