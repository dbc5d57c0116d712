package org.scratchnet.mnist;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads at most {@code limit} bytes from a stream and reports each read to a {@link DownloadProgress}. The first byte
 * past the limit is a {@link LimitExceededException} that says so, so that a source sending too much is stopped
 * there. (A download's deadline is kept by {@link MirrorSource}, which closes the stream.)
 */
final class BoundedInputStream extends FilterInputStream {

    /** Thrown at the first byte past the limit. */
    static final class LimitExceededException extends IOException {
        private static final long serialVersionUID = 1L;

        LimitExceededException(String message) {
            super(message);
        }
    }

    private final long limit;
    private final String what;
    private final DownloadProgress progress;
    private long count;

    /**
     * @param in            the stream
     * @param limit         most bytes to read
     * @param what          what the bytes are, for the message, e.g. {@code "the compressed download"}
     * @param progress      hears every byte read
     */
    BoundedInputStream(InputStream in, long limit, String what, DownloadProgress progress) {
        super(in);
        this.limit = limit;
        this.what = what;
        this.progress = progress;
    }

    /** Bytes read so far. */
    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // ask for one byte more than the limit allows, so that exceeding it is seen, never silently cut
        long room = limit - count;
        int n = super.read(b, off, room >= len ? len : (int) room + 1);
        if (n > 0) {
            count += n;
            progress.advance(n);
            if (count > limit) {
                throw new LimitExceededException("expected at most " + limit + " bytes of " + what
                        + ", found more");
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 1 << 16)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
