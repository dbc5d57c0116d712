package org.scratchnet.core;

import java.util.concurrent.atomic.AtomicInteger;
import org.scratchnet.kernels.Kernels;
import org.scratchnet.kernels.Parallel;

/**
 * One mini-batch step of training — forward, loss, backward, optimiser update — as two {@link Parallel} jobs, so that
 * the kernels' T threads meet twice per step instead of at every kernel call:
 * <ol>
 *   <li><b>Rows</b>. The batch's m rows are cut into T slices of whole multiples of {@link #ALIGN} rows. Each slice
 *       gathers its examples from the {@link BatchSource} (so they land in the cache of the core that uses them),
 *       runs every layer forward (gemm, bias, ReLU, dropout), the fused softmax + cross-entropy with each row's loss,
 *       and then the input gradients back to layer 1 (dX = dZ·Wᵀ and the ReLU derivative). Row r of layer l depends
 *       only on row r of layer l − 1, so no slice waits for another between layers.</li>
 *   <li><b>Weights</b>. The weight gradients of all layers form one list of work items, each a range of rows of one
 *       layer's dW = Xᵀ·dZ over all m rows (the batch is never split), followed at once by the optimiser update of
 *       those same weights while the gradient is in cache; the first item of a layer also does its bias. Items are
 *       claimed by whichever thread is free, the largest layer first.</li>
 * </ol>
 *
 * <p>Bit-identity. Every element of every activation, gradient and parameter is computed by the same operations in
 * the same order whatever the slices, items and threads: gemm reduces each element over k in a fixed order, the other
 * kernels are row-wise or element-wise, the batch's loss is the sum of the row losses in row order, and dropout draws
 * unit (l, r, u)'s mask from its fixed place in the run's random sequence ({@link Network#forwardLayer}). So a run
 * gives the same bits on any number of threads; on one thread everything runs on the caller.
 *
 * <p>No allocation per step: the jobs are this object's reusable parts, the buffers are the workspace's and, for the
 * gradient of a work item, a small per-thread buffer made at the thread's first item. See docs/decisions (training
 * step) for the measurements behind the structure and its constants.
 */
final class TrainingStep {

    /** Row slices start at multiples of this (gemm's micro-tile height), so each slice is whole tiles but the last. */
    static final int ALIGN = 8;
    /**
     * Target multiply-adds of one weight work item: big enough that a gemm call's fixed costs (packing its slice of Xᵀ)
     * are small against it, small enough that the item's gradient stays in the level-2 cache and that the threads end
     * phase 2 within about one item of each other (2²¹: 96-row items of the 784-200 layer at batch 128). Overridable
     * with {@code -Dscratchnet.step.itemMacs=N} for the measurement in docs/decisions/0024-training-step.md.
     */
    static final long ITEM_MACS = Long.getLong("scratchnet.step.itemMacs", 1L << 21);

