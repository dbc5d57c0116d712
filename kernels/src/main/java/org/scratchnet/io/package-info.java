/**
 * Files written atomically and read only when they are regular files: the one writer and the one opener that every
 * scratchnet module uses for its files (models, IDX files, downloads, results).
 *
 * <p>{@link org.scratchnet.io.AtomicFile} writes a file through a temporary file beside it, forced to disk and renamed
 * into place, and refuses to replace anything but a regular file (a device node, a FIFO, a directory, a link to one).
 * {@link org.scratchnet.io.RegularFile} opens a file for reading only when it is a regular file, so that a reader never
 * blocks on a FIFO or reads a device without end, and says in words what is at a path. Failures are
 * {@link java.io.IOException}s whose message names the path as the caller gave it.
 *
 * <p>This package needs nothing but {@code java.base}; it is in the kernels module because that is the one module
 * every other module depends on (see docs/decisions/0020-one-file-writer-in-kernels.md), not because it has anything
 * to do with SIMD.
 */
package org.scratchnet.io;
