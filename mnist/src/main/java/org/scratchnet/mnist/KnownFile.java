package org.scratchnet.mnist;

/**
 * One of a dataset's four files as published: its standard name (see {@link DatasetFiles#NAMES}), the size of its
 * uncompressed content in bytes and the SHA-256 of that content (see {@link Sha256}). The size bounds every transfer
 * of the file: a download that grows past it is stopped and deleted.
 *
 * @param name   standard file name, e.g. {@code train-images-idx3-ubyte}
 * @param size   uncompressed size in bytes
 * @param sha256 lower-case hex SHA-256 of the uncompressed content
 */
record KnownFile(String name, long size, String sha256) {

    /**
     * The most compressed bytes a source may send for this file: its size, plus 1 % and 64 KiB. Deflate never
     * expands data by more than 5 bytes per 16 KiB block (0.03 %), and the gzip header and trailer are a few dozen
     * bytes, so a real copy, raw or gzip, always fits (docs/decisions/0023-bounded-reads-and-transfers.md).
     */
    long maxTransferBytes() {
        return size + size / 100 + (1 << 16);
    }
}
