package org.scratchnet.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scratchnet.kernels.Kernels;
import org.scratchnet.kernels.Parallel;

/**
 * A feedforward network of dense layers (ReLU hidden, softmax output) whose parameters live in one flat
 * {@code float[]}: for each layer l = 1..L in order, its weights W_l (n_{l−1} × n_l, row-major, so that a batch X
 * multiplies as X·W_l) then its bias b_l (n_l). One array makes optimiser updates, checkpoints and checksums one loop.
 *
 * <p>Inference methods ({@link #probabilities}, {@link #predict}, {@link #topK}) work on any number of rows, in chunks
 * of {@value #CHUNK} rows, the chunks split over the kernels' threads ({@link Kernels#threads()}) as parts of one
 * {@link Parallel} job, each part with a workspace the network allocates on first use. A row's result does not depend
 * on the chunk or the thread that computed it. A network is not thread-safe; give each thread its own
 * {@link #copy()}.
 */
public final class Network {

    /** Rows per chunk in inference. */
    static final int CHUNK = 256;

    private final NetworkConfig config;
    private final float[] params;
    private final int[] wOff;
    private final int[] bOff;
    private final Inference inference = new Inference();

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

    /**
     * The live parameter array (weights and biases of every layer; see the class comment); writes change the network.
     */
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
        inference.run(Inference.PROBABILITIES, m, x, xOff, null, null, out, outOff, null, 0, null);
    }

    /** The most likely class of each of m examples into {@code out[outOff..outOff+m)} (first one on ties). */
    public void predict(float[] x, int xOff, int m, int[] out, int outOff) {
        checkRows(x, xOff, m, config.inputs(), "x");
        if (outOff < 0 || (long) outOff + m > out.length) {
            throw new IllegalArgumentException(
                    "out: offset " + outOff + " + " + m + " rows exceeds length " + out.length);
        }
        inference.run(Inference.PREDICT, m, x, xOff, null, null, null, 0, out, outOff, null);
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
        int[] pred = new int[data.size()];
        predict(data, identity(data.size()), data.size(), pred, new int[data.size()]);
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
     * Predicts examples {@code indices[0..count)} of {@code data} into {@code pred[0..count)} and their labels into
     * {@code labels[0..count)}; returns the number predicted correctly.
     */
    int predict(BatchSource data, int[] indices, int count, int[] pred, int[] labels) {
        return inference.run(Inference.PREDICT, count, null, 0, data, indices, null, 0, pred, 0, labels);
    }

    /** Counts correct predictions of examples {@code indices[0..count)} of {@code data} without keeping them. */
    int countCorrect(BatchSource data, int[] indices, int count) {
        return inference.run(Inference.COUNT, count, null, 0, data, indices, null, 0, null, 0, null);
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

    /**
     * The one inference loop: m rows in chunks of {@link #CHUNK}, the chunks cut into contiguous shares, one per part
     * of a {@link Parallel} job (at most {@link Kernels#threads()} parts), each part with its own workspace. A chunk's
     * rows come from an array or a {@link BatchSource}, go forward, and end as probabilities, or as predictions (with
     * labels, counting the correct ones), or only as a count of correct ones. The job's fields are set by the caller
     * before the job runs and cleared after it, so the network keeps no reference to the caller's arrays.
     */
    private final class Inference implements Parallel.Part {
        static final int PROBABILITIES = 0;
        static final int PREDICT = 1;
        static final int COUNT = 2;

        private Workspace[] workspaces = new Workspace[0];
        private int[] correct = new int[0];
        private int kind;
        private int m;
        private int chunks;
        private int parts;
        private float[] x;
        private int xOff;
        private BatchSource data;
        private int[] indices;
        private float[] out;
        private int outOff;
        private int[] pred;
        private int predOff;
        private int[] labels;

        /** Runs the job; returns the number of correct predictions (0 unless rows come from a BatchSource). */
        int run(int kind, int m, float[] x, int xOff, BatchSource data, int[] indices, float[] out, int outOff,
                int[] pred, int predOff, int[] labels) {
            if (m == 0) {
                return 0;
            }
            chunks = (m + CHUNK - 1) / CHUNK;
            parts = Math.min(Kernels.threads(), chunks);
            if (workspaces.length < parts) {
                Workspace[] grown = Arrays.copyOf(workspaces, parts);
                for (int p = workspaces.length; p < parts; p++) {
                    grown[p] = new Workspace(config, CHUNK, false, false);
                }
                workspaces = grown;
                correct = new int[parts];
            }
            this.kind = kind;
            this.m = m;
            this.x = x;
            this.xOff = xOff;
            this.data = data;
            this.indices = indices;
            this.out = out;
            this.outOff = outOff;
            this.pred = pred;
            this.predOff = predOff;
            this.labels = labels;
            try {
                Parallel.run(parts, this);
            } finally {
                this.x = null;
                this.data = null;
                this.indices = null;
                this.out = null;
                this.pred = null;
                this.labels = null;
            }
            int total = 0;
            for (int p = 0; p < parts; p++) {
                total += correct[p];
            }
            return total;
        }

        @Override
        public void run(int part) {
            Workspace ws = workspaces[part];
            int n0 = config.inputs();
            int nL = config.outputs();
            int end = Math.min(m, (int) ((long) chunks * (part + 1) / parts) * CHUNK);
            int right = 0;
            for (int from = (int) ((long) chunks * part / parts) * CHUNK; from < end; from += CHUNK) {
                int rows = Math.min(CHUNK, m - from);
                if (data == null) {
                    System.arraycopy(x, xOff + from * n0, ws.act[0], 0, rows * n0);
                } else {
                    data.fill(indices, from, rows, ws.act[0], 0, ws.labels, 0);
                }
                float[] logits = forward(ws, 1, 0, rows, rows, 0, 0L, 1f);
                if (kind == PROBABILITIES) {
                    Kernels.softmaxRows(rows, nL, logits, 0, nL);
                    System.arraycopy(logits, 0, out, outOff + from * nL, rows * nL);
                    continue;
                }
                Kernels.argmaxRows(rows, nL, logits, 0, nL, ws.predictions, 0);
                if (pred != null) {
                    System.arraycopy(ws.predictions, 0, pred, predOff + from, rows);
                }
                if (data != null) {
                    for (int i = 0; i < rows; i++) {
                        if (ws.predictions[i] == ws.labels[i]) {
                            right++;
                        }
                    }
                    if (labels != null) {
                        System.arraycopy(ws.labels, 0, labels, from, rows);
                    }
                }
            }
            correct[part] = right;
        }
    }

    // ------------------------------------------------------------------------------------------------ training

    /**
     * Forward pass of rows [r0, r0 + rows) through layers {@code first} .. L, from {@code ws.act[first − 1]} into the
     * same rows of {@code ws.act[l]} (see {@link #forwardLayer}); returns the logits buffer (row r at
     * {@code r·outputs}).
     */
    float[] forward(Workspace ws, int first, int r0, int rows, int m, int rowBase, long dropoutState, float keep) {
        int layers = config.layers();
        for (int l = first; l <= layers; l++) {
            forwardLayer(ws, l, r0, rows, m, rowBase, dropoutState, keep);
        }
        return ws.act[layers];
    }

    /**
     * Rows [r0, r0 + rows) of layer l's output: {@code ws.act[l]} = act[l−1]·W_l + b_l, then for a hidden layer the
     * ReLU and, with {@code keep < 1}, inverted dropout: unit u of row r is kept (and scaled by 1/keep) iff
     * {@link Rng#floatAt}(dropoutState, q + 1) &lt; keep, where q = m·(n₁ + … + n_{l−1}) + (rowBase + r)·n_l + u is
     * its place in the batch's sequence of draws (layer by layer, row by row, unit by unit over the m rows of the
     * batch). The workspace may hold a chunk of the batch: its row r is the batch's row rowBase + r. So any split of a
     * batch into chunks and row slices computes the same values and draws the same mask, which is left in
     * {@code ws.mask[l]}.
     */
    void forwardLayer(Workspace ws, int l, int r0, int rows, int m, int rowBase, long dropoutState, float keep) {
        int nOut = config.size(l);
        Dense.product(r0, rows, config.size(l - 1), nOut, ws.act[l - 1], params, wOff[l], ws.act[l]);
        finishLayer(ws, l, r0, rows, m, rowBase, dropoutState, keep);
    }

    /**
     * Rows [r0, r0 + rows) of layer l's output from its product in {@code ws.act[l]}: the bias, then for a hidden layer
     * the ReLU and dropout, as {@link #forwardLayer} describes.
     */
    void finishLayer(Workspace ws, int l, int r0, int rows, int m, int rowBase, long dropoutState, float keep) {
        boolean hidden = l < config.layers();
        int nOut = config.size(l);
        Dense.finish(r0, rows, nOut, params, bOff[l], ws.act[l], hidden);
        if (hidden && keep < 1f) {
            float[] mask = ws.mask[l];
            float scale = 1f / keep;
            int o = r0 * nOut;
            int n = rows * nOut;
            long q = m * unitsBefore(l) + (long) rowBase * nOut + o + 1;
            for (int i = 0; i < n; i++) {
                mask[o + i] = Rng.floatAt(dropoutState, q + i) < keep ? scale : 0f;
            }
            Kernels.multiply(n, ws.act[l], o, mask, o, ws.act[l], o);
        }
    }

    /** n₁ + … + n_{l−1}: the hidden units of the layers before l. */
    private long unitsBefore(int l) {
        long units = 0;
        for (int j = 1; j < l; j++) {
            units += config.size(j);
        }
        return units;
    }

    /** Draws the dropout of one batch of m rows consumes (see {@link #forwardLayer}): m·(n₁ + … + n_{L−1}). */
    long dropoutDraws(int m) {
        return m * unitsBefore(config.layers());
    }
}
