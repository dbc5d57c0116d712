package org.scratchnet.core;

/**
 * A {@link BatchSource} over arrays in memory: {@code x} holds {@code size × features} floats row-major and
 * {@code labels} one label per row. The arrays are used as given, not copied.
 */
public final class ArrayBatchSource implements BatchSource {

    private final float[] x;
    private final int[] labels;
    private final int features;
    private final int classes;

    /**
     * @throws IllegalArgumentException if the lengths disagree, {@code features < 1}, {@code classes < 1} or a label
     *                                  lies outside {@code [0, classes)}
     */
    public ArrayBatchSource(float[] x, int[] labels, int features, int classes) {
        if (x == null || labels == null) {
            throw new IllegalArgumentException("x and labels must not be null");
        }
        if (features < 1 || classes < 1) {
            throw new IllegalArgumentException("features and classes must be >= 1, got features=" + features
                    + ", classes=" + classes);
        }
        if ((long) labels.length * features != x.length) {
            throw new IllegalArgumentException("x has " + x.length + " floats, expected labels.length × features = "
                    + labels.length + " × " + features + " = " + (long) labels.length * features);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is outside [0, "
                        + classes + ")");
            }
        }
        this.x = x;
        this.labels = labels;
        this.features = features;
        this.classes = classes;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public void fill(int[] indices, int from, int count, float[] out, int xOff, int[] outLabels, int labelsOff) {
        for (int r = 0; r < count; r++) {
            int e = indices[from + r];
            System.arraycopy(x, e * features, out, xOff + r * features, features);
            outLabels[labelsOff + r] = labels[e];
        }
    }
}
