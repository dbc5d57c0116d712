package org.scratchnet.mnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.scratchnet.io.RegularFile;

/**
 * Labelled images held compactly: all pixels in one contiguous {@code byte[]} ({@code size × rows × cols}, one
 * unsigned byte per pixel, image after image, row-major) and one byte per label. Full MNIST (70,000 images) takes
 * about 55 MB this way, against 220 MB as floats; batches are converted to floats on demand by {@link #fillBatch}.
 *
 * <p>Immutable once built; the arrays returned by {@link #pixels()} and {@link #labels()} are shared, not copied.
 */
public final class Dataset {
    /** Number of classes of MNIST and Fashion-MNIST. */
    public static final int MNIST_CLASSES = 10;

    private static final float INV_255 = 1f / 255f;

    private final byte[] pixels;
    private final byte[] labels;
    private final int size;
    private final int rows;
    private final int cols;
    private final int classes;

    /**
     * Builds a dataset over existing arrays (held, not copied).
     *
     * @param pixels  {@code labels.length × rows × cols} unsigned bytes
     * @param labels  one unsigned byte per image, each in {@code 0..classes-1}
     * @param rows    image height, positive
     * @param cols    image width, positive
     * @param classes number of classes, 1..256
     * @throws IllegalArgumentException if the sizes disagree or a label is out of range
     */
    public Dataset(byte[] pixels, byte[] labels, int rows, int cols, int classes) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (rows <= 0 || cols <= 0 || classes <= 0 || classes > 256) {
            throw new IllegalArgumentException("expected positive rows, cols and 1..256 classes, found rows=" + rows
                    + " cols=" + cols + " classes=" + classes);
        }
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new IllegalArgumentException("expected " + labels.length + " x " + rows + " x " + cols
                    + " pixel bytes for " + labels.length + " labels, found " + pixels.length);
        }
        int bad = firstLabelOutOfRange(labels, classes);
        if (bad >= 0) {
            throw new IllegalArgumentException("expected labels in 0.." + (classes - 1) + ", found "
                    + (labels[bad] & 0xFF) + " at index " + bad);
        }
        this.pixels = pixels;
        this.labels = labels;
        this.size = labels.length;
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
    }

    /** Loads an images file and a labels file (raw or gzip) with {@value #MNIST_CLASSES} classes. */
    public static Dataset load(Path images, Path labels) throws IOException {
        return load(images, labels, MNIST_CLASSES);
    }

    /**
     * Loads an images file and a labels file (raw or gzip).
     *
     * @throws IdxFormatException if either file is malformed, the counts differ, or a label is not below
     *                            {@code classes}
     * @throws IOException        if a file cannot be read
     */
    public static Dataset load(Path images, Path labels, int classes) throws IOException {
        if (!Files.isRegularFile(labels)) { // fail before reading 47 MB of images
            throw new IdxFormatException(labels.toString(), "a labels file", kindOrMissing(labels));
        }
        if (!Files.isRegularFile(images)) {
            throw new IdxFormatException(images.toString(), "an images file", kindOrMissing(images));
        }
        IdxTensor labelTensor = IdxReader.readLabels(labels);
        checkLabels(labelTensor, classes);
        IdxTensor imageTensor = IdxReader.readImages(images);
        return of(imageTensor, labelTensor, classes);
    }

    private static String kindOrMissing(Path file) {
        String kind = RegularFile.kind(file);
        return kind.equals("nothing") ? "no such file" : kind;
    }

    /**
     * Pairs tensors already read.
     *
     * @param images  a 3-dimensional tensor (count, rows, cols)
     * @param labels  a 1-dimensional tensor (count)
     * @param classes number of classes, 1..256
     * @throws IdxFormatException if the ranks or counts differ, or a label is not below {@code classes}
     */
    public static Dataset of(IdxTensor images, IdxTensor labels, int classes) throws IdxFormatException {
        if (images.rank() != 3) {
            throw new IdxFormatException(images.source(), "an images tensor with 3 dimensions",
                    images.rank() + " dimension(s)");
        }
        if (labels.rank() != 1) {
            throw new IdxFormatException(labels.source(), "a labels tensor with 1 dimension",
                    labels.rank() + " dimension(s)");
        }
        if (images.count() != labels.count()) {
            throw new IdxFormatException(images.source() + " and " + labels.source(),
                    "as many labels as images", images.count() + " images and " + labels.count() + " labels");
        }
        if (classes <= 0 || classes > 256) {
            throw new IllegalArgumentException("expected 1..256 classes, found " + classes);
        }
        checkLabels(labels, classes);
        return new Dataset(images.data(), labels.data(), images.dim(1), images.dim(2), classes);
    }

    private static void checkLabels(IdxTensor labels, int classes) throws IdxFormatException {
        int bad = firstLabelOutOfRange(labels.data(), classes);
        if (bad >= 0) {
            throw new IdxFormatException(labels.source(), "labels in 0.." + (classes - 1),
                    (labels.data()[bad] & 0xFF) + " at index " + bad);
        }
    }

    private static int firstLabelOutOfRange(byte[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= classes) {
                return i;
            }
        }
        return -1;
    }

    /** Number of images. */
    public int size() {
        return size;
    }

    /** Image height in pixels (28 for MNIST). */
    public int rows() {
        return rows;
    }

    /** Image width in pixels (28 for MNIST). */
    public int cols() {
        return cols;
    }

    /** Pixels per image, {@code rows × cols} (784 for MNIST). */
    public int pixelsPerImage() {
        return rows * cols;
    }

    /** Number of classes; every label is below it. */
    public int classes() {
        return classes;
    }

    /** Label of image {@code i}, in {@code 0..classes-1}. */
    public int label(int i) {
        return labels[Objects.checkIndex(i, size)] & 0xFF;
    }

    /** Pixel {@code p} (row-major index within the image) of image {@code i}, 0..255. */
    public int pixel(int i, int p) {
        Objects.checkIndex(i, size);
        return pixels[i * pixelsPerImage() + Objects.checkIndex(p, pixelsPerImage())] & 0xFF;
    }

    /** All pixels, {@code size × rows × cols} unsigned bytes, image after image. Shared: do not modify. */
    public byte[] pixels() {
        return pixels;
    }

    /** All labels, one unsigned byte per image. Shared: do not modify. */
    public byte[] labels() {
        return labels;
    }

    /**
     * Writes images {@code indices[from..from+count)} as floats into {@code out}: image {@code j} of the batch goes
     * to {@code out[outOff + j*P .. outOff + (j+1)*P)} with {@code P = pixelsPerImage()}, each value
     * {@code pixel / 255} in [0, 1], row-major. Only that range of {@code out} is modified.
     *
     * @throws IndexOutOfBoundsException if a range or an index is out of bounds
     */
    public void fillBatch(int[] indices, int from, int count, float[] out, int outOff) {
        int p = pixelsPerImage();
        Objects.checkFromIndexSize(from, count, indices.length);
        Objects.checkFromIndexSize(outOff, (long) count * p > Integer.MAX_VALUE ? -1 : count * p, out.length);
        for (int j = 0; j < count; j++) {
            int src = Objects.checkIndex(indices[from + j], size) * p;
            int dst = outOff + j * p;
            for (int k = 0; k < p; k++) {
                out[dst + k] = (pixels[src + k] & 0xFF) * INV_255;
            }
        }
    }

    /**
     * Writes the labels of images {@code indices[from..from+count)} into {@code out[outOff..outOff+count)}.
     *
     * @throws IndexOutOfBoundsException if a range or an index is out of bounds
     */
    public void fillLabels(int[] indices, int from, int count, int[] out, int outOff) {
        Objects.checkFromIndexSize(from, count, indices.length);
        Objects.checkFromIndexSize(outOff, count, out.length);
        for (int j = 0; j < count; j++) {
            out[outOff + j] = labels[Objects.checkIndex(indices[from + j], size)] & 0xFF;
        }
    }

    /** Image {@code i} as {@code pixelsPerImage()} floats {@code pixel / 255}. */
    public float[] image(int i) {
        float[] out = new float[pixelsPerImage()];
        fillBatch(new int[] {i}, 0, 1, out, 0);
        return out;
    }

    /** A copy of images {@code from..to-1} with their labels. */
    public Dataset subset(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        int p = pixelsPerImage();
        byte[] px = new byte[(to - from) * p];
        System.arraycopy(pixels, from * p, px, 0, px.length);
        byte[] lb = new byte[to - from];
        System.arraycopy(labels, from, lb, 0, lb.length);
        return new Dataset(px, lb, rows, cols, classes);
    }

    /** A copy of the images at the given indices (in that order, repeats allowed) with their labels. */
    public Dataset select(int[] indices) {
        int p = pixelsPerImage();
        byte[] px = new byte[Math.multiplyExact(indices.length, p)];
        byte[] lb = new byte[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = Objects.checkIndex(indices[j], size);
            System.arraycopy(pixels, i * p, px, j * p, p);
            lb[j] = labels[i];
        }
        return new Dataset(px, lb, rows, cols, classes);
    }

    /** Writes the images and the labels as two IDX files (gzip where a name ends in {@code .gz}), atomically. */
    public void write(Path images, Path labels) throws IOException {
        IdxWriter.writeImages(images, pixels, size, rows, cols);
        IdxWriter.writeLabels(labels, this.labels);
    }

    @Override
    public String toString() {
        return "Dataset[" + size + " images " + rows + "x" + cols + ", " + classes + " classes]";
    }
}
