package org.scratchnet.bench;

import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import org.scratchnet.core.NetworkConfig;
import org.scratchnet.kernels.Backend;
import org.scratchnet.kernels.KernelImplementation;
import org.scratchnet.kernels.Transpose;

/**
 * A dense ReLU/softmax network's forward pass and one training step written directly on the scalar implementation of
 * the kernels ({@link KernelImplementation#of}, no facade), independently of core's {@code Network} and
 * {@code Trainer}: the yardstick that {@link TrainingStepBenchmark} and {@link InferenceBenchmark} check the code they
 * time against, in their setup, before anything is timed.
 *
 * <p>The backend of {@code org.scratchnet.kernels.Kernels} (and so of core) is chosen once per JVM, so a benchmark
 * fork cannot run core on both backends; instead, each fork runs core on its backend and this class on the scalar
 * kernels in the same JVM, and the two must agree. In the vector fork that is the scalar-against-vector check.
 *
 * <p>Parameter layout: core's documented one (class comment of {@code Network}): for each layer l, W_l
 * (n_{l−1} × n_l, row-major) then b_l (n_l), in one flat array. Also here: seeded random inputs, the flop counts
 * that the benchmarks report as their {@code flop} counter, and the vector implementation for the benchmarks that call
 * the twins directly.
 */
final class ScalarReference {

    /** The scalar kernels, called directly. */
    private static final KernelImplementation SCALAR = KernelImplementation.of(Backend.SCALAR);

    private ScalarReference() {
    }

