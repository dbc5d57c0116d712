package org.scratchnet.mnist;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public web mirrors: file {@code f} is fetched from {@code base + f + ".gz"} (the content may be gzip or raw).
 *
 * <p>Every download is bounded three ways: a connect timeout (an offline machine moves on at once), a read timeout
 * (the longest wait for the response headers, and for the next bytes of the body; never longer than the deadline),
 * and a deadline for the whole transfer, at which the body is closed whatever the server does, so a server that
 * drips a byte at a time cannot hang a fetch. What arrives is bounded by {@link DatasetCache#store} to the file's
 * known size. A mirror that cannot be reached at all is skipped for its other files.
 *
 * <p>The transfer runs on {@link HttpClient}, whose body stream, closed from another thread, ends a blocked read at
 * once (docs/decisions/0038-http-client-for-the-mirrors.md). A {@link #WATCHDOG} thread checks each body every
 * eighth of the shorter of the two bounds and closes it when the deadline has passed or no byte came for a read
 * timeout.
 */
final class MirrorSource implements DatasetSource {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorSource.class);

    /** One daemon thread for all downloads of the JVM: it only compares clocks and closes streams. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scratchnet-download-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final List<URI> bases;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration deadline;

    /**
     * @param bases          base URIs, each ending in {@code /}
     * @param connectTimeout longest wait to connect
     * @param readTimeout    longest wait for the response headers and for the next bytes of the body
     * @param deadline       longest time for one file's whole transfer, headers included
     */
    MirrorSource(List<URI> bases, Duration connectTimeout, Duration readTimeout, Duration deadline) {
        this.bases = bases;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout.compareTo(deadline) < 0 ? readTimeout : deadline;
        this.deadline = deadline;
    }

    @Override
    public void fetchInto(DatasetCache cache, List<String> attempts) {
        // HTTP/1.1, where closing a body closes its connection (what the tests exercise; four files gain nothing
        // from HTTP/2's streams); redirects within https or from http to https, as curl -L; the proxies of
        // -Dhttps.proxyHost and the like
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).proxy(ProxySelector.getDefault()).build();
        for (URI base : bases) {
            for (KnownFile file : cache.missing()) {
                URI url = base.resolve(file.name() + ".gz");
                try {
                    if (!download(client, url, cache, file)) {
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
    private boolean download(HttpClient client, URI url, DatasetCache cache, KnownFile file) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(readTimeout).header("User-Agent", "scratchnet")
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new Unreachable("no connection within " + seconds(connectTimeout));
        } catch (HttpTimeoutException e) {
            if (readTimeout.equals(deadline) || System.nanoTime() - end >= 0) {
                throw deadlineMissed(0);
            }
            throw new Unreachable("no response within " + seconds(readTimeout));
        } catch (ConnectException e) {
            throw new Unreachable(unresolved(e) ? "unknown host " + url.getHost() : "could not connect");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + url);
        }
        try (WatchedBody body = new WatchedBody(response.body(), end)) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            try {
                return cache.store(body, response.headers().firstValueAsLong("Content-Length").orElse(-1), file,
                        url.toString());
            } catch (IOException e) {
                Cut cut = body.cutOff.get();
                if (cut != null) {
                    throw cut == Cut.DEADLINE ? deadlineMissed(body.count) : new IOException("no bytes for "
                            + seconds(readTimeout) + " after " + body.count + "; download deleted");
                }
                throw e;
            }
        }
    }

    /** Whether a failed connection failed on the host's name (HttpClient wraps that in two ConnectExceptions). */
    private static boolean unresolved(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private DeadlineException deadlineMissed(long arrived) {
        return new DeadlineException("no complete download within " + seconds(deadline)
                + (arrived > 0 ? " (" + arrived + " bytes arrived)" : "") + "; download deleted");
    }

    /** Why the watchdog closed a body. */
    private enum Cut {
        DEADLINE, STALLED
    }

    /**
     * A response body that counts what arrives and that {@link #WATCHDOG} closes at the deadline, or after a read
     * timeout without a byte; {@link #cutOff} then says which.
     */
    private final class WatchedBody extends FilterInputStream {
        final AtomicReference<Cut> cutOff = new AtomicReference<>();
        private final ScheduledFuture<?> watch;
        volatile long count;
        private volatile long lastByte = System.nanoTime();

        WatchedBody(InputStream in, long end) {
            super(in);
            long period = Math.max(1, readTimeout.toNanos() / 8);
            watch = WATCHDOG.scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                Cut why = now - end >= 0 ? Cut.DEADLINE : now - lastByte >= readTimeout.toNanos() ? Cut.STALLED : null;
                if (why != null && cutOff.compareAndSet(null, why)) {
                    closeQuietly();
                }
            }, period, period, TimeUnit.NANOSECONDS);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                arrived(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                arrived(n);
            }
            return n;
        }

        private void arrived(int n) {
            count += n;
            lastByte = System.nanoTime();
        }

        private void closeQuietly() {
            try {
                in.close();
            } catch (IOException ignored) {
                // the transfer is abandoned either way
            }
        }

        @Override
        public void close() throws IOException {
            watch.cancel(false);
            super.close();
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    /** A download that did not complete within its deadline. */
    static final class DeadlineException extends IOException {
        private static final long serialVersionUID = 1L;

        DeadlineException(String message) {
            super(message);
        }
    }

    /** A mirror that could not be reached at all (name, route, connect timeout): skip its other files. */
    private static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }
}
