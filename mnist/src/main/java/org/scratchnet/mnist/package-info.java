/**
 * The data side: reading and writing IDX files (raw or gzip), MNIST and Fashion-MNIST fetched by name into a cache and
 * verified by SHA-256, and pictures turned into MNIST-style 28×28 inputs. Knows nothing of networks.
 *
 * <p>{@link org.scratchnet.mnist.IdxReader} and {@link org.scratchnet.mnist.IdxWriter} handle the format;
 * {@link org.scratchnet.mnist.DatasetFetcher} brings a dataset into its cache directory and returns its
 * {@link org.scratchnet.mnist.DatasetFiles}, from which {@link org.scratchnet.mnist.Dataset}s load;
 * {@link org.scratchnet.mnist.ImageImporter} reads PNG, JPEG and PGM pictures. A malformed file is refused with an
 * {@link org.scratchnet.mnist.IdxFormatException} naming the file, what was expected and what was found.
 */
package org.scratchnet.mnist;
