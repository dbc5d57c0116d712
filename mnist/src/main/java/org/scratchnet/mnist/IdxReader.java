package org.scratchnet.mnist;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.scratchnet.io.RegularFile;

/**
 * Reads unsigned-byte IDX tensors, raw or gzip-compressed (detected from the first two bytes, never from the name).
 *
 * <p>The format: two zero bytes, a type code ({@code 0x08} for unsigned byte, the only one accepted), the number of
 * dimensions, then each dimension as a big-endian 32-bit integer, then the elements in row-major order. Labels files
 * have magic {@code 0x00000801} (one dimension), images files {@code 0x00000803} (three: count, rows, columns).
 *
 * <p>Everything is checked before the data array is allocated: every dimension positive, their product within
 * {@link #MAX_DATA_BYTES}, and no larger than the input can hold (exactly the remaining bytes of a raw file; for gzip,
 * at most {@value #MAX_DEFLATE_RATIO} times the compressed size, the limit of the deflate format). A 16-byte file
 * declaring a billion images is therefore refused at once, never an {@link OutOfMemoryError}. After the data, a raw
 * or decompressed stream must end: trailing bytes are refused too, and so are bytes after the last gzip member
 * (which {@link java.util.zip.GZIPInputStream} would skip silently; see {@code StrictGzipInputStream}). Only regular
 * files are opened: a FIFO or a device node is refused before anything is read.
 *
 * <p>Every problem with the content is an {@link IdxFormatException} naming the file, what was expected and what was
 * found. Failing to open or read the file at all (missing, unreadable) is the plain {@link IOException} of
 * {@link java.nio.file.Files}.
 */
public final class IdxReader {
    /** Magic number of an unsigned-byte labels file (one dimension). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Magic number of an unsigned-byte images file (three dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The only type code accepted: unsigned byte. */
    public static final int TYPE_UNSIGNED_BYTE = 0x08;
    /** Most dimensions accepted by {@link #read(Path)}. */
    public static final int MAX_DIMENSIONS = 8;
    /** Largest data section accepted, in bytes (1 GiB; full MNIST training images are 47 MB). */
    public static final long MAX_DATA_BYTES = 1L << 30;
    /** Deflate never expands more than about 1032:1; a gzip input cannot hold more than this many times its size. */
    public static final int MAX_DEFLATE_RATIO = 1100;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private IdxReader() {
    }

    /** Reads an images file: magic {@code 0x00000803}, dimensions count × rows × cols. */
    public static IdxTensor readImages(Path file) throws IOException {
        return read(file, 3);
    }

    /** Reads a labels file: magic {@code 0x00000801}, one dimension (the count). */
    public static IdxTensor readLabels(Path file) throws IOException {
        return read(file, 1);
    }

    /** Reads any unsigned-byte IDX file with 1 to {@value #MAX_DIMENSIONS} dimensions. */
    public static IdxTensor read(Path file) throws IOException {
        return read(file, -1);
    }

    /**
     * Reads an unsigned-byte IDX file.
     *
     * @param file the file, raw or gzip
     * @param rank the number of dimensions required (1 labels, 3 images), or -1 for any in 1..{@value #MAX_DIMENSIONS}
     * @throws IdxFormatException if the content is not such a tensor
     * @throws IOException        if the file cannot be opened or read
     */
    public static IdxTensor read(Path file, int rank) throws IOException {
        try (FileChannel ch = RegularFile.open(file)) { // a FIFO or a device would never end: regular files only
            long length = ch.size();
            long sizeHint = -1;
            if (length >= 4) { // a gzip file ends with its uncompressed size mod 2^32 (little-endian)
                ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                ch.position(length - 4);
                while (tail.hasRemaining() && ch.read(tail) >= 0) {
                    continue;
                }
                sizeHint = tail.hasRemaining() ? -1 : tail.getInt(0) & 0xFFFFFFFFL;
                ch.position(0);
            }
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
            return read(in, length, sizeHint, file.toString(), rank);
        }
    }

