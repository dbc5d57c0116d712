package org.scratchnet.core;

import java.util.concurrent.atomic.AtomicInteger;
import org.scratchnet.kernels.Kernels;
import org.scratchnet.kernels.Parallel;

/**
 * One mini-batch step of training — forward, loss, backward, optimiser update — as two {@link Parallel} jobs, so that
 * the kernels' T threads meet twice per step instead of at every kernel call:
 * <ol>
 *   <li><b>Rows</b>. The batch's m rows are cut into T slices of whole multiples of {@link #ALIGN} rows. Each slice
 *       runs every layer forward (gemm, bias, ReLU, dropout), the fused softmax + cross-entropy with each row's loss,
 *       and then the input gradients back to layer 1 (dX = dZ·Wᵀ and the ReLU derivative). Row r of layer l depends
 *       only on row r of layer l − 1, so no slice waits for another between layers. (An epoch's first batch is
 *       gathered by a job of the same slices before; later batches were gathered during the previous step.)</li>
 *   <li><b>Weights</b>. The weight gradients of all layers form one list of work items, each a range of rows of one
 *       layer's dW = Xᵀ·dZ over all m rows (the batch is never split), followed at once by the optimiser update of
 *       those same weights while the gradient is in cache; the first item of a layer also does its bias. Items are
 *       claimed by whichever thread is free, the largest layer first. When the next batch is known, each thread then
 *       gathers the slice of its rows that it will run in the next step's phase 1 into a second input buffer, so the
 *       next step starts with its data in place, in the cache of the core that uses it.</li>
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
     * Target multiply-adds of one weight work item: big enough that a gemm call's fixed costs are small against it,
     * small enough that the item's gradient, velocity and weights stay in cache and that the threads end phase 3
     * within about one item of each other. See docs/decisions (training step).
     */
    static final long ITEM_MACS = Long.getLong("scratchnet.step.itemMacs", 1L << 19);
    /** The next batch is gathered ahead only for batches up to this many rows (the second input buffer's memory). */
    static final int PREFETCH_MAX_ROWS = Integer.getInteger("scratchnet.step.prefetchMax", 4096);

    private final Network network;
    private final NetworkConfig net;
    private final int layers;
    final Workspace ws;
    private final Gather gather;
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
    private long dropoutState;
    private float keep = 1f;
    private OptimizerState optimizer;
    private float decay;
    private int nextFrom;
    private int nextRows;

    /**
     * @param capacity the largest batch (rows)
     * @param dropout  whether any step will use dropout (allocates the masks)
     */
    TrainingStep(Network network, int capacity, boolean dropout) {
        this.network = network;
        this.net = network.config();
        this.layers = net.layers();
        this.ws = new Workspace(net, capacity, true, dropout, capacity <= PREFETCH_MAX_ROWS);
        this.gather = new Gather();
        this.rows = new Rows();
        this.weights = new Weights();
        this.transposed = new float[layers + 1][];
        for (int l = 2; l <= layers; l++) {
            transposed[l] = new float[net.size(l - 1) * net.size(l)];
            transpose(l, 0, net.size(l - 1));
        }
    }

    /** Whether the next batch can be gathered during {@link #update} (see {@link #update}'s {@code nextRows}). */
    boolean prefetches() {
        return ws.nextInput != null;
    }

    /**
     * Phase 1 on m rows: examples {@code order[from .. from + m)} of {@code source} (or, if {@code gathered},
     * the rows already in the workspace from the previous step's prefetch) forward and backward down to every layer's
     * dZ. Leaves the predictions in {@code ws.predictions}, the labels in {@code ws.labels}, and returns the batch's
     * summed loss (row losses added in row order). {@code keep} &lt; 1 turns dropout on, with the masks drawn from
     * the sequence at {@code dropoutState} (see {@link Network#forwardLayer}).
     */
    double forwardBackward(BatchSource source, int[] order, int from, int m, boolean gathered, long dropoutState,
                           float keep) {
        this.m = m;
        this.dropoutState = dropoutState;
        this.keep = keep;
        this.parts = slices(m);
        if (!gathered) {
            gather.run(source, order, from, m, ws.act[0], ws.labels);
        }
        Parallel.run(parts, rows);
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
     * {@code ws.paramGrads}, and the parameters unchanged. With {@code nextRows} &gt; 0 (only if
     * {@link #prefetches()}), also gathers examples {@code order[nextFrom .. nextFrom + nextRows)} of {@code source}
     * into the second input buffer and swaps it in, so that the next {@link #forwardBackward} can be told they are
     * gathered.
     */
    void update(OptimizerState optimizer, float decay, BatchSource source, int[] order, int nextFrom, int nextRows) {
        this.optimizer = optimizer;
        this.decay = decay;
        this.source = source;
        this.order = order;
        this.nextFrom = nextFrom;
        this.nextRows = nextRows;
        weights.plan(m);
        weights.next.set(0);
        try {
            Parallel.run(Math.max(parts, nextRows > 0 ? slices(nextRows) : 0), weights);
        } finally {
            this.optimizer = null;
            this.source = null;
            this.order = null;
        }
        if (nextRows > 0) {
            ws.swapInput();
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
     * The gradient and update of rows [i0, i1) and columns [c0, c1) of layer l's weights (and, if {@code bias}, of
     * its bias columns [c0, c1)). With an optimiser, the gradient goes to this thread's small buffer, which stays in
     * the first-level cache, and is applied at once; without one, to the workspace at the parameters' offsets.
     */
    private void updateBlock(int l, int i0, int i1, int c0, int c1, boolean bias) {
        int nIn = net.size(l - 1);
        int nOut = net.size(l);
        int width = c1 - c0;
        float[] params = network.parameters();
        int wOff = network.weightOffset(l);
        boolean whole = width == nOut;
        if (optimizer == null) {
            Dense.weightGradient(m, i0, i1, nIn, nOut, c0, c1, ws.act[l - 1], ws.grad[l], ws.paramGrads,
                    wOff + i0 * nOut + c0, nOut);
            if (bias) {
                Dense.biasGradient(m, nOut, c0, c1, ws.grad[l], ws.paramGrads, network.biasOffset(l) + c0);
            }
            return;
        }
        float[] g = scratch(Math.max((i1 - i0) * width, width));
        Dense.weightGradient(m, i0, i1, nIn, nOut, c0, c1, ws.act[l - 1], ws.grad[l], g, 0, width);
        if (whole) {
            applyRange(g, 0, params, wOff + i0 * nOut, (i1 - i0) * nOut);
        } else {
            for (int i = i0; i < i1; i++) {
                applyRange(g, (i - i0) * width, params, wOff + i * nOut + c0, width);
            }
        }
        if (bias) {
            Dense.biasGradient(m, nOut, c0, c1, ws.grad[l], g, 0);
            int bOff = network.biasOffset(l) + c0;
            optimizer.apply(g, 0, params, bOff, width);
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

    /** Weight decay (g += λ·w) and the optimiser's update of parameters [off, off + len) with gradient g[gOff ..]. */
    private void applyRange(float[] g, int gOff, float[] params, int off, int len) {
        if (decay > 0) {
            Kernels.axpy(len, decay, params, off, g, gOff);
        }
        optimizer.apply(g, gOff, params, off, len);
    }

    /** Gathers a batch's rows when no prefetch brought them: a job of row slices (an epoch's first batch). */
    private final class Gather implements Parallel.Part {
        private BatchSource source;
        private int[] order;
        private int from;
        private float[] x;
        private int[] labels;

        void run(BatchSource source, int[] order, int from, int m, float[] x, int[] labels) {
            this.source = source;
            this.order = order;
            this.from = from;
            this.x = x;
            this.labels = labels;
            try {
                Parallel.run(parts, this);
            } finally {
                this.source = null;
                this.order = null;
            }
        }

        @Override
        public void run(int part) {
            int r0 = sliceStart(part);
            int count = sliceStart(part + 1) - r0;
            if (count > 0) {
                source.fill(order, from + r0, count, x, r0 * net.inputs(), labels, r0);
            }
        }
    }

    /** Phase 1: one row slice per part, every layer forward, the loss, and the input gradients back to dZ₁. */
    private final class Rows implements Parallel.Part {
        @Override
        public void run(int part) {
            int r0 = sliceStart(part);
            int count = sliceStart(part + 1) - r0;
            if (count == 0) {
                return;
            }
            int nL = net.outputs();
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
     * Phase 2: one part per thread. Each part claims weight items from the work list until none is left, then gathers
     * its slice of the next batch's rows (slice p of the next step's phase 1, which part p's thread will run, so the
     * rows are already in that core's cache). The work list holds the items of layers 1 .. L in layer order, each
     * rows [rowFrom, rowTo) of one layer's dW.
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
                updateBlock(l, rowFrom[item], rowTo[item], 0, net.size(l), rowFrom[item] == 0);
            }
            if (nextRows > 0) {
                int slices = slices(nextRows);
                if (part < slices) {
                    int r0 = sliceStart(nextRows, slices, part);
                    int count = sliceStart(nextRows, slices, part + 1) - r0;
                    source.fill(order, nextFrom + r0, count, ws.nextInput, r0 * net.inputs(), ws.nextLabels, r0);
                }
            }
        }

        /** Rows of dW per item: about ITEM_MACS / (width · m), a multiple of 16, at least 16, at most all. */
        private int rowsPerItem(int nIn, int width, int m) {
            long perRow = (long) width * Math.max(1, m);
            return (int) Math.min(nIn, Math.max(16, (ITEM_MACS / perRow + 15) / 16 * 16));
        }
    }
}
