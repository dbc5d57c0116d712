package org.scratchnet.cli;

import java.util.Objects;
import org.scratchnet.core.BatchSource;
import org.scratchnet.mnist.Dataset;

/**
 * Lets the network read an MNIST-style {@link Dataset} (mnist knows nothing of networks, core nothing of MNIST, so the
 * command line joins them): features are the pixels scaled to [0, 1] ({@code pixel / 255}), labels are the dataset's.
 * Holds the dataset, copies nothing, allocates nothing per batch.
 */
final class DatasetBatchSource implements BatchSource {

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
        dataset.fillBatch(indices, from, count, x, xOff);
        dataset.fillLabels(indices, from, count, labels, labelsOff);
    }
}
