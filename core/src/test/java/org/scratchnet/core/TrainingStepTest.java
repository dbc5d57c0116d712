package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.scratchnet.kernels.Kernels;

/**
 * The training step's own parts: how the first layer is cut into column segments, the copy of the first layer into
 * the segments and back, and the gradients on any number of threads. That whole runs give the same bits on any number
 * of threads is {@link TrainerTest#anyThreadCountGivesBitIdenticalWeightsStateAndLosses}.
 */
class TrainingStepTest {

    @Test
    void firstLayerCutsAreWholeTilesWithTheNarrowEdgeInTheLastSegment() {
        // 200 columns of 48-column tiles: four tiles and an 8-column edge, always columns 192-199
        assertArrayEquals(new int[] {0, 200}, TrainingStep.firstLayerCuts(200, 48, 1));
        assertArrayEquals(new int[] {0, 96, 200}, TrainingStep.firstLayerCuts(200, 48, 2));
        assertArrayEquals(new int[] {0, 96, 144, 200}, TrainingStep.firstLayerCuts(200, 48, 3));
        assertArrayEquals(new int[] {0, 48, 96, 144, 200}, TrainingStep.firstLayerCuts(200, 48, 4));
        assertArrayEquals(new int[] {0, 48, 96, 144, 200}, TrainingStep.firstLayerCuts(200, 48, 8));
        // three tiles on two threads: the edge with the segment of fewer tiles
        assertArrayEquals(new int[] {0, 96, 150}, TrainingStep.firstLayerCuts(150, 48, 2));
        // 100 columns: the 4-column edge 96-99 in the last segment
        assertArrayEquals(new int[] {0, 48, 100}, TrainingStep.firstLayerCuts(100, 48, 2));
        // no edge; fewer columns than a tile: one segment
        assertArrayEquals(new int[] {0, 48, 96}, TrainingStep.firstLayerCuts(96, 48, 2));
        assertArrayEquals(new int[] {0, 25}, TrainingStep.firstLayerCuts(25, 48, 2));
        // the scalar backend's tiles are one column wide
        assertArrayEquals(new int[] {0, 100, 200}, TrainingStep.firstLayerCuts(200, 1, 2));
        assertArrayEquals(new int[] {0, 1, 2, 3}, TrainingStep.firstLayerCuts(3, 1, 8));
    }

    @Test
    void theGradientsAreBitIdenticalOnAnyNumberOfThreads() {
        ArrayBatchSource data = TestData.random(100, 784, 10, 5);
        NetworkConfig net = NetworkConfig.of(784, 200, 30, 10);
        Network start = Network.create(net, 3);
        int before = Kernels.threads();
        try {
            float[] grads = null;
            double loss = 0;
            for (int threads : new int[] {1, 2, 3}) {
                Kernels.setThreads(threads);
                TrainingStep step = new TrainingStep(start.copy(), 128, false);
                // a partial batch of 100 rows, not a multiple of the 8-row slices' 16-row pairs
                double l = step.forwardBackward(data, Network.identity(100), 0, 100, 0L, 1f);
                step.update(null, 0f);
                if (grads == null) {
                    grads = step.ws.paramGrads.clone();
                    loss = l;
                    continue;
                }
                assertEquals(loss, l, 0.0, threads + " threads: loss");
                assertArrayEquals(grads, step.ws.paramGrads, threads + " threads: gradients");
            }
            int firstLayer = 784 * 200 + 200;
            assertFalse(Arrays.equals(new float[firstLayer], Arrays.copyOf(grads, firstLayer)),
                    "the first layer has gradients");
        } finally {
            Kernels.setThreads(before);
        }
    }

    @Test
    void theFirstLayerLivesInTheSegmentsFromLoadToStore() {
        int before = Kernels.threads();
        Kernels.setThreads(2);
        try {
            ArrayBatchSource data = TestData.random(64, 784, 10, 7);
            Network network = Network.create(NetworkConfig.of(784, 200, 10), 4);
            float[] initial = network.parameters().clone();
            Optimizer rule = new Optimizer.Adam(0.9, 0.999, 1e-8);
            OptimizerState state = new OptimizerState(rule, initial.length);
            Arrays.fill(state.first, 0.25f);
            Arrays.fill(state.second, 0.5f);
            TrainingStep step = new TrainingStep(network, 64, false);

            // a load and a store with no step between them change nothing
            step.load(state);
            step.store(state);
            assertArrayEquals(initial, network.parameters());

            step.load(state);
            step.forwardBackward(data, Network.identity(64), 0, 64, 0L, 1f);
            state.beginStep(rule, 0.01);
            step.update(state, 0f);
            int firstEnd = network.weightOffset(1) + 784 * 200;
            // before the store: the first layer's weights and state untouched, the later layers' updated
            assertArrayEquals(Arrays.copyOf(initial, firstEnd), Arrays.copyOf(network.parameters(), firstEnd));
            assertEquals(0.25f, state.first[0]);
            assertFalse(Arrays.equals(Arrays.copyOfRange(initial, firstEnd, initial.length),
                    Arrays.copyOfRange(network.parameters(), firstEnd, initial.length)), "later layers updated");
            step.store(state);
            for (int i = network.weightOffset(1); i < firstEnd; i++) {
                assertFalse(initial[i] == network.parameters()[i] || state.first[i] == 0.25f
                        || state.second[i] == 0.5f, "weight " + i + " and its state are updated after the store");
            }
        } finally {
            Kernels.setThreads(before);
        }
    }

