package org.scratchnet.core;

import java.util.concurrent.atomic.AtomicInteger;
import org.scratchnet.kernels.Kernels;
import org.scratchnet.kernels.Parallel;
import org.scratchnet.kernels.Transpose;

/**
 * One mini-batch step of training — forward, loss, backward, optimiser update — as four {@link Parallel} jobs, so that
 * the kernels' T threads meet four times per step instead of at every kernel call, and so that each core keeps the
 * weights it updates:
 * <ol>
 *   <li><b>Gather</b>. The batch's m rows are cut into T slices of whole multiples of {@link #ALIGN} rows; each slice
 *       gathers its examples from the {@link BatchSource}.</li>
 *   <li><b>First layer by columns</b>. The first layer (784 × n₁, most of the network's work) is owned by columns: part
 *       p keeps columns [c_p, c_{p+1}) of W₁ (and their optimiser state) as one contiguous block of its own, and
 *       computes those columns of X·W₁ for all m rows into a buffer of its own. No other thread ever reads or writes
 *       that block, so it stays in that core's cache from step to step, where a weight that every core reads and
 *       one core writes has to travel between the cores twice per step
 *       (docs/decisions/0030-first-layer-by-columns.md). The narrow edge (the columns past the last whole gemm tile,
 *       8 at n₁ = 200) costs several times a tile's columns, so its owner would keep the others waiting: every part
 *       computes the edge's columns for its share of the rows instead, from a copy of them that the owner rewrites
 *       after each update (docs/decisions/0037-first-layer-edge-by-rows.md).</li>
 *   <li><b>Rows</b>. Each row slice copies its rows of the segments' buffers into act₁, finishes layer 1 (bias, ReLU,
 *       dropout) on its rows, runs every later layer forward, the fused softmax + cross-entropy with each row's loss,
 *       and then the input gradients back to layer 1 (dX = dZ·Wᵀ and the ReLU derivative). Row r of layer l depends
 *       only on row r of layer l − 1, so no slice waits for another between layers.</li>
 *   <li><b>Weights</b>. Part p computes the gradient of its own block of W₁, dW₁[:, c_p..c_{p+1}) = Xᵀ·dZ₁[:, ...]
 *       over all m rows, in blocks of {@link #FIRST_LAYER_ROWS} rows each followed at once by the optimiser update of
 *       those weights while the gradient is in cache, and its columns of the bias. Then every part claims work items
 *       of the later layers, each a range of rows of one layer's dW = Xᵀ·dZ (the batch is never split), updated the
 *       same way.</li>
 * </ol>
 *
 * <p>Chunks. A batch of more rows than the workspace holds ({@link #CHUNK_ROWS}; full-batch descent: 60,000) is run in
 * chunks of that many rows, so that its activations stay in cache and the workspace stays small: each chunk runs
 * phases 1a-1c, then a phase 2 that adds the chunk's weight gradients to gradient arrays of the whole batch (gemm with
 * beta = 1, so the batch is still never split between threads); after the last chunk, {@link #update} applies the
 * optimiser to them. The loss scale 1/m, the row losses' order and the dropout masks are the whole batch's. A batch
 * that fits the workspace is one chunk and runs exactly as described above.
 *
 * <p>Bit-identity. Every element of every activation, gradient and parameter is computed by the same operations in
 * the same order whatever the slices, column blocks, items and threads: gemm reduces each element over k in a fixed
 * order, the other kernels are row-wise or element-wise, the batch's loss is the sum of the row losses in row order,
 * and dropout draws unit (l, r, u)'s mask from its fixed place in the run's random sequence
 * ({@link Network#forwardLayer}). So a run gives the same bits on any number of threads; on one thread everything
 * runs on the caller.
 *
 * <p>The first layer's blocks. Between {@link #load} and {@link #store} the first layer's weights and their optimiser
 * state live in the blocks, not in the network's parameter array; the trainer loads them before each epoch and stores
 * them back after it (a copy of the layer, negligible against an epoch), and a step must be the only writer of the
 * weights while it is in use.
 *
 * <p>No allocation per step: the jobs are this object's reusable parts, the buffers are the workspace's and, for the
 * gradient of a work item, a small per-thread buffer made at the thread's first item. See docs/decisions (training
 * step) for the measurements behind the structure and its constants.
 */
final class TrainingStep {

