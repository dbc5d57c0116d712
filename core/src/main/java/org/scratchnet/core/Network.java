package org.scratchnet.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scratchnet.kernels.Kernels;

/**
 * A feedforward network of dense layers (ReLU hidden, softmax output) whose parameters live in one flat
 * {@code float[]}: for each layer l = 1..L in order, its weights W_l (n_{l−1} × n_l, row-major, so that a batch X
 * multiplies as X·W_l) then its bias b_l (n_l). One array makes optimiser updates, checkpoints and checksums one loop.
 *
 * <p>Inference methods ({@link #probabilities}, {@link #predict}, {@link #topK}) work on any number of rows, in chunks
 * of {@value #CHUNK} through a workspace the network allocates on first use. A network is not thread-safe; give each
 * thread its own {@link #copy()}.
 */
public final class Network {

    /** Rows per chunk in inference. */
    static final int CHUNK = 256;

    private final NetworkConfig config;
    private final float[] params;
    private final int[] wOff;
    private final int[] bOff;
    private Workspace inference;

    private Network(NetworkConfig config, float[] params) {
        this.config = config;
        this.params = params;
        int layers = config.layers();
        wOff = new int[layers + 1];
        bOff = new int[layers + 1];
        int off = 0;
        for (int l = 1; l <= layers; l++) {
            wOff[l] = off;
            off += config.size(l - 1) * config.size(l);
            bOff[l] = off;
            off += config.size(l);
        }
    }

    /**
     * A freshly initialised network: weights drawn from N(0, σ²) with σ from {@link Init#stddev} using stream 1 of
     * {@code seed} ({@link Rng#stream}), layer by layer in storage order; biases zero.
     */
    public static Network create(NetworkConfig config, long seed) {
        Network n = new Network(config, new float[config.parameterCount()]);
        Rng rng = Rng.stream(seed, 1);
        for (int l = 1; l <= config.layers(); l++) {
            int nIn = config.size(l - 1);
            int nOut = config.size(l);
            double sd = config.init().stddev(nIn, nOut);
            int off = n.wOff[l];
            for (int i = 0; i < nIn * nOut; i++) {
                n.params[off + i] = (float) (sd * rng.nextGaussian());
            }
        }
        return n;
    }

    /**
     * A network with the given parameters (copied), laid out as described in the class comment.
     *
     * @throws IllegalArgumentException if the length is not {@link NetworkConfig#parameterCount()}
     */
    public static Network of(NetworkConfig config, float[] parameters) {
        if (parameters.length != config.parameterCount()) {
            throw new IllegalArgumentException("network " + config.describe() + " needs " + config.parameterCount()
                    + " parameters, got " + parameters.length);
        }
        return new Network(config, parameters.clone());
    }

    /** The shape. */
    public NetworkConfig config() {
        return config;
    }

    /** Number of dense layers. */
    public int layers() {
        return config.layers();
    }

    /** The live parameter array (weights and biases of every layer; see the class comment); writes change the network. */
    public float[] parameters() {
        return params;
    }

    /** Offset of W_l (1-based layer) in {@link #parameters()}. */
    public int weightOffset(int layer) {
        checkLayer(layer);
        return wOff[layer];
    }

    /** Offset of b_l (1-based layer) in {@link #parameters()}. */
    public int biasOffset(int layer) {
        checkLayer(layer);
        return bOff[layer];
    }

    private void checkLayer(int layer) {
        if (layer < 1 || layer > config.layers()) {
            throw new IllegalArgumentException("layer must be in [1, " + config.layers() + "], got " + layer);
        }
    }

    /** An independent copy. */
    public Network copy() {
        return new Network(config, params.clone());
    }

    /** Overwrites the parameters with {@code source}'s (same length). */
    public void setParameters(float[] source) {
        if (source.length != params.length) {
            throw new IllegalArgumentException("expected " + params.length + " parameters, got " + source.length);
        }
        System.arraycopy(source, 0, params, 0, params.length);
    }

    /** Whether every parameter is finite (no NaN, no infinity). */
    public boolean isFinite() {
        return allFinite(params);
    }

