package org.scratchnet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scratchnet.kernels.Kernels;

/**
 * A cheap smoke test of the two network benchmarks outside JMH: their setup (including the check against the scalar
 * reference) passes on this JVM's backend, one invocation runs and counts what it should, and the flop counts and the
 * comparison they rest on are right.
 */
class NetworkBenchmarksTest {

    private final int threadsBefore = Kernels.threads();

    @AfterEach
    void restoreThreads() {
        Kernels.setThreads(threadsBefore);
    }

    @Test
    void flopCountsOfTheIssueNetwork() {
        int[] sizes = ScalarReference.parseSizes("784-200-100-25-10");
        // forward 179,550 multiply-adds per example, weight gradients the same, input gradients 22,750
        assertEquals(179_550, ScalarReference.forwardMacs(sizes));
        assertEquals(2L * 128 * (2 * 179_550 + 22_750), ScalarReference.trainingFlop(sizes, 128));
        assertEquals(2L * 10_000 * 179_550, ScalarReference.inferenceFlop(sizes, 10_000));
        // one MNIST epoch: 468.75 steps of 128 rows, ~45.8 GFLOP
        assertEquals(45.8e9, ScalarReference.trainingFlop(sizes, 128) * 60000.0 / 128, 0.05e9);
    }

    @Test
    void trainingStepSetupPassesAndAnInvocationCountsItsSteps() {
        TrainingStepBenchmark b = new TrainingStepBenchmark();
        b.net = "784-200-100-25-10";
        b.batch = 128;
        b.examples = 300;            // two full steps and one of 44 rows
        b.threads = 2;
        b.prepare();
        TrainingStepBenchmark.Counters c = new TrainingStepBenchmark.Counters();
        b.epoch(c);
        int[] sizes = ScalarReference.parseSizes(b.net);
        assertEquals(3, c.steps);
        assertEquals(1e-9 * (2 * ScalarReference.trainingFlop(sizes, 128) + ScalarReference.trainingFlop(sizes, 44)),
                c.gflop, 1e-12);
    }

    @Test
    void inferenceSetupPassesAndAnInvocationPredictsEveryImage() {
        InferenceBenchmark b = new InferenceBenchmark();
        b.net = "784-200-100-25-10";
        b.images = 600;
        b.threads = 1;
        b.prepare();
        InferenceBenchmark.Counters c = new InferenceBenchmark.Counters();
        int[] predictions = b.predictAll(c);
        assertEquals(600, c.images);
        assertEquals(1e-9 * ScalarReference.inferenceFlop(ScalarReference.parseSizes(b.net), 600), c.gflop, 1e-12);
        assertEquals(600, predictions.length);
        for (int p : predictions) {
            assertTrue(p >= 0 && p < 10, "prediction " + p);
        }
    }

    @Test
    void referenceStepChangesTheWeightsAndCheckCloseCatchesADifference() {
        int[] sizes = {6, 5, 3};
        float[] params = ScalarReference.randomImages(1, 6 * 5 + 5 + 5 * 3 + 3, 9);
        float[] before = params.clone();
        float[] x = ScalarReference.randomImages(4, 6, 10);
        int[] labels = ScalarReference.randomLabels(4, 3, 11);
        double loss = ScalarReference.step(sizes, params, new float[params.length], x, labels, 4, 0.5f, 0.9f);
        assertTrue(loss > 0);
        float[] zero = new float[params.length];
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ScalarReference.checkClose("step", before, params, zero));
        assertTrue(e.getMessage().contains("scalar reference"), e.getMessage());
        ScalarReference.checkClose("same", params, params.clone(), zero);
    }

    @Test
    void augmentationSetupParsesEverySpecAndFillsBatchesAcrossEpochs() {
        for (String spec : new String[] {"none", "shift:2", "shift:2,rotate:10"}) {
            AugmentationBenchmark b = new AugmentationBenchmark();
            b.augment = spec;
            b.batch = 128;
            b.examples = 300;            // two batches an epoch
            b.prepare();
            for (int i = 0; i < 5; i++) {
                b.fillBatch();
            }
            assertEquals(3, b.epoch, spec);
            assertEquals(128, b.next, spec);
            boolean[] seen = new boolean[300];
            for (int e : b.order) {
                seen[e] = true;
            }
            for (boolean s : seen) {
                assertTrue(s, "the epoch's order is a permutation");
            }
        }
    }

    @Test
    void backendCheckNamesBothBackends() {
        String other = Kernels.backend() == org.scratchnet.kernels.Backend.VECTOR ? "x.TrainingStepBenchmark.scalar"
                : "x.TrainingStepBenchmark.vector";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TrainingStepBenchmark.checkBackend(other));
        assertTrue(e.getMessage().contains("-f 0"), e.getMessage());
    }
}