    /** Layer sizes from a dash-separated spec such as {@code 784-200-100-25-10}. */
    static int[] parseSizes(String spec) {
        String[] parts = spec.split("-");
        if (parts.length < 2) {
            throw new IllegalArgumentException("expected layer sizes like 784-200-100-25-10, got " + spec);
        }
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = Integer.parseInt(parts[i].trim());
        }
        return sizes;
    }

    /** Multiply-adds of one example's forward pass: Σ_l n_{l−1}·n_l. */
    static long forwardMacs(int[] sizes) {
        long macs = 0;
        for (int l = 1; l < sizes.length; l++) {
            macs += (long) sizes[l - 1] * sizes[l];
        }
        return macs;
    }

    /**
     * Flops of one training step of m examples: m times core's {@link NetworkConfig#trainingFlopPerExample()} (the
     * three gemms per layer: forward X·W, weight gradient Xᵀ·dZ and input gradient dZ·Wᵀ for every layer but the
     * first). 784-200-100-25-10 at m = 128: 97.75 MFLOP.
     */
    static long trainingFlop(int[] sizes, int m) {
        return m * NetworkConfig.of(sizes).trainingFlopPerExample();
    }

    /** Flops of inference over m examples: m times core's {@link NetworkConfig#forwardFlopPerExample()}. */
    static long inferenceFlop(int[] sizes, int m) {
        return m * NetworkConfig.of(sizes).forwardFlopPerExample();
    }

    /** n·features values uniform in [0, 1), like pixels / 255, from {@code seed}. */
    static float[] randomImages(int n, int features, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[Math.multiplyExact(n, features)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble();
        }
        return x;
    }

    /** n standard normal values from {@code rnd}. */
    static float[] gaussian(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /**
     * The vector implementation of the kernels, or null where this JVM cannot run it (a benchmark's setup then fails
     * with {@link KernelImplementation#of}'s reason).
     */
    static KernelImplementation vectorOrNull() {
        try {
            return KernelImplementation.of(Backend.VECTOR);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** n labels uniform in [0, classes), from {@code seed}. */
    static int[] randomLabels(int n, int classes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(classes);
        }
        return labels;
    }

    /** Offset of W_l (1-based) in the flat parameter array. */
    static int weightOffset(int[] sizes, int layer) {
        int off = 0;
        for (int l = 1; l < layer; l++) {
            off += sizes[l - 1] * sizes[l] + sizes[l];
        }
        return off;
    }

    /** Offset of b_l (1-based). */
    static int biasOffset(int[] sizes, int layer) {
        return weightOffset(sizes, layer) + sizes[layer - 1] * sizes[layer];
    }

    /**
     * Forward pass of m rows of x: acts[0] = x, acts[l] = ReLU(acts[l−1]·W_l + b_l) for hidden layers, the logits
     * for the last. Returns acts (acts[L] holds the logits).
     */
    static float[][] forward(int[] sizes, float[] params, float[] x, int m) {
        int layers = sizes.length - 1;
        float[][] acts = new float[layers + 1][];
        acts[0] = x;
        for (int l = 1; l <= layers; l++) {
            int nIn = sizes[l - 1];
            int nOut = sizes[l];
            acts[l] = new float[m * nOut];
            SCALAR.gemm(Transpose.N, Transpose.N, m, nOut, nIn, 1f, acts[l - 1], 0, nIn,
                    params, weightOffset(sizes, l), nOut, 0f, acts[l], 0, nOut);
            SCALAR.addRowBias(m, nOut, params, biasOffset(sizes, l), acts[l], 0, nOut);
            if (l < layers) {
                SCALAR.relu(m * nOut, acts[l], 0, acts[l], 0);
            }
        }
        return acts;
    }

    /** Row-wise softmax probabilities of the first m rows of x. */
    static float[] probabilities(int[] sizes, float[] params, float[] x, int m) {
        float[] logits = forward(sizes, params, x, m)[sizes.length - 1];
        SCALAR.softmaxRows(m, sizes[sizes.length - 1], logits, 0, sizes[sizes.length - 1]);
        return logits;
    }

    /**
     * One mini-batch step on m rows: gradient of the mean cross-entropy, then EMA momentum V = β·V + (1−β)·g;
     * W −= α·V over all parameters. Modifies params and velocity; returns the summed (not averaged) loss.
     */
    static double step(int[] sizes, float[] params, float[] velocity, float[] x, int[] labels, int m,
                       float alpha, float beta) {
        int layers = sizes.length - 1;
        float[][] acts = forward(sizes, params, x, m);
        int nL = sizes[layers];
        float[] grad = new float[params.length];
        float[] dz = new float[m * nL];
        double loss = SCALAR.softmaxCrossEntropy(m, nL, acts[layers], 0, nL, labels, 0, 1f / m, dz, 0, nL);
        for (int l = layers; l >= 1; l--) {
            int nIn = sizes[l - 1];
            int nOut = sizes[l];
            SCALAR.gemm(Transpose.T, Transpose.N, nIn, nOut, m, 1f, acts[l - 1], 0, nIn, dz, 0, nOut,
                    0f, grad, weightOffset(sizes, l), nOut);
            SCALAR.columnSums(m, nOut, 1f, dz, 0, nOut, 0f, grad, biasOffset(sizes, l));
            if (l > 1) {
                float[] dIn = new float[m * nIn];
                SCALAR.gemm(Transpose.N, Transpose.T, m, nIn, nOut, 1f, dz, 0, nOut,
                        params, weightOffset(sizes, l), nOut, 0f, dIn, 0, nIn);
                SCALAR.reluBackward(m * nIn, acts[l - 1], 0, dIn, 0, dIn, 0);
                dz = dIn;
            }
        }
        SCALAR.momentumEma(params.length, alpha, beta, grad, 0, velocity, 0, params, 0);
        return loss;
    }

    /**
     * Throws unless |expected[i] − actual[i]| &lt;= tolerance[i] for every i, naming the first element that is off.
     */
    static void checkClose(String what, float[] expected, float[] actual, float[] tolerance) {
        if (expected.length != actual.length) {
            throw new IllegalStateException(what + ": expected " + expected.length + " values, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance[i])) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s: element %d is %g, the scalar reference says %g (tolerance %g); not timing a wrong result",
                        what, i, actual[i], expected[i], tolerance[i]));
            }
        }
    }
}
