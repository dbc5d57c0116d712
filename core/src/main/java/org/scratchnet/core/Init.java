package org.scratchnet.core;

/** How a dense layer's weights are drawn (biases always start at zero). */
public enum Init {
    /** He (Kaiming) normal: W ~ N(0, 2 / n_in), the default for ReLU networks. */
    HE,
    /** Xavier (Glorot) normal: W ~ N(0, 2 / (n_in + n_out)). */
    XAVIER;

    /** Standard deviation of the weights of a layer with {@code nIn} inputs and {@code nOut} outputs. */
    public double stddev(int nIn, int nOut) {
        return this == HE ? Math.sqrt(2.0 / nIn) : Math.sqrt(2.0 / (nIn + nOut));
    }
}