    static boolean allFinite(float[] a) {
        for (float v : a) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------ inference

    /**
     * Softmax probabilities for m examples: row i of x (at {@code xOff + i·inputs}) gives row i of out (at
     * {@code outOff + i·outputs}). Only out is modified.
     */
    public void probabilities(float[] x, int xOff, int m, float[] out, int outOff) {
        checkRows(x, xOff, m, config.inputs(), "x");
        checkRows(out, outOff, m, config.outputs(), "out");
        Workspace ws = inferenceWorkspace();
        int n0 = config.inputs();
        int nL = config.outputs();
        for (int from = 0; from < m; from += CHUNK) {
            int rows = Math.min(CHUNK, m - from);
            System.arraycopy(x, xOff + from * n0, ws.act[0], 0, rows * n0);
            float[] logits = forward(ws, rows, null, 1f);
            Kernels.softmaxRows(rows, nL, logits, 0, nL);
            System.arraycopy(logits, 0, out, outOff + from * nL, rows * nL);
        }
    }

    /** The most likely class of each of m examples into {@code out[outOff..outOff+m)} (first one on ties). */
    public void predict(float[] x, int xOff, int m, int[] out, int outOff) {
        checkRows(x, xOff, m, config.inputs(), "x");
        if (outOff < 0 || (long) outOff + m > out.length) {
            throw new IllegalArgumentException("out: offset " + outOff + " + " + m + " rows exceeds length " + out.length);
        }
        Workspace ws = inferenceWorkspace();
        int n0 = config.inputs();
        for (int from = 0; from < m; from += CHUNK) {
            int rows = Math.min(CHUNK, m - from);
            System.arraycopy(x, xOff + from * n0, ws.act[0], 0, rows * n0);
            float[] logits = forward(ws, rows, null, 1f);
            Kernels.argmaxRows(rows, config.outputs(), logits, 0, config.outputs(), out, outOff + from);
        }
    }

    /** The most likely class of one example at {@code x[xOff..]}. */
    public int predict(float[] x, int xOff) {
        int[] out = new int[1];
        predict(x, xOff, 1, out, 0);
        return out[0];
    }

    /** Predictions for every example of {@code data}, in order (batch inference over a whole dataset). */
    public int[] predict(BatchSource data) {
        checkSource(data, "data");
        int[] indices = identity(data.size());
        int[] pred = new int[data.size()];
        predict(data, indices, data.size(), pred, new int[data.size()], inferenceWorkspace());
        return pred;
    }

    /**
     * The {@code k} most probable classes of one example, most probable first (ties: lower class first).
     *
     * @throws IllegalArgumentException if k is not in [1, outputs]
     */
    public List<Prediction> topK(float[] x, int xOff, int k) {
        int nL = config.outputs();
        if (k < 1 || k > nL) {
            throw new IllegalArgumentException("k must be in [1, " + nL + "], got " + k);
        }
        float[] p = new float[nL];
        probabilities(x, xOff, 1, p, 0);
        Integer[] order = new Integer[nL];
        for (int i = 0; i < nL; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Float.compare(p[b], p[a]) : Integer.compare(a, b));
        List<Prediction> top = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            top.add(new Prediction(order[i], p[order[i]]));
        }
        return top;
    }

    /**
     * Predicts examples {@code indices[0..count)} of {@code data} into {@code pred} and their labels into
     * {@code labels}, through {@code ws}; returns the number predicted correctly.
     */
    int predict(BatchSource data, int[] indices, int count, int[] pred, int[] labels, Workspace ws) {
        int correct = 0;
        for (int from = 0; from < count; from += ws.capacity) {
            int rows = Math.min(ws.capacity, count - from);
            data.fill(indices, from, rows, ws.act[0], 0, labels, from);
            float[] logits = forward(ws, rows, null, 1f);
            Kernels.argmaxRows(rows, config.outputs(), logits, 0, config.outputs(), pred, from);
            for (int i = from; i < from + rows; i++) {
                if (pred[i] == labels[i]) {
                    correct++;
                }
            }
        }
        return correct;
    }

