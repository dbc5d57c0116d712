package org.scratchnet.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public web mirrors: file {@code f} is fetched from {@code base + f + ".gz"} (the content may be gzip or raw).
 *
 * <p>Every download is bounded three ways: a connect timeout (an offline machine moves on at once), a read timeout
 * (the longest wait for the next bytes, never longer than the deadline), and a deadline for the whole transfer, after
 * which the connection is closed whatever the server does, so a server that drips a byte at a time cannot hang a
 * fetch. What arrives is bounded by
 * {@link DatasetCache#store} to the file's known size. A mirror that cannot be reached at all is skipped for its
 * other files.
 */
final class MirrorSource implements DatasetSource {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorSource.class);

    private final List<URI> bases;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration deadline;

    /**
     * @param bases          base URIs, each ending in {@code /}
     * @param connectTimeout longest wait to connect
     * @param readTimeout    longest wait for the next bytes
     * @param deadline       longest time for one file's whole transfer, headers included
     */
    MirrorSource(List<URI> bases, Duration connectTimeout, Duration readTimeout, Duration deadline) {
        this.bases = bases;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.deadline = deadline;
    }

    @Override
    public void fetchInto(DatasetCache cache, List<String> attempts) {
        for (URI base : bases) {
            for (KnownFile file : cache.missing()) {
                URI url = base.resolve(file.name() + ".gz");
                try {
                    if (!download(url, cache, file)) {
                        attempts.add(url + ": checksum mismatch, download deleted");
                    }
                } catch (Unreachable e) {
                    attempts.add(base + ": unreachable (" + e.getMessage() + ")");
                    LOG.info("{} unreachable ({}); next source", base, e.getMessage());
                    break; // the other files of this mirror would fail the same way
                } catch (IOException e) {
                    attempts.add(url + ": " + DatasetFetcher.describe(e));
                    LOG.warn("{}: {}; download deleted", url, DatasetFetcher.describe(e));
                }
            }
            if (cache.missing().isEmpty()) {
                return;
            }
        }
    }

    /** Downloads one file; true if it verified and is in place, false on a checksum mismatch. */
    private boolean download(URI url, DatasetCache cache, KnownFile file) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) url.toURL().openConnection();
        conn.setConnectTimeout((int) connectTimeout.toMillis());
        // no single wait longer than the deadline: the watchdog fires once, and if that is before the connection is
        // open (a loaded machine, the first request of the JVM) its disconnect does nothing, so the wait for the
        // headers would last the whole read timeout
        conn.setReadTimeout((int) Math.max(1, Math.min(readTimeout.toMillis(), deadline.toMillis())));
        conn.setRequestProperty("User-Agent", "scratchnet");
        long end = System.nanoTime() + deadline.toNanos();
        String deadlineText = seconds(deadline);
        AtomicBoolean expired = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        // the watchdog: at the deadline the connection is closed, which ends a read blocked on a silent server
        CompletableFuture.runAsync(() -> {
            if (!done.get()) {
                expired.set(true);
                conn.disconnect();
            }
        }, CompletableFuture.delayedExecutor(deadline.toMillis(), TimeUnit.MILLISECONDS));
        BoundedInputStream body = null;
        try {
            int code;
            try {
                code = conn.getResponseCode();
            } catch (UnknownHostException e) {
                throw new Unreachable("unknown host " + e.getMessage());
            } catch (ConnectException | NoRouteToHostException | SocketTimeoutException e) {
                throw new Unreachable(DatasetFetcher.describe(e));
            }
            if (code != HttpURLConnection.HTTP_OK) {
                throw new IOException("HTTP " + code + " " + conn.getResponseMessage());
            }
            try (InputStream raw = conn.getInputStream()) {
                body = new BoundedInputStream(raw, Long.MAX_VALUE - 1, "the download", end, deadlineText,
                        DownloadProgress.NONE);
                return cache.store(body, conn.getContentLengthLong(), file, url.toString());
            }
        } catch (IOException e) {
            if (expired.get() || e instanceof BoundedInputStream.DeadlineException || System.nanoTime() - end >= 0) {
                throw new BoundedInputStream.DeadlineException("no complete download within " + deadlineText
                        + (body != null && body.count() > 0 ? " (" + body.count() + " bytes arrived)" : "")
                        + "; download deleted");
            }
            throw e;
        } finally {
            done.set(true);
            conn.disconnect();
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    /** A mirror that could not be reached at all (name, route, connect timeout): skip its other files. */
    private static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }
}
