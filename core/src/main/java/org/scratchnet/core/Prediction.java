package org.scratchnet.core;

/** One of the top-k answers for an example: a class and the softmax probability the network gives it. */
public record Prediction(int label, float probability) {
}
