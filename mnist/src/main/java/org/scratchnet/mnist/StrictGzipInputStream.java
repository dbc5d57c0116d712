package org.scratchnet.mnist;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses a gzip file (RFC 1952) and checks that nothing but gzip members is in it. One or more members are
 * read one after the other, as {@code cat a.gz b.gz} makes them; each member's CRC-32 and length are checked against
 * its trailer. Unlike {@link java.util.zip.GZIPInputStream}, which stops silently at bytes after a member that do not
 * start another one, this stream refuses them with a {@link TrailingBytesException}: an IDX file with junk appended
 * to its gzip data is malformed.
 *
 * <p>Every problem is an {@link IOException}; no other exception escapes for any input.
 */
final class StrictGzipInputStream extends InputStream {

    /** Bytes after the last gzip member that do not begin another member. */
    static final class TrailingBytesException extends ZipException {
        private static final long serialVersionUID = 1L;

        TrailingBytesException(String message) {
            super(message);
        }
    }

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int lim;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberSize;
    private boolean eof;
    private boolean closed;

    /**
     * @param in         the compressed bytes, starting with the gzip magic number
     * @param bufferSize size of the input buffer
     */
    StrictGzipInputStream(InputStream in, int bufferSize) throws IOException {
        this.in = in;
        this.buf = new byte[Math.max(512, bufferSize)];
        readHeader(true);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (!eof) {
            if (inflater.needsInput()) {
                if (!fill()) {
                    throw new EOFException("the gzip data ends in the middle of a member (file truncated)");
                }
                inflater.setInput(buf, pos, lim - pos);
            }
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException("corrupt deflate data: " + e.getMessage());
            }
            pos = lim - inflater.getRemaining();
            if (n > 0) {
                crc.update(b, off, n);
                memberSize += n;
                return n;
            }
            if (inflater.finished()) {
                readTrailer();
                if (!nextMember()) {
                    eof = true;
                }
            } else if (inflater.needsDictionary()) {
                throw new ZipException("corrupt deflate data: a preset dictionary, which gzip does not use");
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            inflater.end();
            in.close();
        }
    }

    /** Reads more input into the buffer if it is empty; false at the end of the input. */
    private boolean fill() throws IOException {
        if (pos < lim) {
            return true;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    private int readByte() throws IOException {
        if (!fill()) {
            throw new EOFException("the gzip data ends in the middle of a member header or trailer (file truncated)");
        }
        return buf[pos++] & 0xFF;
    }

    private int readShort() throws IOException {
        return readByte() | readByte() << 8;
    }

    private long readInt() throws IOException {
        return (readShort() | (long) readShort() << 16) & 0xFFFFFFFFL;
    }

    private void readHeader(boolean first) throws IOException {
        int id1 = readByte();
        int id2 = readByte();
        if (id1 != 0x1f || id2 != 0x8b) {
            throw first ? new ZipException("not in gzip format") : new ZipException("corrupt gzip member header");
        }
        int method = readByte();
        if (method != 8) {
            throw new ZipException("unsupported compression method " + method + " (expected 8, deflate)");
        }
        int flags = readByte(); // reserved bits ignored, as java.util.zip does: the CRC-32 guards the content
        for (int i = 0; i < 6; i++) { // modification time, extra flags, operating system
            readByte();
        }
        if ((flags & FEXTRA) != 0) {
            for (int n = readShort(); n > 0; n--) {
                readByte();
            }
        }
        if ((flags & FNAME) != 0) {
            while (readByte() != 0) {
                continue;
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (readByte() != 0) {
                continue;
            }
        }
        if ((flags & FHCRC) != 0) {
            readShort();
        }
        inflater.reset();
        crc.reset();
        memberSize = 0;
    }

    private void readTrailer() throws IOException {
        long storedCrc = readInt();
        long storedSize = readInt();
        if (storedCrc != crc.getValue()) {
            throw new ZipException(String.format("gzip member CRC-32 mismatch (stored %08x, computed %08x)",
                    storedCrc, crc.getValue()));
        }
        if (storedSize != (memberSize & 0xFFFFFFFFL)) {
            throw new ZipException("gzip member length mismatch (stored " + storedSize + ", found "
                    + (memberSize & 0xFFFFFFFFL) + " mod 2^32)");
        }
    }

    /** After a trailer: true if another member begins, false at the end; refuses anything else. */
    private boolean nextMember() throws IOException {
        if (!fill()) {
            return false;
        }
        int b0 = buf[pos] & 0xFF;
        int b1 = -1;
        if (pos + 1 < lim) {
            b1 = buf[pos + 1] & 0xFF;
        } else {
            byte[] tail = in.readNBytes(1);
            if (tail.length == 1) { // keep both bytes in the buffer
                buf[0] = buf[pos];
                buf[1] = tail[0];
                pos = 0;
                lim = 2;
                b1 = tail[0] & 0xFF;
            }
        }
        if (b0 != 0x1f || b1 != 0x8b) {
            long extra = lim - pos;
            for (int n = in.read(buf, 0, buf.length); n > 0; n = in.read(buf, 0, buf.length)) {
                extra += n;
            }
            pos = lim;
            throw new TrailingBytesException(extra + " byte(s) after the gzip data that are not a gzip member");
        }
        readHeader(false);
        return true;
    }
}
