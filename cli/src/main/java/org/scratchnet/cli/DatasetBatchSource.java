package org.scratchnet.cli;

import java.util.Objects;
import org.scratchnet.core.BatchSource;
import org.scratchnet.kernels.Kernels;
import org.scratchnet.mnist.Dataset;

/**
 * Lets the network read an MNIST-style {@link Dataset} (mnist knows nothing of networks, core nothing of MNIST, so the
 * command line joins them): features are the pixels scaled to [0, 1] ({@code pixel · (1/255)}, converted by the
 * vector kernel {@link Kernels#unsignedBytesToFloats}, the same bits as {@link Dataset#fillBatch}), labels are the
 * dataset's. Holds the dataset, copies nothing, allocates nothing per batch, and may fill disjoint rows from several
 * threads at once.
 */
final class DatasetBatchSource implements BatchSource {

    private static final float INV_255 = 1f / 255f;

    private final Dataset dataset;

    DatasetBatchSource(Dataset dataset) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
    }

    Dataset dataset() {
        return dataset;
    }

    @Override
    public int size() {
        return dataset.size();
    }

    @Override
    public int features() {
        return dataset.pixelsPerImage();
    }

    @Override
    public int classes() {
        return dataset.classes();
    }

    @Override
    public void fill(int[] indices, int from, int count, float[] x, int xOff, int[] labels, int labelsOff) {
        byte[] pixels = dataset.pixels();
        int p = dataset.pixelsPerImage();
        touch(pixels, indices, from, count, p, dataset.size());
        for (int r = 0; r < count; r++) {
            // touch checked every index
            Kernels.unsignedBytesToFloats(p, INV_255, pixels, indices[from + r] * p, x, xOff + r * p);
        }
        dataset.fillLabels(indices, from, count, labels, labelsOff);
    }

    /**
     * Reads one byte of every cache line of the batch's images before converting them. The images sit at random
     * places in a 47 MB array, so each one starts with a cache miss and, often, a TLB miss; read one after the other by
     * the conversion, those misses are waited for one image at a time, while these reads are independent of each
     * other and the core keeps many of them in flight. Measured in
     * docs/decisions/0033-narrow-edge-rows-as-lanes-and-batch-touch.md: the gather of a 128-row batch took 45-58 µs
     * without this and 34-42 µs with it. Checks each index against the dataset's size ({@link Objects#checkIndex})
     * before reading, so a bad one fails before any row is written.
     */
    private static void touch(byte[] pixels, int[] indices, int from, int count, int p, int size) {
        int sum = 0;
        for (int r = 0; r < count; r++) {
            int base = Objects.checkIndex(indices[from + r], size) * p;
            for (int o = 0; o < p; o += CACHE_LINE) {
                sum += pixels[base + o];
            }
        }
        touched = sum;
    }

    private static final int CACHE_LINE = 64;
    /** The last touch's sum: written so that the JIT compiler keeps the reads (their values do not matter). */
    @SuppressWarnings("unused")
    private static volatile int touched;
}