    /** Row slices start at multiples of this (gemm's micro-tile height), so each slice is whole tiles but the last. */
    static final int ALIGN = 8;
    /**
     * Rows of the first layer's dW computed and applied at once (96 rows × ~100 columns: a 38 KB gradient that stays in
     * the level-1/2 cache until the update reads it; 192 and 784 measured in
     * docs/decisions/0030-first-layer-by-columns.md).
     */
    static final int FIRST_LAYER_ROWS = 96;
    /**
     * Target multiply-adds of one weight work item of the layers after the first: big enough that a gemm call's fixed
     * costs (packing its slice of Xᵀ) are small against it, small enough that the item's gradient stays in the level-2
     * cache and that the threads end phase 2 within about one item of each other (2²¹: 176-row items of the 200-100
     * layer at batch 128). Overridable with {@code -Dscratchnet.step.itemMacs=N} for the measurements in
     * docs/decisions/0024-training-step.md and 0030-first-layer-by-columns.md.
     */
    static final long ITEM_MACS = Long.getLong("scratchnet.step.itemMacs", 1L << 21);
    /**
     * Rows of a batch computed at once unless the constructor is given another count; a multiple of {@link #ALIGN}.
     * Overridable with {@code -Dscratchnet.step.chunkRows=N} for the measurements in
     * docs/decisions/0032-full-batch-in-chunks.md (a different count changes the results of larger batches by rounding).
     */
    static final int CHUNK_ROWS = Integer.getInteger("scratchnet.step.chunkRows", 256);

