package org.scratchnet.mnist;

import java.util.Arrays;

/**
 * An unsigned-byte IDX tensor as read from a file: its dimensions (the first is the item count) and its data in
 * row-major order, one {@code byte} per element (read it with {@code b & 0xFF}).
 *
 * <p>The data array is shared, not copied, so that a 47 MB image file is held once.
 */
public final class IdxTensor {
    private final String source;
    private final int[] dims;
    private final byte[] data;

    /**
     * @param source where the tensor came from (a file name), used in messages
     * @param dims   the dimensions, each positive; their product must equal {@code data.length}
     * @param data   the elements, row-major, held without copying
     * @throws IllegalArgumentException if the dimensions are empty, not positive, or do not match the data length
     */
    public IdxTensor(String source, int[] dims, byte[] data) {
        if (dims.length == 0 || dims.length > IdxReader.MAX_DIMENSIONS) {
            throw new IllegalArgumentException("expected 1.." + IdxReader.MAX_DIMENSIONS + " dimensions, found "
                    + dims.length);
        }
        long product = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("expected positive dimensions, found " + Arrays.toString(dims));
            }
            product *= d;
            if (product > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " exceed an array");
            }
        }
        if (product != data.length) {
            throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " need " + product
                    + " bytes, found " + data.length);
        }
        this.source = source;
        this.dims = dims.clone();
        this.data = data;
    }

    /** The file or input name this tensor was read from. */
    public String source() {
        return source;
    }

    /** Number of dimensions (1 for labels, 3 for images). */
    public int rank() {
        return dims.length;
    }

    /** Dimension {@code i} (0 is the item count). */
    public int dim(int i) {
        return dims[i];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of items: the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Elements per item: the product of all dimensions but the first (1 for labels, rows × cols for images). */
    public int itemSize() {
        return data.length / dims[0];
    }

    /** The elements, row-major, one unsigned byte each. The array is shared: do not modify it. */
    public byte[] data() {
        return data;
    }

    @Override
    public String toString() {
        return "IdxTensor" + Arrays.toString(dims) + " from " + source;
    }
}
