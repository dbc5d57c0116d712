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
                .momentum(MomentumStyle.EMA, 0.9).seed(2).build();
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
                TrainingConfig.builder().learningRate(0.1).momentum(MomentumStyle.EMA, 0.9).build(),
                TrainingConfig.builder().learningRate(0.02).momentum(MomentumStyle.CLASSICAL, 0.9).build(),
                TrainingConfig.builder().learningRate(0.02).momentum(MomentumStyle.NESTEROV, 0.9).build(),
                TrainingConfig.builder().learningRate(0.005).adam(0.9, 0.999, 1e-8).build(),
                TrainingConfig.builder().learningRate(0.1).weightDecay(1e-3).dropout(0.2).cosineSchedule(0.01).build());
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
                .momentum(MomentumStyle.EMA, 0.9).dropout(0.3).validationFraction(0.1).seed(11).build();
        NetworkConfig net = NetworkConfig.of(8, 12, 6, 3);
        float[] a = run(net, cfg, data, null).network().parameters();
        float[] b = run(net, cfg, data, null).network().parameters();
        assertArrayEquals(a, b);
        float[] c = run(net, cfg.toBuilder().seed(12).build(), data, null).network().parameters();
        assertFalse(Arrays.equals(a, c), "another seed gave the same weights");
    }

    @Test
    void oneAndTwoThreadsGiveBitIdenticalWeights() {
        // layers large enough for the gemm to split across threads
        ArrayBatchSource data = TestData.random(300, 784, 10, 3);
        TrainingConfig cfg = TrainingConfig.builder().epochs(1).batchSize(100).learningRate(0.1)
                .momentum(MomentumStyle.EMA, 0.9).seed(5).build();
        NetworkConfig net = NetworkConfig.of(784, 200, 10);
        int before = Kernels.threads();
        try {
            Kernels.setThreads(1);
            float[] one = run(net, cfg, data, null).network().parameters();
            Kernels.setThreads(2);
            float[] two = run(net, cfg, data, null).network().parameters();
            assertArrayEquals(one, two);
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
            TrainingConfig cfg = TrainingConfig.builder().epochs(30).batchSize(batch).learningRate(batch == 1 ? 0.01 : 0.5)
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
        Workspace ws = new Workspace(r.network().config(), 16, false, false);
        double acc = (double) r.network().countCorrect(data, split[1], split[1].length, ws) / split[1].length;
        assertEquals(best, acc);
        assertFalse(Arrays.equals(r.network().parameters(), r.checkpoint().network().parameters()),
                "best weights differ from the last epoch's");
    }

    @Test
    void schedulesSetTheRatePerEpoch() {
        ArrayBatchSource data = TestData.random(20, 3, 2, 1);
        TrainingConfig step = TrainingConfig.builder().epochs(5).learningRate(0.4).stepSchedule(2, 0.5).build();
        double[] rates = run(NetworkConfig.of(3, 2), step, data, null).history().stream()
                .mapToDouble(EpochStats::learningRate).toArray();
        assertArrayEquals(new double[] {0.4, 0.4, 0.2, 0.2, 0.1}, rates, 1e-12);
        TrainingConfig cos = TrainingConfig.builder().epochs(4).learningRate(0.4).cosineSchedule(0).build();
        rates = run(NetworkConfig.of(3, 2), cos, data, null).history().stream()
                .mapToDouble(EpochStats::learningRate).toArray();
        // 0.4·(1 + cos(π·e/4))/2 for e = 0..3
        assertArrayEquals(new double[] {0.4, 0.2 * (1 + Math.sqrt(0.5)), 0.2, 0.2 * (1 - Math.sqrt(0.5))}, rates, 1e-12);
    }

    @Test
    void weightDecayAddsLambdaTimesWeightsToTheWeightGradientOnly() {
        // one full-batch SGD step with decay λ must equal W − α(g + λW) for weights and b − α·g for biases
        ArrayBatchSource data = TestData.random(8, 4, 3, 2);
        NetworkConfig net = NetworkConfig.of(4, 5, 3);
        Network start = Network.create(net, 1);
        Workspace ws = new Workspace(net, 8, true, false);
        data.fill(Network.identity(8), 0, 8, ws.act[0], 0, ws.labels, 0);
        start.copy().forwardBackward(ws, 8, null, 1f);
        float[] g = ws.paramGrads.clone();
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
        assertArrayEquals(dropped.predict(data), dropped.predict(data), "inference is deterministic");
    }

    // ------------------------------------------------------------------------------------------------ divergence

    @Test
    void nanLossStopsWithEpochAndBatchAndKeepsTheGoodWeights() {
        ArrayBatchSource inner = TestData.blobs(40, 4, 2, 0.3, 1);
        int[] calls = {0};
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
                if (++calls[0] == 7) {
                    // epoch 2 (4 batches of 10 per epoch), batch 3
                    x[xOff] = Float.NaN;
                }
            }
        };
        TrainingConfig cfg = TrainingConfig.builder().epochs(5).batchSize(10).learningRate(0.1)
                .momentum(MomentumStyle.EMA, 0.9).build();
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
        assertEquals(3, e.batch());
        assertTrue(e.getMessage().contains("epoch 2, batch 3 of 4"), e.getMessage());
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
        float[] initial = trainer.network().parameters().clone();
        DivergenceException e = assertThrows(DivergenceException.class, () -> trainer.train(data, null, null));
        assertTrue(e.getMessage().startsWith("training diverged:"), e.getMessage());
        assertTrue(e.getMessage().contains("1.0E30"), e.getMessage());
        assertTrue(trainer.network().isFinite(), "NaN weights replaced the good ones");
        if (e.epoch() == 1) {
            assertArrayEquals(initial, trainer.network().parameters());
        }
    }

    // ------------------------------------------------------------------------------------------------ stop and resume

    private static TrainingConfig resumeConfig(Optimizer kind) {
        TrainingConfig.Builder b = TrainingConfig.builder().epochs(5).batchSize(16).learningRate(0.05).seed(77)
                .dropout(0.2).validationFraction(0.2).patience(10).weightDecay(1e-4).cosineSchedule(0.001);
        return switch (kind) {
            case SGD -> b.build();
            case MOMENTUM -> b.momentum(MomentumStyle.NESTEROV, 0.9).build();
            case ADAM -> b.learningRate(0.01).adam(0.9, 0.999, 1e-8).build();
        };
    }

    @Test
    void stoppedAndResumedRunEndsBitIdentical() throws Exception {
        ArrayBatchSource train = TestData.blobs(150, 6, 3, 0.6, 4);
        ArrayBatchSource test = TestData.blobs(50, 6, 3, 0.6, 5);
        NetworkConfig net = NetworkConfig.of(6, 10, 7, 3);
        for (Optimizer kind : Optimizer.values()) {
            TrainingConfig cfg = resumeConfig(kind);
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
                .momentum(MomentumStyle.CLASSICAL, 0.5).seed(3).build();
        NetworkConfig net = NetworkConfig.of(4, 5, 2);
        TrainingResult four = run(net, cfg, data, null);
        TrainingResult twoThenFour = Trainer.resume(run(net, cfg.toBuilder().epochs(2).build(), data, null).checkpoint(), 4)
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
        TrainingConfig c = TrainingConfig.builder().adam(0.8, 0.99, 1e-7).weightDecay(0.01).stepSchedule(3, 0.5)
                .validationFraction(0.1).patience(4).seed(-5).build();
        assertEquals(c, TrainingConfig.fromMap(c.toMap()));
    }
}
