package org.scratchnet.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Path;
import java.util.HexFormat;
import org.scratchnet.io.RegularFile;

/**
 * The one SHA-256 of the project, of what a data file holds: the uncompressed IDX content. For a raw file that is
 * the file's bytes; for a gzip file it is the bytes it decompresses to. That is what MNIST's and Fashion-MNIST's
 * published checksums are of, so a dataset has the same checksum whether it is stored raw or gzip, and the checksums
 * in results files, in checkpoints and in the fetcher's verification are the same numbers.
 */
public final class Sha256 {

    private Sha256() {
    }

    /** SHA-256 (lower-case hex) of the uncompressed content of an IDX file, raw or gzip. */
    public static String ofContent(Path file) throws IOException {
        return ofContent(file, Long.MAX_VALUE);
    }

    /**
     * Same, but stops with an {@link IOException} after {@code maxBytes} uncompressed bytes, so a gzip bomb cannot
     * keep the caller busy: a file whose content must be exactly n bytes long is hashed with {@code n}.
     *
     * @throws IOException if the file is not a regular file, cannot be read, is corrupt gzip, or holds more than
     *                     {@code maxBytes}
     */
    public static String ofContent(Path file, long maxBytes) throws IOException {
        MessageDigest md = newDigest();
        try (InputStream in = IdxReader.decompressing(Channels.newInputStream(RegularFile.open(file)))) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                total += n;
                if (total > maxBytes) {
                    throw new IOException(file + ": expected at most " + maxBytes + " bytes of content, found more");
                }
                md.update(buf, 0, n);
            }
        }
        return hex(md.digest());
    }

    /** SHA-256 (lower-case hex) of these bytes. */
    public static String of(byte[] bytes) {
        return hex(newDigest().digest(bytes));
    }

    /** A fresh SHA-256 digest, for hashing while writing. */
    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
