package org.scratchnet.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.scratchnet.io.AtomicFile;

/**
 * Writes unsigned-byte IDX tensors, the format {@link IdxReader} reads: tests make fixtures with it, users export
 * subsets of a dataset.
 *
 * <p>A file whose name ends in {@code .gz} is written gzip-compressed, any other raw. Files are written with
 * {@link AtomicFile}: to a temporary file in the same directory, forced to disk, then renamed over the target, so a
 * reader never sees half a file; a device node or a FIFO under the target's name is refused, never replaced.
 */
public final class IdxWriter {
    private IdxWriter() {
    }

    /** Writes an images file (magic {@code 0x00000803}): {@code count} images of {@code rows × cols} bytes. */
    public static void writeImages(Path file, byte[] pixels, int count, int rows, int cols) throws IOException {
        write(file, new int[] {count, rows, cols}, pixels);
    }

    /** Writes a labels file (magic {@code 0x00000801}), one byte per label. */
    public static void writeLabels(Path file, byte[] labels) throws IOException {
        write(file, new int[] {labels.length}, labels);
    }

    /** Writes a tensor, gzip if the file name ends in {@code .gz}. */
    public static void write(Path file, IdxTensor tensor) throws IOException {
        write(file, tensor.dims(), tensor.data());
    }

    /**
     * Writes an unsigned-byte IDX file atomically, gzip if the file name ends in {@code .gz}.
     *
     * @param file target file; its directory must exist
     * @param dims dimensions, 1..{@value IdxReader#MAX_DIMENSIONS} of them, each positive
     * @param data row-major elements; exactly the product of {@code dims} of them
     * @throws IllegalArgumentException if dims and data do not agree
     */
    public static void write(Path file, int[] dims, byte[] data) throws IOException {
        checkShape(dims, data.length);
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFile.write(file, out -> writeTo(out, dims, data, gzip));
    }

    /**
     * The bytes of an IDX file holding this tensor, raw or gzip.
     *
     * @throws IllegalArgumentException if dims and data do not agree
     */
    public static byte[] toBytes(int[] dims, byte[] data, boolean gzip) {
        checkShape(dims, data.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 4 + 4 * dims.length);
        try {
            writeTo(out, dims, data, gzip);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private static void writeTo(OutputStream target, int[] dims, byte[] data, boolean gzip) throws IOException {
        OutputStream out = gzip ? new GZIPOutputStream(target, 1 << 16) : target;
        byte[] header = new byte[4 + 4 * dims.length];
        header[2] = (byte) IdxReader.TYPE_UNSIGNED_BYTE;
        header[3] = (byte) dims.length;
        for (int i = 0; i < dims.length; i++) {
            int d = dims[i];
            header[4 + 4 * i] = (byte) (d >>> 24);
            header[5 + 4 * i] = (byte) (d >>> 16);
            header[6 + 4 * i] = (byte) (d >>> 8);
            header[7 + 4 * i] = (byte) d;
        }
        out.write(header);
        out.write(data);
        if (gzip) {
            ((GZIPOutputStream) out).finish();
        }
        out.flush();
    }

    private static void checkShape(int[] dims, int length) {
        if (dims.length == 0 || dims.length > IdxReader.MAX_DIMENSIONS) {
            throw new IllegalArgumentException("expected 1.." + IdxReader.MAX_DIMENSIONS + " dimensions, found "
                    + dims.length);
        }
        long product = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("expected positive dimensions, found " + Arrays.toString(dims));
            }
            product = Math.min(product * d, 1L << 40);
        }
        if (product != length) {
            throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " need " + product
                    + " bytes, found " + length);
        }
    }
}