    /**
     * Reads an unsigned-byte IDX tensor from bytes in memory (raw or gzip), e.g. a download or a fuzzer's input.
     *
     * @param content the whole file content
     * @param source  a name for messages
     * @param rank    the number of dimensions required, or -1 for any in 1..{@value #MAX_DIMENSIONS}
     * @throws IdxFormatException if the content is not such a tensor; nothing else is thrown for any content
     */
    public static IdxTensor read(byte[] content, String source, int rank) throws IdxFormatException {
        try {
            int n = content.length;
            long sizeHint = n < 4 ? -1 : ((content[n - 4] & 0xFF) | (content[n - 3] & 0xFF) << 8
                    | (content[n - 2] & 0xFF) << 16 | (long) (content[n - 1] & 0xFF) << 24);
            return read(new ByteArrayInputStream(content), n, sizeHint, source, rank);
        } catch (IdxFormatException e) {
            throw e;
        } catch (IOException e) {
            // a ByteArrayInputStream does not fail; the gzip stream over it reports corrupt data as IOException
            throw new IdxFormatException(source, "a valid gzip stream", "a corrupt one (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Whether these bytes start with the gzip magic number {@code 1f 8b}.
     */
    public static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xFF) == GZIP_MAGIC_0 && (head[1] & 0xFF) == GZIP_MAGIC_1;
    }

    /**
     * Opens a stream that yields the uncompressed bytes of a raw or gzip stream (detected from its first bytes).
     * Used by the fetcher to hash what it downloads; corrupt gzip shows up as an {@link IOException} while reading.
     */
    public static InputStream decompressing(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
            return new StrictGzipInputStream(in, 1 << 16);
        }
        return in;
    }

    /**
     * @param marked    the input, supporting mark/reset
     * @param rawLength its length in bytes
     * @param sizeHint  for gzip, the last four bytes (uncompressed size mod 2^32, trusted only to size the first
     *                  allocation), else ignored; -1 if unknown
     */
    private static IdxTensor read(InputStream marked, long rawLength, long sizeHint, String source, int rank)
            throws IOException {
        if (rawLength == 0) {
            throw new IdxFormatException(source, "an IDX file (raw or gzip)", "an empty file");
        }
        marked.mark(2);
        int b0 = marked.read();
        int b1 = marked.read();
        marked.reset();
        boolean gzip = b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1;
        InputStream in;
        long available; // most data bytes the input can hold after the header (exact for raw)
        if (gzip) {
            try {
                in = new StrictGzipInputStream(marked, rawLength < 1 << 16 ? 512 : 1 << 16);
            } catch (IOException e) {
                throw new IdxFormatException(source, "a valid gzip header", "a corrupt one (" + e.getMessage() + ")",
                        e);
            }
            available = rawLength > MAX_DATA_BYTES / MAX_DEFLATE_RATIO ? MAX_DATA_BYTES : rawLength * MAX_DEFLATE_RATIO;
        } else {
            in = marked;
            available = rawLength;
        }
        try {
            return readTensor(in, gzip, available, gzip ? sizeHint : -1, source, rank);
        } catch (IdxFormatException e) {
            throw e;
        } catch (StrictGzipInputStream.TrailingBytesException e) {
            throw new IdxFormatException(source, "the file to end with its gzip data", e.getMessage(), e);
        } catch (IOException e) {
            if (gzip) {
                throw new IdxFormatException(source, "a valid gzip stream", "a corrupt or truncated one ("
                        + e.getMessage() + ")", e);
            }
            throw e;
        } finally {
            if (gzip) {
                in.close(); // frees the native Inflater now rather than at garbage collection
            }
        }
    }

