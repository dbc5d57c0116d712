package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchnet.kernels.Kernels;

class TrainerTest {

    private static TrainingResult run(NetworkConfig net, TrainingConfig cfg, BatchSource train, BatchSource test) {
        return new Trainer(Network.create(net, cfg.seed()), cfg).train(train, test, null);
    }

    @Test
    void tinyNetworkOverfitsATinySet() {
        ArrayBatchSource data = TestData.random(24, 5, 3, 1);
        TrainingConfig cfg = TrainingConfig.builder().epochs(300).batchSize(6).learningRate(0.3)
                .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).seed(2).build();
        TrainingResult r = run(NetworkConfig.of(5, 32, 3), cfg, data, null);
        assertEquals(StopReason.COMPLETED, r.stopReason());
        assertEquals(300, r.history().size());
        assertEquals(1.0, r.last().trainAccuracy(), "memorised random labels");
        assertTrue(r.last().trainLoss() < 0.05, "final loss " + r.last().trainLoss());
        assertTrue(r.history().get(0).trainLoss() > 0.5, "first loss " + r.history().get(0).trainLoss());
        assertEquals(1.0, Evaluation.of(r.network(), data).accuracy());
        assertTrue(Double.isNaN(r.last().testAccuracy()));
    }

    @Test
    void learnsSeparableBlobsForEveryOptimiser() {
        // one draw of blobs (same centres), split into 600 training and 200 test examples
        ArrayBatchSource all = TestData.blobs(800, 10, 4, 0.3, 5);
        float[] x = new float[800 * 10];
        int[] y = new int[800];
        all.fill(Network.identity(800), 0, 800, x, 0, y, 0);
        ArrayBatchSource train = new ArrayBatchSource(Arrays.copyOf(x, 6000), Arrays.copyOf(y, 600), 10, 4);
        ArrayBatchSource test = new ArrayBatchSource(Arrays.copyOfRange(x, 6000, 8000), Arrays.copyOfRange(y, 600, 800),
                10, 4);
        List<TrainingConfig> configs = List.of(
                TrainingConfig.builder().learningRate(0.1).build(),
                TrainingConfig.builder().learningRate(0.1)
                        .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).build(),
                TrainingConfig.builder().learningRate(0.02)
                        .optimizer(new Optimizer.Momentum(MomentumStyle.CLASSICAL, 0.9)).build(),
                TrainingConfig.builder().learningRate(0.02)
                        .optimizer(new Optimizer.Momentum(MomentumStyle.NESTEROV, 0.9)).build(),
                TrainingConfig.builder().learningRate(0.005).optimizer(new Optimizer.Adam(0.9, 0.999, 1e-8)).build(),
                TrainingConfig.builder().learningRate(0.1).weightDecay(1e-3).dropout(0.2)
                        .schedule(new Schedule.Cosine(0.01)).build());
        for (TrainingConfig c : configs) {
            TrainingConfig cfg = c.toBuilder().epochs(8).batchSize(32).seed(3).build();
            TrainingResult r = run(NetworkConfig.of(10, 16, 4), cfg, train, test);
            assertTrue(r.last().testAccuracy() > 0.95, cfg.describe() + ": test accuracy " + r.last().testAccuracy());
            assertTrue(r.last().trainLoss() < r.history().get(0).trainLoss(), cfg.describe() + ": loss did not fall");
        }
    }

    @Test
    void sameSeedSameWeightsBitForBit() {
        ArrayBatchSource data = TestData.blobs(200, 8, 3, 0.5, 1);
        TrainingConfig cfg = TrainingConfig.builder().epochs(3).batchSize(16).learningRate(0.1)
                .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).dropout(0.3).validationFraction(0.1).seed(11)
                .build();
        NetworkConfig net = NetworkConfig.of(8, 12, 6, 3);
        float[] a = run(net, cfg, data, null).network().parameters();
        float[] b = run(net, cfg, data, null).network().parameters();
        assertArrayEquals(a, b);
        float[] c = run(net, cfg.toBuilder().seed(12).build(), data, null).network().parameters();
        assertFalse(Arrays.equals(a, c), "another seed gave the same weights");
    }

    /**
     * The training step splits rows, weight items and gathers over the threads: 1, 2 and 3 threads must give the same
     * weights, optimiser state and losses bit for bit, for every optimiser, with dropout, weight decay, a partial last
     * batch, layers large enough for the gemm to split, and a batch large enough to run in chunks.
     */
    @Test
    void anyThreadCountGivesBitIdenticalWeightsStateAndLosses() {
        ArrayBatchSource data = TestData.random(301, 784, 10, 3);
        NetworkConfig net = NetworkConfig.of(784, 200, 30, 10);
        int before = Kernels.threads();
        try {
            // batches of 100, and of 300: more than TrainingStep.CHUNK_ROWS, run in chunks of 256 and 44 rows
            for (int batch : new int[] {100, 300}) {
                for (TrainingConfig each : resumeConfigs()) {
                    TrainingConfig cfg = each.toBuilder().epochs(2).batchSize(batch).validationFraction(0)
                            .patience(0).build();
                    float[] weights = null;
                    float[] state = null;
                    float[] second = null;
                    List<EpochStats> history = null;
                    for (int threads : new int[] {1, 2, 3}) {
                        Kernels.setThreads(threads);
                        TrainingResult r = run(net, cfg, data, data);
                        String at = cfg.optimizer().describe() + ", batch " + batch + ", on " + threads + " threads";
                        if (weights == null) {
                            weights = r.network().parameters();
                            state = r.checkpoint().optimizer.first;
                            second = r.checkpoint().optimizer.second;
                            history = r.history();
                            continue;
                        }
                        assertArrayEquals(weights, r.network().parameters(), at + ": weights");
                        assertArrayEquals(state, r.checkpoint().optimizer.first, at + ": optimiser state");
                        assertArrayEquals(second, r.checkpoint().optimizer.second, at + ": second optimiser state");
                        for (int e = 0; e < history.size(); e++) {
                            assertEquals(history.get(e).trainLoss(), r.history().get(e).trainLoss(), 0.0,
                                    at + ": loss");
                            assertEquals(history.get(e).trainAccuracy(), r.history().get(e).trainAccuracy(), 0.0, at);
                            assertEquals(history.get(e).testAccuracy(), r.history().get(e).testAccuracy(), 0.0, at);
                        }
                    }
                }
            }
        } finally {
            Kernels.setThreads(before);
        }
    }

    @Test
    void everyExampleOnceAnEpochAndThePartialBatch() {
        int n = 10;
        ArrayBatchSource inner = TestData.random(n, 3, 2, 1);
        int[] seen = new int[n];
        List<Integer> batchSizes = new ArrayList<>();
        BatchSource counting = new BatchSource() {
            public int size() {
                return n;
            }

            public int features() {
                return 3;
            }

            public int classes() {
                return 2;
            }

            public void fill(int[] idx, int from, int count, float[] x, int xOff, int[] labels, int labelsOff) {
                for (int i = from; i < from + count; i++) {
                    seen[idx[i]]++;
                }
                batchSizes.add(count);
                inner.fill(idx, from, count, x, xOff, labels, labelsOff);
            }
        };
        int[] reported = new int[2];
        TrainingListener l = new TrainingListener() {
            public void onStart(int firstEpoch, int epochs, int batches, int examples) {
                reported[0] = batches;
                reported[1] = examples;
            }
        };
        TrainingConfig cfg = TrainingConfig.builder().epochs(2).batchSize(4).learningRate(0.1).build();
        new Trainer(Network.create(NetworkConfig.of(3, 2), 1), cfg).train(counting, null, l);
        assertEquals(3, reported[0]);
        assertEquals(10, reported[1]);
        assertEquals(List.of(4, 4, 2, 4, 4, 2), batchSizes);
        for (int i = 0; i < n; i++) {
            assertEquals(2, seen[i], "example " + i);
        }
    }

    @Test
    void fullBatchAndBatchOfOne() {
        ArrayBatchSource data = TestData.blobs(60, 4, 2, 0.2, 8);
        for (int batch : new int[] {1, 60, 100_000}) {
            TrainingConfig cfg = TrainingConfig.builder().epochs(30).batchSize(batch)
                    .learningRate(batch == 1 ? 0.01 : 0.5)
                    .build();
            TrainingResult r = run(NetworkConfig.of(4, 8, 2), cfg, data, data);
            assertTrue(r.last().testAccuracy() > 0.9, "batch " + batch + ": " + r.last().testAccuracy());
        }
    }

    @Test
    void validationSplitIsDisjointSeededAndNeverTrainedOn() {
        TrainingConfig cfg = TrainingConfig.builder().validationFraction(0.25).seed(4).build();
        int[][] s = Trainer.split(100, cfg);
        assertEquals(75, s[0].length);
        assertEquals(25, s[1].length);
        boolean[] inTrain = new boolean[100];
        for (int i : s[0]) {
            inTrain[i] = true;
        }
        for (int i : s[1]) {
            assertFalse(inTrain[i], "example " + i + " in both");
        }
        assertArrayEquals(s[1], Trainer.split(100, cfg)[1]);
        assertFalse(Arrays.equals(s[1], Trainer.split(100, cfg.toBuilder().seed(5).build())[1]));
        assertEquals(1, Trainer.split(3, cfg.toBuilder().validationFraction(0.01).build())[1].length);
        assertThrows(IllegalArgumentException.class,
                () -> Trainer.split(1, cfg.toBuilder().validationFraction(0.5).build()));

        // a run with the split reports validation accuracy each epoch
        TrainingResult r = run(NetworkConfig.of(4, 2), cfg.toBuilder().epochs(2).build(),
                TestData.blobs(100, 4, 2, 0.2, 1), null);
        assertFalse(Double.isNaN(r.last().validationAccuracy()));
        assertTrue(r.bestEpoch() >= 1);
    }

    @Test
    void earlyStoppingRestoresTheBestWeights() {
        // random labels: validation accuracy cannot keep improving, so patience 2 ends the run early
        ArrayBatchSource data = TestData.random(200, 6, 4, 21);
        TrainingConfig cfg = TrainingConfig.builder().epochs(60).batchSize(10).learningRate(0.2)
                .validationFraction(0.3).patience(2).seed(9).build();
        TrainingResult r = run(NetworkConfig.of(6, 30, 4), cfg, data, null);
        assertEquals(StopReason.EARLY_STOPPED, r.stopReason());
        int last = r.history().size();
        assertTrue(last < 60);
        assertEquals(r.bestEpoch() + 2, last, "stops two epochs after the best");
        double best = r.history().get(r.bestEpoch() - 1).validationAccuracy();
        for (EpochStats s : r.history()) {
            assertTrue(s.validationAccuracy() <= best);
        }
        // the returned network is the best one: its validation accuracy is the best epoch's
        int[][] split = Trainer.split(200, cfg);
        double acc = (double) r.network().countCorrect(data, split[1], split[1].length) / split[1].length;
        assertEquals(best, acc);
        assertFalse(Arrays.equals(r.network().parameters(), r.checkpoint().network().parameters()),
                "best weights differ from the last epoch's");
    }

    @Test
    void schedulesSetTheRatePerEpoch() {
        ArrayBatchSource data = TestData.random(20, 3, 2, 1);
        TrainingConfig step = TrainingConfig.builder().epochs(5).learningRate(0.4).schedule(new Schedule.Step(2, 0.5))
                .build();
        double[] rates = run(NetworkConfig.of(3, 2), step, data, null).history().stream()
                .mapToDouble(EpochStats::learningRate).toArray();
        assertArrayEquals(new double[] {0.4, 0.4, 0.2, 0.2, 0.1}, rates, 1e-12);
        TrainingConfig cos = TrainingConfig.builder().epochs(4).learningRate(0.4).schedule(new Schedule.Cosine(0))
                .build();
        rates = run(NetworkConfig.of(3, 2), cos, data, null).history().stream()
                .mapToDouble(EpochStats::learningRate).toArray();
        // 0.4·(1 + cos(π·e/4))/2 for e = 0..3
        assertArrayEquals(new double[] {0.4, 0.2 * (1 + Math.sqrt(0.5)), 0.2, 0.2 * (1 - Math.sqrt(0.5))}, rates,
                1e-12);
    }

    @Test
    void weightDecayAddsLambdaTimesWeightsToTheWeightGradientOnly() {
        // one full-batch SGD step with decay λ must equal W − α(g + λW) for weights and b − α·g for biases
        ArrayBatchSource data = TestData.random(8, 4, 3, 2);
        NetworkConfig net = NetworkConfig.of(4, 5, 3);
        Network start = Network.create(net, 1);
        TrainingStep step = new TrainingStep(start.copy(), 8, false);
        step.forwardBackward(data, Network.identity(8), 0, 8, 0L, 1f);
        step.update(null, 0f);
        float[] g = step.ws.paramGrads.clone();
        TrainingConfig cfg = TrainingConfig.builder().epochs(1).batchSize(8).learningRate(0.5).weightDecay(0.1).build();
        Network trained = start.copy();
        new Trainer(trained, cfg).train(data, null, null);
        float[] w0 = start.parameters();
        for (int l = 1; l <= 2; l++) {
            int wOff = start.weightOffset(l);
            int bOff = start.biasOffset(l);
            for (int i = wOff; i < bOff; i++) {
                float expected = w0[i] - 0.5f * (g[i] + 0.1f * w0[i]);
                assertEquals(expected, trained.parameters()[i], 1e-6f, "weight " + i);
            }
            for (int i = bOff; i < bOff + net.size(l); i++) {
                assertEquals(w0[i] - 0.5f * g[i], trained.parameters()[i], 1e-6f, "bias " + i);
            }
        }
    }

    @Test
    void dropoutChangesTrainingButNotInference() {
        ArrayBatchSource data = TestData.blobs(100, 6, 3, 0.4, 3);
        TrainingConfig cfg = TrainingConfig.builder().epochs(2).batchSize(10).learningRate(0.1).seed(1).build();
        NetworkConfig net = NetworkConfig.of(6, 20, 3);
        float[] plain = run(net, cfg, data, null).network().parameters();
        Network dropped = run(net, cfg.toBuilder().dropout(0.5).build(), data, null).network();
        assertFalse(Arrays.equals(plain, dropped.parameters()));
        // inference uses every unit, unscaled: the probabilities are those of a plain forward pass in double precision
        float[] x = new float[100 * 6];
        int[] y = new int[100];
        data.fill(Network.identity(100), 0, 100, x, 0, y, 0);
        float[] p = new float[100 * 3];
        dropped.probabilities(x, 0, 100, p, 0);
        float[] w = dropped.parameters();
        for (int r = 0; r < 100; r++) {
            double[] h = new double[20];
            for (int u = 0; u < 20; u++) {
                double z = w[dropped.biasOffset(1) + u];
                for (int i = 0; i < 6; i++) {
                    z += (double) x[r * 6 + i] * w[dropped.weightOffset(1) + i * 20 + u];
                }
                h[u] = Math.max(0, z);
            }
            double[] z = new double[3];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                z[c] = w[dropped.biasOffset(2) + c];
                for (int u = 0; u < 20; u++) {
                    z[c] += h[u] * w[dropped.weightOffset(2) + u * 3 + c];
                }
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += Math.exp(z[c] - max);
            }
            for (int c = 0; c < 3; c++) {
                assertEquals(Math.exp(z[c] - max) / sum, p[r * 3 + c], 1e-5, "row " + r + " class " + c);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ divergence

    @Test
    void nanLossStopsWithEpochAndBatchAndKeepsTheGoodWeights() {
        ArrayBatchSource inner = TestData.blobs(40, 4, 2, 0.3, 1);
        // example 0 turns NaN the second time it is read, i.e. in epoch 2, in the batch the shuffle puts it in
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        BatchSource poisoned = new BatchSource() {
            public int size() {
                return 40;
            }

            public int features() {
                return 4;
            }

            public int classes() {
                return 2;
            }

            public void fill(int[] idx, int from, int count, float[] x, int xOff, int[] labels, int labelsOff) {
                inner.fill(idx, from, count, x, xOff, labels, labelsOff);
                for (int r = 0; r < count; r++) {
                    if (idx[from + r] == 0 && reads.incrementAndGet() == 2) {
                        x[xOff + r * 4] = Float.NaN;
                    }
                }
            }
        };
        TrainingConfig cfg = TrainingConfig.builder().epochs(5).batchSize(10).learningRate(0.1)
                .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).build();
        // where epoch 2's shuffle (the trainer's stream 2, second shuffle) puts example 0: 4 batches of 10
        Rng shuffle = Rng.stream(cfg.seed(), 2);
        int[] order = Network.identity(40);
        shuffle.shuffle(order, 0, 40);
        order = Network.identity(40);
        shuffle.shuffle(order, 0, 40);
        int batch = 0;
        while (order[batch] != 0) {
            batch++;
        }
        batch = batch / 10 + 1;
        // no hidden layer: a NaN input reaches the logits directly (a ReLU may map NaN to 0)
        Trainer trainer = new Trainer(Network.create(NetworkConfig.of(4, 2), 1), cfg);
        float[][] afterEpoch1 = new float[1][];
        DivergenceException e = assertThrows(DivergenceException.class, () -> trainer.train(poisoned, null,
                new TrainingListener() {
                    public void onEpoch(EpochStats s) {
                        afterEpoch1[0] = trainer.network().parameters().clone();
                    }
                }));
        assertEquals(2, e.epoch());
        assertEquals(batch, e.batch());
        assertTrue(e.getMessage().contains("epoch 2, batch " + batch + " of 4"), e.getMessage());
        assertTrue(e.getMessage().contains("lower learning rate"), e.getMessage());
        assertEquals(1, e.history().size());
        assertTrue(trainer.network().isFinite());
        assertArrayEquals(afterEpoch1[0], trainer.network().parameters(), "the weights of epoch 1 are kept");
        assertEquals(1, trainer.checkpoint().epochsCompleted());
    }

    @Test
    void hugeLearningRateDiverges() {
        ArrayBatchSource data = TestData.blobs(64, 5, 3, 0.5, 2);
        TrainingConfig cfg = TrainingConfig.builder().epochs(20).batchSize(8).learningRate(1e30).build();
        Trainer trainer = new Trainer(Network.create(NetworkConfig.of(5, 8, 8, 3), 1), cfg);
        float[][] lastGood = {trainer.network().parameters().clone()};
        DivergenceException e = assertThrows(DivergenceException.class, () -> trainer.train(data, null,
                new TrainingListener() {
                    @Override
                    public void onEpoch(EpochStats s) {
                        lastGood[0] = trainer.network().parameters().clone();
                    }
                }));
        assertTrue(e.getMessage().startsWith("training diverged:"), e.getMessage());
        assertTrue(e.getMessage().contains("1.0E30"), e.getMessage());
        assertTrue(trainer.network().isFinite(), "NaN weights replaced the good ones");
        assertArrayEquals(lastGood[0], trainer.network().parameters(), "the weights of the last good epoch are kept");
        assertEquals(e.epoch() - 1, trainer.checkpoint().epochsCompleted());
    }

    // ------------------------------------------------------------------------------------------------ stop and resume

    /** One configuration per optimiser, with every option that a checkpoint must carry on. */
    private static List<TrainingConfig> resumeConfigs() {
        TrainingConfig.Builder b = TrainingConfig.builder().epochs(5).batchSize(16).learningRate(0.05).seed(77)
                .dropout(0.2).validationFraction(0.2).patience(10).weightDecay(1e-4)
                .schedule(new Schedule.Cosine(0.001));
        return List.of(b.optimizer(new Optimizer.Sgd()).build(),
                b.optimizer(new Optimizer.Momentum(MomentumStyle.NESTEROV, 0.9)).build(),
                b.learningRate(0.01).optimizer(new Optimizer.Adam(0.9, 0.999, 1e-8)).build());
    }

    @Test
    void stoppedAndResumedRunEndsBitIdentical() throws Exception {
        ArrayBatchSource train = TestData.blobs(150, 6, 3, 0.6, 4);
        ArrayBatchSource test = TestData.blobs(50, 6, 3, 0.6, 5);
        NetworkConfig net = NetworkConfig.of(6, 10, 7, 3);
        for (TrainingConfig cfg : resumeConfigs()) {
            String kind = cfg.optimizer().describe();
            TrainingResult whole = run(net, cfg, train, test);
            assertEquals(StopReason.COMPLETED, whole.stopReason());

            Trainer first = new Trainer(Network.create(net, cfg.seed()), cfg);
            TrainingResult stopped = first.train(train, test, new TrainingListener() {
                public void onEpoch(EpochStats s) {
                    if (s.epoch() == 2) {
                        first.requestStop();
                    }
                }
            });
            assertEquals(StopReason.STOP_REQUESTED, stopped.stopReason());
            assertEquals(2, stopped.checkpoint().epochsCompleted());
            byte[] saved = ModelFile.toBytes(stopped.checkpoint());
            Checkpoint loaded = ModelFile.checkpointFromBytes(saved, "test checkpoint");

            TrainingResult resumed = Trainer.resume(loaded).train(train, test, null);
            assertEquals(StopReason.COMPLETED, resumed.stopReason());
            assertEquals(5, resumed.history().size());
            assertArrayEquals(whole.network().parameters(), resumed.network().parameters(), kind + ": weights");
            for (int i = 0; i < 5; i++) {
                EpochStats a = whole.history().get(i);
                EpochStats b = resumed.history().get(i);
                assertEquals(a.trainLoss(), b.trainLoss(), kind + " epoch " + (i + 1) + " loss");
                assertEquals(a.testAccuracy(), b.testAccuracy());
                assertEquals(a.validationAccuracy(), b.validationAccuracy());
            }
            assertEquals(whole.bestEpoch(), resumed.bestEpoch());
        }
    }

    @Test
    void resumeToMoreEpochsExtendsAFinishedRun() {
        ArrayBatchSource data = TestData.blobs(60, 4, 2, 0.4, 1);
        TrainingConfig cfg = TrainingConfig.builder().epochs(4).batchSize(8).learningRate(0.1)
                .optimizer(new Optimizer.Momentum(MomentumStyle.CLASSICAL, 0.5)).seed(3).build();
        NetworkConfig net = NetworkConfig.of(4, 5, 2);
        TrainingResult four = run(net, cfg, data, null);
        TrainingResult twoThenFour = Trainer
                .resume(run(net, cfg.toBuilder().epochs(2).build(), data, null).checkpoint(), 4)
                .train(data, null, null);
        assertArrayEquals(four.network().parameters(), twoThenFour.network().parameters());
        assertEquals(4, twoThenFour.history().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.resume(four.checkpoint(), 3));
        assertTrue(e.getMessage().contains("4 epochs completed"), e.getMessage());
    }

    @Test
    void resumeRefusesAnotherTrainingSet() {
        ArrayBatchSource train = TestData.blobs(40, 3, 2, 0.3, 1);
        TrainingConfig cfg = TrainingConfig.builder().epochs(2).batchSize(8).learningRate(0.1).build();
        Trainer t = new Trainer(Network.create(NetworkConfig.of(3, 2), 1), cfg);
        t.train(train, null, new TrainingListener() {
            public void onEpoch(EpochStats s) {
                t.requestStop();
            }
        });
        Trainer resumed = Trainer.resume(t.checkpoint());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resumed.train(TestData.blobs(41, 3, 2, 0.3, 1), null, null));
        assertTrue(e.getMessage().contains("40") && e.getMessage().contains("41"), e.getMessage());
    }

    @Test
    void stopRequestedFromAnotherThreadEndsAtABatchBoundary() throws Exception {
        ArrayBatchSource data = TestData.blobs(400, 6, 3, 0.5, 1);
        TrainingConfig cfg = TrainingConfig.builder().epochs(100_000).batchSize(4).learningRate(0.01).build();
        Trainer t = new Trainer(Network.create(NetworkConfig.of(6, 4, 3), 1), cfg);
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            t.requestStop();
        });
        stopper.start();
        TrainingResult r = t.train(data, null, null);
        stopper.join();
        assertEquals(StopReason.STOP_REQUESTED, r.stopReason());
        assertTrue(r.history().size() < 100_000);
        assertEquals(r.history().size(), r.checkpoint().epochsCompleted());
        assertNotNull(r.network());
    }

    /**
     * A stop requested during batch 7 of epoch 2 lets that batch finish and starts no other: the network holds the
     * weights after exactly seven batches of epoch 2, which a run resumed from the end of epoch 1 and stopped the same
     * way reproduces, and which differ from both the end of epoch 1 and the end of epoch 2.
     */
    @Test
    void aStopEndsTheRunAfterTheBatchInProgress() {
        ArrayBatchSource data = TestData.blobs(160, 6, 3, 0.5, 1);
        TrainingConfig cfg = TrainingConfig.builder().epochs(3).batchSize(16).learningRate(0.05)
                .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).seed(3).build();
        NetworkConfig net = NetworkConfig.of(6, 8, 3);
        float[] endOfEpoch2 = run(net, cfg.toBuilder().epochs(2).build(), data, null).network().parameters();
        Trainer first = new Trainer(Network.create(net, cfg.seed()), cfg);
        List<String> heard = new java.util.ArrayList<>();
        TrainingResult stopped = first.train(data, null, stopAt(first, 2, 7, heard));
        assertEquals(StopReason.STOP_REQUESTED, stopped.stopReason());
        assertEquals("2/7", heard.get(heard.size() - 1), "no batch after the one in progress");
        assertEquals(1, stopped.checkpoint().epochsCompleted());

        Trainer resumed = Trainer.resume(stopped.checkpoint());
        List<String> heard2 = new java.util.ArrayList<>();
        TrainingResult again = resumed.train(data, null, stopAt(resumed, 2, 7, heard2));
        assertEquals(List.of("2/1", "2/2", "2/3", "2/4", "2/5", "2/6", "2/7"), heard2);
        assertArrayEquals(stopped.network().parameters(), again.network().parameters(), "seven batches of epoch 2");
        assertFalse(Arrays.equals(stopped.checkpoint().network().parameters(), stopped.network().parameters()));
        assertFalse(Arrays.equals(endOfEpoch2, stopped.network().parameters()));
    }

    /** A listener that records "epoch/batch" and asks {@code t} to stop during that batch's report. */
    private static TrainingListener stopAt(Trainer t, int epoch, int batch, List<String> heard) {
        return new TrainingListener() {
            @Override
            public void onBatch(int e, int b, int batches, double loss) {
                heard.add(e + "/" + b);
                if (e == epoch && b == batch) {
                    t.requestStop();
                }
            }
        };
    }

    // ------------------------------------------------------------------------------------------------ checks

    @Test
    void mismatchedDataFailsBeforeAnyWork() {
        TrainingConfig cfg = TrainingConfig.builder().epochs(1).build();
        Trainer t = new Trainer(Network.create(NetworkConfig.of(4, 3), 1), cfg);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.train(TestData.random(10, 5, 3, 1), null, null));
        assertTrue(e.getMessage().contains("training data has 5 features"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> t.train(TestData.random(10, 4, 3, 1), TestData.random(10, 4, 7, 1), null));
        assertTrue(e.getMessage().contains("test data has 7 classes"), e.getMessage());
        assertEquals(0, t.epochsCompleted());
    }

    @Test
    void configurationErrorsNameTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().patience(3).build());
        assertTrue(e.getMessage().contains("validation split"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().batchSize(0).build());
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().dropout(1).build());
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
        TrainingConfig c = TrainingConfig.builder().optimizer(new Optimizer.Adam(0.8, 0.99, 1e-7)).weightDecay(0.01)
                .schedule(new Schedule.Step(3, 0.5)).validationFraction(0.1).patience(4).seed(-5).build();
        assertEquals(c, TrainingConfig.fromMap(c.toMap()));
    }
}