    /** Counts correct predictions of {@code indices[0..count)} without keeping them (uses ws.predictions/labels). */
    int countCorrect(BatchSource data, int[] indices, int count, Workspace ws) {
        int correct = 0;
        int nL = config.outputs();
        for (int from = 0; from < count; from += ws.capacity) {
            int rows = Math.min(ws.capacity, count - from);
            data.fill(indices, from, rows, ws.act[0], 0, ws.labels, 0);
            float[] logits = forward(ws, rows, null, 1f);
            Kernels.argmaxRows(rows, nL, logits, 0, nL, ws.predictions, 0);
            for (int i = 0; i < rows; i++) {
                if (ws.predictions[i] == ws.labels[i]) {
                    correct++;
                }
            }
        }
        return correct;
    }

    Workspace inferenceWorkspace() {
        if (inference == null) {
            inference = new Workspace(config, CHUNK, false, false);
        }
        return inference;
    }

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    void checkSource(BatchSource data, String what) {
        if (data.features() != config.inputs()) {
            throw new IllegalArgumentException(what + " has " + data.features() + " features per example, the network "
                    + config.describe() + " expects " + config.inputs());
        }
        if (data.classes() > config.outputs()) {
            throw new IllegalArgumentException(what + " has " + data.classes() + " classes, the network "
                    + config.describe() + " has " + config.outputs() + " outputs");
        }
    }

    private static void checkRows(float[] a, int off, int m, int cols, String name) {
        if (m < 0) {
            throw new IllegalArgumentException("m must be >= 0, got " + m);
        }
        if (off < 0 || (long) off + (long) m * cols > a.length) {
            throw new IllegalArgumentException(name + ": offset " + off + " + " + m + " rows of " + cols
                    + " exceeds the array length " + a.length);
        }
    }

    // ------------------------------------------------------------------------------------------------ training

    /**
     * Forward pass of the first m rows of {@code ws.act[0]}; returns the logits buffer (m × outputs at offset 0).
     * With {@code dropout} not null, each hidden activation is kept with probability {@code keep} and scaled by
     * 1/keep (inverted dropout), the mask drawn row by row, unit by unit, from {@code dropout} and left in ws.mask.
     */
    float[] forward(Workspace ws, int m, Rng dropout, float keep) {
        int layers = config.layers();
        float scale = 1f / keep;
        for (int l = 1; l <= layers; l++) {
            boolean hidden = l < layers;
            Dense.forward(m, config.size(l - 1), config.size(l), ws.act[l - 1], params, wOff[l], bOff[l], ws.act[l],
                    hidden);
            if (hidden && dropout != null) {
                float[] mask = ws.mask[l];
                int n = m * config.size(l);
                for (int i = 0; i < n; i++) {
                    mask[i] = dropout.nextFloat() < keep ? scale : 0f;
                }
                Kernels.multiply(n, ws.act[l], 0, mask, 0, ws.act[l], 0);
            }
        }
        return ws.act[layers];
    }

    /**
     * One forward and backward pass of the first m rows of {@code ws.act[0]} with labels {@code ws.labels}: fills
     * {@code ws.paramGrads} with the gradient of the mean cross-entropy, {@code ws.predictions} with the argmax of the
     * logits, and returns the summed (not averaged) loss. The ReLU derivative is taken from the stored activation
     * (a &gt; 0 exactly where z &gt; 0); a dropped unit's gradient is zeroed by its mask.
     */
    double forwardBackward(Workspace ws, int m, Rng dropout, float keep) {
        int layers = config.layers();
        int nL = config.outputs();
        float[] logits = forward(ws, m, dropout, keep);
        Kernels.argmaxRows(m, nL, logits, 0, nL, ws.predictions, 0);
        double loss = Kernels.softmaxCrossEntropy(m, nL, logits, 0, nL, ws.labels, 0, 1f / m, ws.grad[layers], 0, nL);
        for (int l = layers; l >= 1; l--) {
            int nIn = config.size(l - 1);
            int nOut = config.size(l);
            float[] dIn = l > 1 ? ws.grad[l - 1] : null;
            Dense.backward(m, nIn, nOut, ws.act[l - 1], ws.grad[l], params, wOff[l], bOff[l], ws.paramGrads, dIn);
            if (dIn != null) {
                int n = m * nIn;
                if (dropout != null) {
                    Kernels.multiply(n, dIn, 0, ws.mask[l - 1], 0, dIn, 0);
                }
                Kernels.reluBackward(n, ws.act[l - 1], 0, dIn, 0, dIn, 0);
            }
        }
        return loss;
    }
}
