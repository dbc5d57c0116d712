package org.scratchnet.core;

/**
 * Where training and evaluation read examples from: a fixed-size set of labelled examples, each a row of
 * {@link #features()} floats and one label in {@code [0, classes())}. Core knows nothing of the files behind it; the
 * MNIST reader is adapted to this interface by the command line, tests and users use {@link ArrayBatchSource}.
 *
 * <p>Implementations must be deterministic: the same indices always fill the same rows (training is reproducible only
 * if its data is), whatever rows a call covers. The trainer calls {@link #fill} for slices of a mini-batch's rows,
 * from several of the kernels' threads at once (disjoint rows of x and labels), so an implementation must be safe for
 * such concurrent calls and must give a row the same values whether it is filled alone or with others. It must not
 * allocate if the trainer's promise of no allocation per batch is to hold.
 */
public interface BatchSource {

    /** Number of examples. */
    int size();

    /** Floats per example (784 for MNIST). */
    int features();

    /** Number of classes; labels lie in {@code [0, classes())}. */
    int classes();

    /**
     * Copies {@code count} examples into {@code x} and {@code labels}: for r &lt; count, with
     * {@code e = indices[from + r]}, row r of features ({@code features()} floats, row-major) goes to
     * {@code x[xOff + r*features() ...]} and the label of e to {@code labels[labelsOff + r]}. Only x and labels are
     * modified.
     */
    void fill(int[] indices, int from, int count, float[] x, int xOff, int[] labels, int labelsOff);

    /**
     * Called by the {@link Trainer} at the start of each epoch, before that epoch's first {@link #fill}, with the
     * epoch's number (1 for the first; a resumed run continues with the number it stopped at). A source whose rows
     * change from epoch to epoch, such as {@link AugmentedBatchSource}, keys them on it; its rows must stay a pure
     * function of the epoch and the indices asked for, never of the order of the calls or of how a batch is split
     * into them. The default does nothing.
     */
    default void beginEpoch(int epoch) {
    }
}