    private final Network network;
    private final NetworkConfig net;
    private final int layers;
    final Workspace ws;
    private final Gather gather;
    private final FirstLayer firstLayer;
    private final Rows rows;
    private final Weights weights;
    /** The first layer's column segments, one per part: segment s is columns [firstCut[s], firstCut[s + 1]). */
    private final int[] firstCut;
    /**
     * Segment s's columns of W₁: n₀ rows × its width, row-major (see {@link #load}), then {@link Workspace#GEMM_SLACK}
     * unused floats so that the forward's gemm reads the narrow edge in place.
     */
    private final float[][] firstW;
    /** Segment s's columns of the optimiser's first and second state arrays, like {@link #firstW}; empty if unused. */
    private final float[][] firstState1;
    private final float[][] firstState2;
    /**
     * Segment s's columns of X·W₁ for the batch's rows (capacity × its width, row-major; the places of the edge's
     * columns unused, see {@link #edgeOut}): written by phase 1b, copied into act₁ by each row slice in phase 1c.
     * Writing the segments into act₁ directly would have two threads write the same cache lines wherever a segment
     * boundary falls inside a line, once per k-block of the gemm. With one segment this is act₁ itself and nothing is
     * copied.
     */
    private final float[][] firstOut;
    /**
     * Columns of the first layer's narrow edge (past its last whole gemm tile) when the layer has several segments:
     * the last segment's last columns. 0 with one segment (its gemm computes the edge) or no edge.
     */
    private final int edgeWidth;
    /**
     * A copy of the edge's columns of W₁ (n₀ × {@link #edgeWidth}, then {@link Workspace#GEMM_SLACK} floats), which
     * every part of phase 1b reads for its rows, so that no other core reads the last segment's block. Its owner
     * rewrites the copy right after each update of those rows ({@link #copyEdge}).
     */
    private final float[] edgeW;
    /** X·W₁ of the edge's columns (capacity × {@link #edgeWidth}), written by rows in phase 1b; empty without one. */
    private final float[] edgeOut;
    /**
     * Wᵀ_l for the layers l &gt;= 2 (n_l × n_{l−1}, row-major, then {@link Workspace#GEMM_SLACK} unused floats), kept
     * equal to the weights: made here, and rewritten by each weight item right after it updates its rows (so a
     * TrainingStep must be the only writer of the weights while it is in use).
     */
    private final float[][] transposed;
    /**
     * Whole-batch gradient of segment s's columns of W₁ (n₀ × its width, like {@link #firstW}) while a batch larger
     * than a chunk is summed; null when every batch fits one chunk. The later layers' gradients are summed in
     * {@code ws.paramGrads}.
     */
    private final float[][] firstGrad;
    /** Times the jobs when {@link StepTimer#ENABLED}; null otherwise. */
    final StepTimer timer = StepTimer.ENABLED ? new StepTimer(Kernels.threads()) : null;
    /** Per thread: one weight item's gradient (grown to the largest item a thread has run). */
    private final ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[0]);

    // the step in progress, set by the caller before each job
    /** Rows of the chunk in the workspace (the whole batch when it fits one chunk). */
    private int m;
    /** Rows of the whole batch: the loss's scale is 1/batchRows. */
    private int batchRows;
    /** The batch's row held in the workspace's row 0. */
    private int rowBase;
    /** What phase 2 does now: {@link #STEP}, {@link #ADD} or {@link #APPLY}. */
    private int mode;
    /** Examples of the last batch whose prediction was its label. */
    private int correct;
    private int parts;
    private BatchSource source;
    private int[] order;
    private int from;
    private long dropoutState;
    private float keep = 1f;
    private OptimizerState optimizer;
    private float decay;

    /** Phase 2 modes: a batch's gradients and update at once; a chunk's gradients added; the summed ones applied. */
    private static final int STEP = 0;
    private static final int ADD = 1;
    private static final int APPLY = 2;

    /**
     * @param capacity the largest batch (rows)
     * @param dropout  whether any step will use dropout (allocates the masks)
     */
    TrainingStep(Network network, int capacity, boolean dropout) {
        this(network, capacity, dropout, CHUNK_ROWS);
    }

    /**
     * @param capacity  the largest batch (rows)
     * @param dropout   whether any step will use dropout (allocates the masks)
     * @param chunkRows rows per chunk of a larger batch, a positive multiple of {@link #ALIGN}: the workspace holds this
     *                  many rows (or {@code capacity}, if fewer); results depend on it only for batches larger than
     *                  it (how each gradient element's sum over the batch is grouped), never on the thread count
     */
    TrainingStep(Network network, int capacity, boolean dropout, int chunkRows) {
        if (chunkRows < ALIGN || chunkRows % ALIGN != 0) {
            throw new IllegalArgumentException("chunk rows must be a positive multiple of " + ALIGN + ", got "
                    + chunkRows);
        }
        this.network = network;
        this.net = network.config();
        this.layers = net.layers();
        int rows = Math.min(capacity, chunkRows);
        this.ws = new Workspace(net, rows, true, dropout);
        this.gather = new Gather();
        this.firstLayer = new FirstLayer();
        this.rows = new Rows();
        this.weights = new Weights();
        this.firstCut = firstLayerCuts(net.size(1), Kernels.gemmTileColumns(), Kernels.threads());
        int segments = firstCut.length - 1;
        this.edgeWidth = segments > 1 ? net.size(1) % Kernels.gemmTileColumns() : 0;
        this.edgeOut = new float[Math.min(capacity, chunkRows) * edgeWidth];
        this.edgeW = new float[edgeWidth == 0 ? 0 : net.inputs() * edgeWidth + Workspace.GEMM_SLACK];
        this.firstW = new float[segments][0];
        this.firstState1 = new float[segments][0];
        this.firstState2 = new float[segments][0];
        this.firstOut = new float[segments][];
        this.firstGrad = capacity > chunkRows ? new float[segments][] : null;
        for (int p = 0; p < segments; p++) {
            firstOut[p] = segments == 1 ? ws.act[1] : new float[rows * width(p)];
            if (firstGrad != null) {
                firstGrad[p] = new float[net.inputs() * width(p)];
            }
        }
        load(null); // allocates the blocks
        this.transposed = new float[layers + 1][];
        for (int l = 2; l <= layers; l++) {
            transposed[l] = new float[net.size(l - 1) * net.size(l) + Workspace.GEMM_SLACK];
            transpose(l, 0, net.size(l - 1));
        }
    }

    /** Segments of the first layer's columns, one per part of phases 1b and 2. */
    private int segments() {
        return firstW.length;
    }

    /** The segment that part {@code part} of phases 1b and 2 owns: the last one (with the narrow edge) is part 0's. */
    private int segment(int part) {
        return segments() - 1 - part;
    }

    /** Columns of the first layer's segment p. */
    private int width(int p) {
        return firstCut[p + 1] - firstCut[p];
    }

    /** Columns of segment p that its own gemm computes in phase 1b: all but the narrow edge's, which go by rows. */
    private int tileColumns(int p) {
        return p == segments() - 1 ? width(p) - edgeWidth : width(p);
    }

    /**
     * Copies the first layer's weights from the network, and the layer's state from {@code optimizer} (if not null),
     * into the blocks that the steps read and update until {@link #store}.
     */
    void load(OptimizerState optimizer) {
        copyBlocks(network.parameters(), firstW, true);
        copyEdge(segments() - 1, 0, net.inputs());
        if (optimizer != null) {
            copyBlocks(optimizer.first, firstState1, true);
            copyBlocks(optimizer.second, firstState2, true);
        }
    }

    /**
     * Copies the first layer's weights, and its state into {@code optimizer}, back from the blocks, so that the network
     * and the optimiser state hold the trained values again.
     */
    void store(OptimizerState optimizer) {
        copyBlocks(network.parameters(), firstW, false);
        if (optimizer != null) {
            copyBlocks(optimizer.first, firstState1, false);
            copyBlocks(optimizer.second, firstState2, false);
        }
    }

    /**
     * Between an array in the network's parameter order and the first layer's blocks ({@code toBlocks}: into the
     * blocks, allocating each block the first time: n₀ × its width, then {@link Workspace#GEMM_SLACK} floats); nothing
     * for an optimiser with no such array.
     */
    private void copyBlocks(float[] params, float[][] blocks, boolean toBlocks) {
        if (params.length == 0) {
            return;
        }
        int nIn = net.inputs();
        int n1 = net.size(1);
        int wOff = network.weightOffset(1);
        for (int p = 0; p < blocks.length; p++) {
            int w = width(p);
            int length = nIn * w + Workspace.GEMM_SLACK;
            if (blocks[p].length != length) {
                blocks[p] = new float[length];
            }
            for (int i = 0; i < nIn; i++) {
                int at = wOff + i * n1 + firstCut[p];
                if (toBlocks) {
                    System.arraycopy(params, at, blocks[p], i * w, w);
                } else {
                    System.arraycopy(blocks[p], i * w, params, at, w);
                }
            }
        }
    }

    /**
     * The first layer's column cuts for n columns, gemm tiles {@code tile} columns wide and {@code workers} threads:
     * min(workers, tiles) segments of whole tiles, as even as possible with the larger ones first, the last one also
     * taking the columns past the last whole tile (the narrow edge). A tile split between two threads would give both a
     * narrow edge. The edge stays the layer's last columns on any number of threads, so the gemm computes them the same
     * way ({@code Kernels.gemm} may sum a narrow edge in another order than whole tiles,
     * docs/decisions/0034-narrow-edge-along-k.md). {@link #segment} gives the last segment to part 0, which
     * {@link Parallel} runs on the calling thread, measured faster than the workers on the same work
     * (docs/decisions/0030-first-layer-by-columns.md).
     */
    static int[] firstLayerCuts(int n, int tile, int workers) {
        int tiles = n / tile;
        int parts = Math.max(1, Math.min(workers, tiles));
        int[] cut = new int[parts + 1];
        for (int p = 1; p < parts; p++) {
            cut[p] = (tiles * p + parts - 1) / parts * tile;
        }
        cut[parts] = n;
        return cut;
    }

    /**
     * Phase 1 on m rows: examples {@code order[from .. from + m)} of {@code source} forward and backward down to every
     * layer's dZ, chunk by chunk when m is larger than the workspace (each chunk's weight gradients then added to the
     * batch's). Leaves the last chunk's predictions in {@code ws.predictions} and labels in {@code ws.labels}, the
     * count of right predictions in {@link #correct()}, and returns the batch's summed loss (row losses added in row
     * order). {@code keep} &lt; 1 turns dropout on, with the masks drawn from the sequence at {@code dropoutState} (see
     * {@link Network#forwardLayer}).
     */
    double forwardBackward(BatchSource source, int[] order, int from, int m, long dropoutState, float keep) {
        this.source = source;
        this.order = order;
        this.from = from;
        this.batchRows = m;
        this.dropoutState = dropoutState;
        this.keep = keep;
        if (chunked() && firstGrad == null) {
            throw new IllegalArgumentException("a batch of " + m + " rows, more than this step's capacity");
        }
        if (timer != null) {
            timer.countStep();
        }
        double loss = 0;
        int right = 0;
        try {
            for (int c0 = 0; c0 < m; c0 += ws.capacity) {
                this.rowBase = c0;
                this.m = Math.min(ws.capacity, m - c0);
                this.parts = slices(this.m);
                run(0, parts, gather);
                run(1, segments(), firstLayer);
                run(2, parts, rows);
                for (int i = 0; i < this.m; i++) {
                    loss += ws.rowLoss[i];
                    if (ws.predictions[i] == ws.labels[i]) {
                        right++;
                    }
                }
                if (chunked()) {
                    phase2(ADD);
                }
            }
        } finally {
            this.source = null;
            this.order = null;
        }
        this.correct = right;
        return loss;
    }

    /** Whether the batch in progress takes more than one chunk: its gradients are summed until {@link #update}. */
    private boolean chunked() {
        return batchRows > ws.capacity;
    }

    /** gemm's beta for adding the chunk in the workspace to the batch's gradients: 0 for the first chunk, 1 after. */
    private float chunkBeta() {
        return rowBase == 0 ? 0f : 1f;
    }

    /** Examples of the last {@link #forwardBackward}'s batch whose predicted class was their label. */
    int correct() {
        return correct;
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
        try {
            phase2(chunked() ? APPLY : STEP);
        } finally {
            this.optimizer = null;
        }
    }

    private void phase2(int mode) {
        this.mode = mode;
        weights.plan(m);
        weights.next.set(0);
        run(3, Math.max(segments(), Math.min(Kernels.threads(), weights.items)), weights);
    }

    /** Job {@code job} of the step ({@link StepTimer#JOBS}), timed when the timer is on. */
    private void run(int job, int parts, Parallel.Part body) {
        if (timer == null) {
            Parallel.run(parts, body);
        } else {
            timer.run(job, parts, body);
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
        applyWeights(g, 0, params, optimizer.first, optimizer.second, off, len);
        if (bias) {
            Dense.biasGradient(m, nOut, ws.grad[l], g, 0);
            optimizer.apply(g, 0, params, bOff, nOut);
        }
        if (l > 1) {
            transpose(l, i0, i1);
        }
    }

    /**
     * Adds the chunk's gradient of rows [i0, i1) of layer l's weights (and, if {@code bias}, of its bias) to the
     * batch's in {@code ws.paramGrads} ({@link #chunkBeta}).
     */
    private void addRows(int l, int i0, int i1, boolean bias) {
        int nIn = net.size(l - 1);
        int nOut = net.size(l);
        Dense.weightGradient(m, i0, i1, nIn, 0, nOut, nOut, ws.act[l - 1], ws.grad[l], chunkBeta(), ws.paramGrads,
                network.weightOffset(l) + i0 * nOut, nOut);
        if (bias) {
            Dense.biasGradient(m, 0, nOut, nOut, ws.grad[l], chunkBeta(), ws.paramGrads, network.biasOffset(l));
        }
    }

    /**
     * The update of rows [i0, i1) of layer l's weights (and, if {@code bias}, of its bias) from the batch's summed
     * gradient in {@code ws.paramGrads}; nothing without an optimiser (the gradient is where it should be).
     */
    private void applyRows(int l, int i0, int i1, boolean bias) {
        if (optimizer == null) {
            return;
        }
        int nOut = net.size(l);
        float[] params = network.parameters();
        float[] g = ws.paramGrads;
        int off = network.weightOffset(l) + i0 * nOut;
        applyWeights(g, off, params, optimizer.first, optimizer.second, off, (i1 - i0) * nOut);
        if (bias) {
            int bOff = network.biasOffset(l);
            optimizer.apply(g, bOff, params, bOff, nOut);
        }
        if (l > 1) {
            transpose(l, i0, i1);
        }
    }

    /** Adds the chunk's gradient of the first layer's segment p, and of its columns of the bias, to the batch's. */
    private void addFirstLayer(int p) {
        int c0 = firstCut[p];
        Dense.weightGradient(m, 0, net.inputs(), net.inputs(), c0, firstCut[p + 1], net.size(1), ws.act[0],
                ws.grad[1], chunkBeta(), firstGrad[p], 0, width(p));
        Dense.biasGradient(m, c0, firstCut[p + 1], net.size(1), ws.grad[1], chunkBeta(), ws.paramGrads,
                network.biasOffset(1) + c0);
    }

    /**
     * The update of the first layer's segment p and its columns of the bias from the batch's summed gradient, in
     * blocks of {@link #FIRST_LAYER_ROWS} rows; without an optimiser, the gradient copied to {@code ws.paramGrads}.
     */
    private void applyFirstLayer(int p) {
        int w = width(p);
        int nIn = net.inputs();
        float[] g = firstGrad[p];
        if (optimizer == null) {
            int at = network.weightOffset(1) + firstCut[p];
            for (int i = 0; i < nIn; i++) {
                System.arraycopy(g, i * w, ws.paramGrads, at + i * net.size(1), w);
            }
            return;
        }
        float[] block = firstW[p];
        for (int r0 = 0; r0 < nIn; r0 += FIRST_LAYER_ROWS) {
            int off = r0 * w;
            int rows = Math.min(FIRST_LAYER_ROWS, nIn - r0);
            applyWeights(g, off, block, firstState1[p], firstState2[p], off, rows * w);
            copyEdge(p, r0, r0 + rows);
        }
        int bOff = network.biasOffset(1) + firstCut[p];
        optimizer.apply(ws.paramGrads, bOff, network.parameters(), bOff, w);
    }

    /**
     * The gradient and update of the first layer's segment p: dW₁[:, c..c') = Xᵀ·dZ₁[:, c..c') over all m rows, in
     * blocks of {@link #FIRST_LAYER_ROWS} rows each applied at once, and the bias's columns [c, c'). Without an
     * optimiser, the gradient goes to the workspace at the parameters' offsets.
     */
    private void firstLayerGradient(int p) {
        int w = width(p);
        int c0 = firstCut[p];
        int c1 = firstCut[p + 1];
        int nIn = net.inputs();
        int n1 = net.size(1);
        float[] x = ws.act[0];
        float[] dz = ws.grad[1];
        int bOff = network.biasOffset(1) + c0;
        if (optimizer == null) {
            Dense.weightGradient(m, 0, nIn, nIn, c0, c1, n1, x, dz, 0f, ws.paramGrads, network.weightOffset(1) + c0,
                    n1);
            Dense.biasGradient(m, c0, c1, n1, dz, 0f, ws.paramGrads, bOff);
            return;
        }
        float[] g = scratch(FIRST_LAYER_ROWS * w);
        float[] block = firstW[p];
        for (int r0 = 0; r0 < nIn; r0 += FIRST_LAYER_ROWS) {
            int rows = Math.min(FIRST_LAYER_ROWS, nIn - r0);
            int len = rows * w;
            int off = r0 * w;
            Dense.weightGradient(m, r0, r0 + rows, nIn, c0, c1, n1, x, dz, 0f, g, 0, w);
            applyWeights(g, 0, block, firstState1[p], firstState2[p], off, len);
            copyEdge(p, r0, r0 + rows);
        }
        Dense.biasGradient(m, c0, c1, n1, dz, 0f, g, 0);
        optimizer.apply(g, 0, network.parameters(), bOff, w);
    }

    /** If segment p holds the narrow edge: rows [r0, r1) of the edge's columns copied into {@link #edgeW}. */
    private void copyEdge(int p, int r0, int r1) {
        if (edgeWidth == 0 || p != segments() - 1) {
            return;
        }
        int w = width(p);
        float[] block = firstW[p];
        for (int i = r0; i < r1; i++) {
            System.arraycopy(block, i * w + w - edgeWidth, edgeW, i * edgeWidth, edgeWidth);
        }
    }

    /**
     * The optimiser's update of weights {@code w[off, off + len)}, whose state is {@code first} and {@code second} at
     * the same indices, from their gradient at {@code g[gOff ..]}, to which λ·w is added first when decay is on (the
     * gradient array is changed).
     */
    private void applyWeights(float[] g, int gOff, float[] w, float[] first, float[] second, int off, int len) {
        if (decay > 0) {
            Kernels.axpy(len, decay, w, off, g, gOff);
        }
        optimizer.apply(g, gOff, w, first, second, off, len);
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

    /** Phase 1a: one row slice per part: its examples and labels. */
    private final class Gather implements Parallel.Part {
        @Override
        public void run(int part) {
            int r0 = sliceStart(part);
            int count = sliceStart(part + 1) - r0;
            if (count > 0) {
                source.fill(order, from + rowBase + r0, count, ws.act[0], r0 * net.inputs(), ws.labels, r0);
            }
        }
    }

    /**
     * Phase 1b: part p computes the first layer's segment {@link #segment}(p), X·W₁[:, c..c') for all m rows, into its
     * buffer, all but the narrow edge's columns when it has them (and {@link #edgeWidth} &gt; 0); then the edge's
     * columns for the p-th of the segments' slices of the rows, from {@link #edgeW} into {@link #edgeOut}. The gemm
     * computes an edge element the same way whatever rows a call covers, and the same way as when the edge ends a wider
     * call (docs/decisions/0037-first-layer-edge-by-rows.md), so the bits do not depend on the thread count.
     */
    private final class FirstLayer implements Parallel.Part {
        @Override
        public void run(int part) {
            // the segment's block is an n₀ × width layer of its own; the last segment's ends with the edge's columns
            int s = segment(part);
            int nIn = net.inputs();
            int w = width(s);
            Kernels.gemm(Transpose.N, Transpose.N, m, tileColumns(s), nIn, 1f, ws.act[0], 0, nIn, firstW[s], 0, w, 0f,
                    firstOut[s], 0, w);
            if (edgeWidth > 0) {
                int r0 = sliceStart(m, segments(), part);
                int count = sliceStart(m, segments(), part + 1) - r0;
                if (count > 0) {
                    Dense.product(r0, count, nIn, edgeWidth, ws.act[0], edgeW, 0, edgeOut);
                }
            }
        }
    }

    /**
     * Phase 1c: one row slice per part: layer 1 finished, every later layer, the loss, the input gradients to dZ₁.
     */
    private final class Rows implements Parallel.Part {
        @Override
        public void run(int part) {
            int r0 = sliceStart(part);
            int count = sliceStart(part + 1) - r0;
            if (count == 0) {
                return;
            }
            int nL = net.outputs();
            int n1 = net.size(1);
            if (segments() > 1) {
                // one segment wrote act₁ itself (firstOut[0] is act₁)
                for (int p = 0; p < segments(); p++) {
                    int w = width(p);
                    int cols = tileColumns(p);
                    for (int r = r0; r < r0 + count; r++) {
                        System.arraycopy(firstOut[p], r * w, ws.act[1], r * n1 + firstCut[p], cols);
                    }
                }
                if (edgeWidth > 0) {
                    for (int r = r0; r < r0 + count; r++) {
                        System.arraycopy(edgeOut, r * edgeWidth, ws.act[1], r * n1 + n1 - edgeWidth, edgeWidth);
                    }
                }
            }
            network.finishLayer(ws, 1, r0, count, batchRows, rowBase, dropoutState, keep);
            float[] logits = network.forward(ws, 2, r0, count, batchRows, rowBase, dropoutState, keep);
            Kernels.argmaxRows(count, nL, logits, r0 * nL, nL, ws.predictions, r0);
            Kernels.softmaxCrossEntropy(count, nL, logits, r0 * nL, nL, ws.labels, r0, 1f / batchRows, ws.grad[layers],
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
     * Phase 2: part p first does the first layer's segment {@link #segment}(p), then every part claims weight items
     * from the work list until none is left. The list holds the items of layers 2 .. L in layer order, each rows
     * [rowFrom, rowTo) of one layer's dW. Each part does what {@link #mode} says: a batch's gradients each applied at
     * once ({@link #STEP}), a chunk's gradients added to the batch's ({@link #ADD}), or the batch's summed gradients
     * applied ({@link #APPLY}).
     */
    private final class Weights implements Parallel.Part {
        final int[] layer;
        final int[] rowFrom;
        final int[] rowTo;
        final AtomicInteger next = new AtomicInteger();
        int items;

        Weights() {
            int max = 0;
            for (int l = 2; l <= layers; l++) {
                max += net.size(l - 1);
            }
            layer = new int[max];
            rowFrom = new int[max];
            rowTo = new int[max];
        }

        /**
         * Cuts the dW of every layer after the first into ranges of rows of about {@link #ITEM_MACS} multiply-adds
         * for a batch of m rows (whole multiples of 16 rows, gemm's strip height, but the last).
         */
        void plan(int m) {
            items = 0;
            for (int l = 2; l <= layers; l++) {
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
            if (part < segments()) {
                int s = segment(part);
                switch (mode) {
                    case STEP -> firstLayerGradient(s);
                    case ADD -> addFirstLayer(s);
                    default -> applyFirstLayer(s);
                }
            }
            for (int item = next.getAndIncrement(); item < items; item = next.getAndIncrement()) {
                int l = layer[item];
                boolean bias = rowFrom[item] == 0;
                switch (mode) {
                    case STEP -> updateRows(l, rowFrom[item], rowTo[item], bias);
                    case ADD -> addRows(l, rowFrom[item], rowTo[item], bias);
                    default -> applyRows(l, rowFrom[item], rowTo[item], bias);
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
