package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Divergence the loss's clamp hides: the mean loss stuck near −ln 1e−7 with finite weights. */
class DivergenceCheckTest {

    @Test
    void thresholdIsMidwayBetweenGuessingAndTheClamp() {
        assertEquals(-Math.log(1e-7f), DivergenceCheck.CLAMP_LOSS, 1e-12);
        assertEquals(16.118, DivergenceCheck.CLAMP_LOSS, 1e-3);
        assertEquals(Math.log(10), DivergenceCheck.guessingLoss(10), 1e-12);
        assertEquals((Math.log(10) + DivergenceCheck.CLAMP_LOSS) / 2, DivergenceCheck.threshold(10), 1e-12);
        assertEquals(9.21, DivergenceCheck.threshold(10), 0.01);
    }

    @Test
    void flagsALossAtTheClampAndNothingATrainingRunShows() {
        // measured on MNIST: alpha 1000 and 200 give 14.23 and 12.19 in epoch 1; training rates start near 2.4
        String stuck = DivergenceCheck.check(14.23, 10);
        assertTrue(stuck != null && stuck.startsWith("the mean loss 14.23 sits at the clamp (16.12 per clamped "
                + "example; guessing gives 2.30)"), stuck);
        assertTrue(DivergenceCheck.check(12.19, 10) != null);
        assertTrue(DivergenceCheck.check(DivergenceCheck.threshold(10), 10) != null);
        assertNull(DivergenceCheck.check(Math.nextDown(DivergenceCheck.threshold(10)), 10));
        for (double healthy : new double[] {0.05, 0.3, 1.65, 2.3132, 2.4729, 3.63}) {
            assertNull(DivergenceCheck.check(healthy, 10), "loss " + healthy);
        }
        assertEquals("the mean loss became NaN", DivergenceCheck.check(Double.NaN, 10));
        assertEquals("the mean loss became Infinity", DivergenceCheck.check(Double.POSITIVE_INFINITY, 3));
        assertTrue(DivergenceCheck.check(8.5, 2) != null, "two classes: threshold 8.4");
        assertNull(DivergenceCheck.check(15, 20_000_000), "more classes than the clamp can tell apart");
        EpochStats epoch = new EpochStats(1, 14.2, 0.1, 0.1, Double.NaN, 1000, 1, 1);
        assertEquals(DivergenceCheck.check(14.2, 10), DivergenceCheck.check(epoch, 10));
    }

    @Test
    void theTrainerStopsARunStuckAtTheClampAndKeepsTheLastGoodWeights() {
        // ten blobs and a huge rate: the logits blow up to saturation in the first steps, every wrong example is
        // clamped (mean loss 13.58 in epoch 1), and the weights stay finite: no NaN check fires
        ArrayBatchSource data = TestData.blobs(300, 8, 10, 0.5, 11);
        TrainingConfig cfg = TrainingConfig.builder().epochs(3).batchSize(10).learningRate(300)
                .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).seed(3).build();
        Trainer trainer = new Trainer(Network.create(NetworkConfig.of(8, 32, 10), 3), cfg);
        float[] initial = trainer.network().parameters().clone();
        DivergenceException e = assertThrows(DivergenceException.class, () -> trainer.train(data, null, null));
        assertTrue(e.getMessage().startsWith("training diverged: the mean loss 13.58 sits at the clamp"),
                e.getMessage());
        assertEquals(1, e.epoch());
        assertEquals(0, e.history().size());
        assertTrue(trainer.network().isFinite());
        assertArrayEquals(initial, trainer.network().parameters(), "the weights before the diverged epoch");
    }

    @Test
    void aRunThatLearnsIsNotStopped() {
        ArrayBatchSource data = TestData.blobs(300, 8, 3, 0.5, 11);
        TrainingConfig cfg = TrainingConfig.builder().epochs(3).batchSize(10).learningRate(0.05).seed(3).build();
        TrainingResult r = new Trainer(Network.create(NetworkConfig.of(8, 32, 3), 3), cfg).train(data, null, null);
        assertEquals(3, r.history().size());
    }
}
