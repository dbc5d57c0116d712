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
        for (int r = 0; r < count; r++) {
            int e = Objects.checkIndex(indices[from + r], dataset.size());
            Kernels.unsignedBytesToFloats(p, INV_255, pixels, e * p, x, xOff + r * p);
        }
        dataset.fillLabels(indices, from, count, labels, labelsOff);
    }
}