    @Test
    void aBatchInChunksGivesTheSameLossAndMasksAndTheSameGradientsUpToRounding() {
        ArrayBatchSource data = TestData.random(100, 784, 10, 11);
        NetworkConfig net = NetworkConfig.of(784, 200, 30, 10);
        Network start = Network.create(net, 5);
        int[] order = Network.identity(100);
        int before = Kernels.threads();
        try {
            Kernels.setThreads(2);
            // the whole batch at once: the reference
            TrainingStep whole = new TrainingStep(start.copy(), 128, true);
            double loss = whole.forwardBackward(data, order, 0, 100, 42L, 0.8f);
            int correct = whole.correct();
            whole.update(null, 0f);
            float[] grads = whole.ws.paramGrads.clone();
            float[] chunkGrads = null;
            for (int threads : new int[] {1, 2, 3}) {
                Kernels.setThreads(threads);
                // six chunks of 16 rows and one of 4
                TrainingStep chunks = new TrainingStep(start.copy(), 128, true, 16);
                assertEquals(16, chunks.ws.capacity, "the workspace holds one chunk");
                double l = chunks.forwardBackward(data, order, 0, 100, 42L, 0.8f);
                chunks.update(null, 0f);
                // every row's forward pass and dropout mask are the whole batch's: the same row losses, in order
                assertEquals(loss, l, 0.0, threads + " threads: loss");
                assertEquals(correct, chunks.correct(), threads + " threads: right predictions");
                float[] g = chunks.ws.paramGrads;
                if (chunkGrads == null) {
                    chunkGrads = g.clone();
                } else {
                    assertArrayEquals(chunkGrads, g, threads + " threads: the same bits as on 1 thread");
                }
            }
            // the sums over the batch are grouped by chunk: equal up to rounding
            double scale = 0;
            for (float v : grads) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0, "the batch has gradients");
            for (int i = 0; i < grads.length; i++) {
                assertEquals(grads[i], chunkGrads[i], 1e-5 * scale, "gradient " + i);
            }
        } finally {
            Kernels.setThreads(before);
        }
    }

    @Test
    void aBatchInChunksUpdatesTheWeightsAsTheWholeBatchDoesAndTheSameOnAnyNumberOfThreads() {
        ArrayBatchSource data = TestData.random(100, 784, 10, 13);
        NetworkConfig net = NetworkConfig.of(784, 200, 30, 10);
        Network start = Network.create(net, 6);
        int before = Kernels.threads();
        try {
            float[] whole = null;
            float[] chunked = null;
            float[] chunkedState = null;
            for (int[] run : new int[][] {{128, 2}, {24, 1}, {24, 2}, {24, 3}}) {
                int chunkRows = run[0];
                Kernels.setThreads(run[1]);
                Network network = start.copy();
                Optimizer rule = new Optimizer.Momentum(MomentumStyle.EMA, 0.9);
                OptimizerState state = new OptimizerState(rule, network.parameters().length);
                TrainingStep step = new TrainingStep(network, 100, false, chunkRows);
                step.load(state);
                for (int s = 0; s < 3; s++) {
                    step.forwardBackward(data, Network.identity(100), 0, 100, 0L, 1f);
                    state.beginStep(rule, 0.5);
                    step.update(state, 1e-3f);
                }
                step.store(state);
                String at = "chunks of " + chunkRows + " rows on " + run[1] + " threads";
                if (whole == null) {
                    whole = network.parameters();
                } else if (chunked == null) {
                    chunked = network.parameters();
                    chunkedState = state.first.clone();
                } else {
                    assertArrayEquals(chunked, network.parameters(), at + ": weights");
                    assertArrayEquals(chunkedState, state.first, at + ": optimiser state");
                }
            }
            float[] initial = start.parameters();
            int moved = 0;
            for (int i = 0; i < initial.length; i++) {
                assertEquals(whole[i], chunked[i], 1e-5f, "parameter " + i);
                if (chunked[i] != initial[i]) {
                    moved++;
                }
            }
            assertTrue(moved > initial.length / 2, "the chunked steps changed the weights: " + moved);
        } finally {
            Kernels.setThreads(before);
        }
    }
}
