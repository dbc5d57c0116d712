package org.scratchnet.core;

import java.util.Arrays;

/**
 * The shape of a network: layer sizes from the input to the output, e.g. {@code 784, 200, 100, 25, 10}, and the
 * weight initialisation. Every layer after the input is dense; hidden layers use ReLU, the output softmax.
 *
 * @param sizes neurons per layer, input first, output last; at least two entries, each &gt;= 1 (copied)
 * @param init  weight initialisation
 */
public record NetworkConfig(int[] sizes, Init init) {

    /** Upper bound on the number of parameters (weights and biases) so that they fit one float array. */
    public static final long MAX_PARAMETERS = Integer.MAX_VALUE - 16;

    /** @throws IllegalArgumentException if fewer than two sizes, a size &lt; 1 or too many parameters */
    public NetworkConfig {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("a network needs at least an input and an output size, got "
                    + (sizes == null ? "none" : Arrays.toString(sizes)));
        }
        if (init == null) {
            throw new IllegalArgumentException("init must not be null");
        }
        sizes = sizes.clone();
        long params = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 1) {
                throw new IllegalArgumentException("layer sizes must be >= 1, got " + sizes[i] + " at position " + i
                        + " of " + Arrays.toString(sizes));
            }
            if (i > 0) {
                params += (long) sizes[i - 1] * sizes[i] + sizes[i];
            }
        }
        if (params > MAX_PARAMETERS) {
            throw new IllegalArgumentException("network " + Arrays.toString(sizes) + " has " + params
                    + " parameters, at most " + MAX_PARAMETERS + " are supported");
        }
    }

    /** He-initialised network with these sizes. */
    public static NetworkConfig of(int... sizes) {
        return new NetworkConfig(sizes, Init.HE);
    }

    /**
     * Parses sizes written as {@link #describe()} writes them, {@code 784-200-100-25-10} (also accepted: commas,
     * slashes or x between the numbers), He init.
     *
     * @throws IllegalArgumentException naming the text if it is not at least two positive integers
     */
    public static NetworkConfig parse(String text) {
        String[] parts = text.trim().split("\\s*[-,/xX]\\s*");
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                sizes[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "layer sizes must look like 784-200-100-25-10, got \"" + text + "\"");
            }
        }
        return of(sizes);
    }

    /** A copy of the layer sizes. */
    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    /** Number of dense layers (sizes − 1). */
    public int layers() {
        return sizes.length - 1;
    }

    /** Size of layer {@code i}; 0 is the input. */
    public int size(int i) {
        return sizes[i];
    }

    /** Input features. */
    public int inputs() {
        return sizes[0];
    }

    /** Output classes. */
    public int outputs() {
        return sizes[sizes.length - 1];
    }

    /** Activation of dense layer {@code l} (1-based, as sizes): softmax for the last, ReLU otherwise. */
    public Activation activation(int l) {
        return l == sizes.length - 1 ? Activation.SOFTMAX : Activation.RELU;
    }

    /** Weights and biases of all layers together. */
    public int parameterCount() {
        long p = 0;
        for (int i = 1; i < sizes.length; i++) {
            p += (long) sizes[i - 1] * sizes[i] + sizes[i];
        }
        return (int) p;
    }

    /**
     * Flops of one example's forward pass, counting the matrix products only: {@code 2 · Σ_l n_{l−1}·n_l} (a
     * multiply-add counts as two). Bias, activation and softmax work is left out (under 1 % for MNIST networks).
     * 784-200-100-25-10: 359,100.
     */
    public long forwardFlopPerExample() {
        return 2 * forwardMultiplyAdds();
    }

    /**
     * Flops of training on one example, counting the three matrix products of every layer l: the forward product X·W_l
     * and the weight gradient Xᵀ·dZ_l (n_{l−1}·n_l multiply-adds each), and the input gradient dZ_l·W_lᵀ for every
     * layer but the first (nobody needs the gradient of the pixels):
     * <pre>  2 · (2 · Σ_{l ≥ 1} n_{l−1}·n_l + Σ_{l ≥ 2} n_{l−1}·n_l)</pre>
     * Bias, activation, loss and optimiser work is left out (under 1 % for MNIST networks). 784-200-100-25-10: 763,700,
     * so 45.82 GFLOP per 60,000-example epoch; 784-100-50-10: 346,600 (20.80 GFLOP per epoch).
     */
    public long trainingFlopPerExample() {
        long all = forwardMultiplyAdds();
        long inputGradients = all - (long) sizes[0] * sizes[1];
        return 2 * (2 * all + inputGradients);
    }

    /** {@code Σ_l n_{l−1}·n_l}: the multiply-adds of one example's forward products. */
    private long forwardMultiplyAdds() {
        long macs = 0;
        for (int l = 1; l < sizes.length; l++) {
            macs += (long) sizes[l - 1] * sizes[l];
        }
        return macs;
    }

    /** Sizes joined by dashes, e.g. {@code 784-200-100-25-10}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i == 0 ? "" : "-").append(sizes[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkConfig c && Arrays.equals(sizes, c.sizes) && init == c.init;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes) * 31 + init.hashCode();
    }

    @Override
    public String toString() {
        return "NetworkConfig[" + describe() + ", init=" + init + "]";
    }
}