    private final Network network;
    private final NetworkConfig net;
    private final int layers;
    final Workspace ws;
    private final Rows rows;
    private final Weights weights;
    /**
     * Wᵀ_l for the layers l &gt;= 2 (n_l × n_{l−1}, row-major), kept equal to the weights: made here, and rewritten
     * by each weight item right after it updates its rows (so a TrainingStep must be the only writer of the weights
     * while it is in use).
     */
    private final float[][] transposed;
    /** Per thread: one weight item's gradient (grown to the largest item a thread has run). */
    private final ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[0]);

    // the step in progress, set by the caller before each job
    private int m;
    private int parts;
    private BatchSource source;
    private int[] order;
    private int from;
    private long dropoutState;
    private float keep = 1f;
    private OptimizerState optimizer;
    private float decay;

    /**
     * @param capacity the largest batch (rows)
     * @param dropout  whether any step will use dropout (allocates the masks)
     */
    TrainingStep(Network network, int capacity, boolean dropout) {
        this.network = network;
        this.net = network.config();
        this.layers = net.layers();
        this.ws = new Workspace(net, capacity, true, dropout);
        this.rows = new Rows();
        this.weights = new Weights();
        this.transposed = new float[layers + 1][];
        for (int l = 2; l <= layers; l++) {
            transposed[l] = new float[net.size(l - 1) * net.size(l)];
            transpose(l, 0, net.size(l - 1));
        }
    }

    /**
     * Phase 1 on m rows: examples {@code order[from .. from + m)} of {@code source} forward and backward down to every
     * layer's dZ. Leaves the predictions in {@code ws.predictions}, the labels in {@code ws.labels}, and returns the
     * batch's summed loss (row losses added in row order). {@code keep} &lt; 1 turns dropout on, with the masks drawn
     * from the sequence at {@code dropoutState} (see {@link Network#forwardLayer}).
     */
    double forwardBackward(BatchSource source, int[] order, int from, int m, long dropoutState, float keep) {
        this.source = source;
        this.order = order;
        this.from = from;
        this.m = m;
        this.dropoutState = dropoutState;
        this.keep = keep;
        this.parts = slices(m);
        try {
            Parallel.run(parts, rows);
        } finally {
            this.source = null;
            this.order = null;
        }
        double loss = 0;
        for (int i = 0; i < m; i++) {
            loss += ws.rowLoss[i];
        }
        return loss;
    }

    /**
     * Phase 2 for the batch of the last {@link #forwardBackward}: every weight gradient, plus λ·W when
     * {@code decay} &gt; 0, and the optimiser's update of the step already begun on {@code optimizer}
     * ({@link OptimizerState#beginStep}); with a null {@code optimizer}, only the gradients, left in
     * {@code ws.paramGrads}, and the parameters unchanged.
     */
    void update(OptimizerState optimizer, float decay) {
        this.optimizer = optimizer;
        this.decay = decay;
        weights.plan(m);
        weights.next.set(0);
        try {
            Parallel.run(Math.min(Kernels.threads(), weights.items), weights);
        } finally {
            this.optimizer = null;
        }
    }

    /** Row slices of a batch of m rows: one per thread, at most one per ALIGN rows. */
    static int slices(int m) {
        return Math.min(Kernels.threads(), (m + ALIGN - 1) / ALIGN);
    }

    /** Start of row slice {@code part} of {@code parts} of m rows: an even share of the batch's ALIGN-row groups. */
    static int sliceStart(int m, int parts, int part) {
        int groups = (m + ALIGN - 1) / ALIGN;
        return Math.min(m, (int) ((long) groups * part / parts) * ALIGN);
    }

    private int sliceStart(int part) {
        return sliceStart(m, parts, part);
    }

    /** This thread's gradient buffer, grown to at least {@code size} floats (at the first items only). */
    private float[] scratch(int size) {
        float[] g = scratch.get();
        if (g.length < size) {
            g = new float[size];
            scratch.set(g);
        }
        return g;
    }

    /**
     * The gradient and update of rows [i0, i1) of layer l's weights (and, if {@code bias}, of its bias). With an
     * optimiser, the gradient goes to this thread's small buffer, which stays in cache, and is applied at once; without
     * one, to the workspace at the parameters' offsets.
     */
    private void updateRows(int l, int i0, int i1, boolean bias) {
        int nIn = net.size(l - 1);
        int nOut = net.size(l);
        float[] params = network.parameters();
        int off = network.weightOffset(l) + i0 * nOut;
        int len = (i1 - i0) * nOut;
        int bOff = network.biasOffset(l);
        if (optimizer == null) {
            Dense.weightGradient(m, i0, i1, nIn, nOut, ws.act[l - 1], ws.grad[l], ws.paramGrads, off);
            if (bias) {
                Dense.biasGradient(m, nOut, ws.grad[l], ws.paramGrads, bOff);
            }
            return;
        }
        float[] g = scratch(len);
        Dense.weightGradient(m, i0, i1, nIn, nOut, ws.act[l - 1], ws.grad[l], g, 0);
        if (decay > 0) {
            Kernels.axpy(len, decay, params, off, g, 0);
        }
        optimizer.apply(g, 0, params, off, len);
        if (bias) {
            Dense.biasGradient(m, nOut, ws.grad[l], g, 0);
            optimizer.apply(g, 0, params, bOff, nOut);
        }
        if (l > 1) {
            transpose(l, i0, i1);
        }
    }

    /**
     * Copies rows [i0, i1) of W_l, just updated, into the transposed copy Wᵀ_l (column i of it), which phase 1's
     * input gradient dX = dZ·Wᵀ reads in place: one copy per step instead of each thread packing Wᵀ for its own
     * gemm. Reads a block that is in cache (the item just wrote it), writes i1 − i0 consecutive floats per row of Wᵀ.
     */
    private void transpose(int l, int i0, int i1) {
        int nIn = net.size(l - 1);
        int nOut = net.size(l);
        float[] w = network.parameters();
        int wOff = network.weightOffset(l);
        float[] t = transposed[l];
        int j = 0;
        for (; j + 4 <= nOut; j += 4) {
            // four rows of Wᵀ at a time: four neighbouring floats of each row of W per read
            int d0 = j * nIn;
            int d1 = d0 + nIn;
            int d2 = d1 + nIn;
            int d3 = d2 + nIn;
            for (int i = i0, src = wOff + i0 * nOut + j; i < i1; i++, src += nOut) {
                t[d0 + i] = w[src];
                t[d1 + i] = w[src + 1];
                t[d2 + i] = w[src + 2];
                t[d3 + i] = w[src + 3];
            }
        }
        for (; j < nOut; j++) {
            for (int i = i0, src = wOff + i0 * nOut + j; i < i1; i++, src += nOut) {
                t[j * nIn + i] = w[src];
            }
        }
    }

    /** Phase 1: one row slice per part: its examples, every layer forward, the loss, the input gradients to dZ₁. */
    private final class Rows implements Parallel.Part {
        @Override
        public void run(int part) {
            int r0 = sliceStart(part);
            int count = sliceStart(part + 1) - r0;
            if (count == 0) {
                return;
            }
            int nL = net.outputs();
            source.fill(order, from + r0, count, ws.act[0], r0 * net.inputs(), ws.labels, r0);
            float[] logits = network.forward(ws, 1, r0, count, m, dropoutState, keep);
            Kernels.argmaxRows(count, nL, logits, r0 * nL, nL, ws.predictions, r0);
            Kernels.softmaxCrossEntropy(count, nL, logits, r0 * nL, nL, ws.labels, r0, 1f / m, ws.grad[layers],
                    r0 * nL, nL, ws.rowLoss, r0);
            for (int l = layers; l >= 2; l--) {
                int nIn = net.size(l - 1);
                float[] dIn = ws.grad[l - 1];
                Dense.inputGradient(r0, count, nIn, net.size(l), ws.grad[l], transposed[l], dIn);
                int o = r0 * nIn;
                int n = count * nIn;
                if (keep < 1f) {
                    Kernels.multiply(n, dIn, o, ws.mask[l - 1], o, dIn, o);
                }
                Kernels.reluBackward(n, ws.act[l - 1], o, dIn, o, dIn, o);
            }
        }
    }

    /**
     * Phase 2: one part per thread, each claiming weight items from the work list until none is left. The list holds
     * the items of layers 1 .. L in layer order, each rows [rowFrom, rowTo) of one layer's dW.
     */
    private final class Weights implements Parallel.Part {
        final int[] layer;
        final int[] rowFrom;
        final int[] rowTo;
        final AtomicInteger next = new AtomicInteger();
        int items;

        Weights() {
            int max = 0;
            for (int l = 1; l <= layers; l++) {
                max += net.size(l - 1);
            }
            layer = new int[max];
            rowFrom = new int[max];
            rowTo = new int[max];
        }

        /**
         * Cuts the dW of every layer into ranges of rows of about {@link #ITEM_MACS} multiply-adds for a batch of
         * m rows (whole multiples of 16 rows, gemm's strip height, but the last).
         */
        void plan(int m) {
            items = 0;
            for (int l = 1; l <= layers; l++) {
                int nIn = net.size(l - 1);
                int step = rowsPerItem(nIn, net.size(l), m);
                for (int i = 0; i < nIn; i += step) {
                    layer[items] = l;
                    rowFrom[items] = i;
                    rowTo[items] = Math.min(nIn, i + step);
                    items++;
                }
            }
        }

        @Override
        public void run(int part) {
            for (int item = next.getAndIncrement(); item < items; item = next.getAndIncrement()) {
                int l = layer[item];
                updateRows(l, rowFrom[item], rowTo[item], rowFrom[item] == 0);
            }
        }

        /** Rows of dW per item: about ITEM_MACS / (width · m), a multiple of 16, at least 16, at most all. */
        private int rowsPerItem(int nIn, int width, int m) {
            long perRow = (long) width * Math.max(1, m);
            return (int) Math.min(nIn, Math.max(16, (ITEM_MACS / perRow + 15) / 16 * 16));
        }
    }
}