    private static IdxTensor readTensor(InputStream in, boolean gzip, long available, long sizeHint, String source,
                                        int rank)
            throws IOException {
        String what = gzip ? " (after gzip decompression)" : "";
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4) {
            throw new IdxFormatException(source, "a 4-byte IDX magic number" + what, got + " byte(s)");
        }
        int magicValue = ((magic[0] & 0xFF) << 24) | ((magic[1] & 0xFF) << 16) | ((magic[2] & 0xFF) << 8)
                | (magic[3] & 0xFF);
        String expectedMagic = rank == 3 ? "magic 0x00000803 (unsigned-byte images, 3 dimensions)"
                : rank == 1 ? "magic 0x00000801 (unsigned-byte labels, 1 dimension)"
                        : "an IDX magic number 0x000008NN (two zero bytes, type 0x08, NN dimensions)";
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(source, expectedMagic + what,
                    String.format("0x%08x, which is not an IDX file", magicValue));
        }
        int type = magic[2] & 0xFF;
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new IdxFormatException(source, expectedMagic + what,
                    String.format("0x%08x: type code 0x%02x (%s)", magicValue, type, typeName(type)));
        }
        int ndims = magic[3] & 0xFF;
        if (rank > 0 ? ndims != rank : ndims < 1 || ndims > MAX_DIMENSIONS) {
            throw new IdxFormatException(source, expectedMagic + what,
                    String.format("0x%08x: %d dimension(s)", magicValue, ndims));
        }
        byte[] header = new byte[4 * ndims];
        got = in.readNBytes(header, 0, header.length);
        if (got < header.length) {
            throw new IdxFormatException(source, ndims + " dimension sizes (" + header.length + " bytes)" + what,
                    "only " + got + " byte(s)");
        }
        int[] dims = new int[ndims];
        long product = 1;
        for (int i = 0; i < ndims; i++) {
            int d = ((header[4 * i] & 0xFF) << 24) | ((header[4 * i + 1] & 0xFF) << 16)
                    | ((header[4 * i + 2] & 0xFF) << 8) | (header[4 * i + 3] & 0xFF);
            if (d <= 0) {
                throw new IdxFormatException(source, "every dimension positive",
                        "dimension " + i + " = " + d + (d < 0 ? " (as a signed 32-bit integer)" : ""));
            }
            dims[i] = d;
            product *= d; // at most 2^31 * MAX_DATA_BYTES < 2^61: cannot overflow a long
            if (product > MAX_DATA_BYTES) {
                throw new IdxFormatException(source, "at most " + MAX_DATA_BYTES + " data bytes",
                        "dimensions " + dimsText(dims, i + 1) + (i + 1 < ndims ? "..." : "") + " declaring more");
            }
        }
        long headerBytes = 4L + header.length;
        long room = gzip ? available : available - headerBytes;
        if (product > room) {
            if (gzip) {
                throw new IdxFormatException(source, "dimensions " + dimsText(dims, ndims) + " (" + product
                        + " bytes) that a gzip file of this size can hold", "a file too small to hold them");
            }
            throw new IdxFormatException(source, product + " data bytes for dimensions " + dimsText(dims, ndims),
                    room + " (file truncated)");
        }
        if (!gzip && product < room) {
            throw new IdxFormatException(source, product + " data bytes for dimensions " + dimsText(dims, ndims),
                    room + " (" + (room - product) + " trailing bytes)");
        }
        // Raw: the length was checked exactly, allocate at once. Gzip: allocate at once only when the trailer agrees
        // with the header (every well-formed file); otherwise grow as bytes arrive, so that a small corrupt input
        // declaring many megabytes costs no more memory than it really decompresses to.
        boolean exact = !gzip || sizeHint == ((headerBytes + product) & 0xFFFFFFFFL);
        byte[] data = exact ? new byte[(int) product] : new byte[(int) Math.min(product, 1 << 16)];
        got = in.readNBytes(data, 0, data.length);
        while (got == data.length && data.length < product) {
            data = Arrays.copyOf(data, (int) Math.min(product, 2L * data.length));
            got += in.readNBytes(data, got, data.length - got);
        }
        if (got < product) {
            throw new IdxFormatException(source, product + " data bytes for dimensions " + dimsText(dims, ndims) + what,
                    got + " (file truncated)");
        }
        if (in.read() >= 0) { // only reachable for gzip: a raw file's length was checked exactly above
            throw new IdxFormatException(source, product + " data bytes for dimensions " + dimsText(dims, ndims)
                    + what, "trailing bytes after them");
        }
        return new IdxTensor(source, dims, data);
    }

    private static String dimsText(int[] dims, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                s.append(" x ");
            }
            s.append(dims[i]);
        }
        return s.toString();
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte, not supported";
            case 0x0B -> "16-bit integer, not supported";
            case 0x0C -> "32-bit integer, not supported";
            case 0x0D -> "32-bit float, not supported";
            case 0x0E -> "64-bit float, not supported";
            default -> "not an IDX type; expected 0x08 unsigned byte";
        };
    }
}
