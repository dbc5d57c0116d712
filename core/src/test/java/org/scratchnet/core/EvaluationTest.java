package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvaluationTest {

    @Test
    void knownConfusionMatrixAndScores() {
        // actual:    0 0 0 1 1 2 2 2 2
        // predicted: 0 0 1 1 2 2 2 2 0
        int[] labels = {0, 0, 0, 1, 1, 2, 2, 2, 2};
        int[] pred = {0, 0, 1, 1, 2, 2, 2, 2, 0};
        Evaluation e = Evaluation.of(4, labels, pred);
        assertEquals(9, e.count());
        assertEquals(6, e.correct());
        assertEquals(6 / 9.0, e.accuracy(), 1e-12);
        assertArrayEquals(new long[] {2, 1, 0, 0}, e.confusionMatrix()[0]);
        assertArrayEquals(new long[] {0, 1, 1, 0}, e.confusionMatrix()[1]);
        assertArrayEquals(new long[] {1, 0, 3, 0}, e.confusionMatrix()[2]);
        // class 0: TP 2, FP 1 (a 2 predicted as 0), FN 1 → P = 2/3, R = 2/3, F1 = 2/3
        assertEquals(2 / 3.0, e.precision(0), 1e-12);
        assertEquals(2 / 3.0, e.recall(0), 1e-12);
        assertEquals(2 / 3.0, e.f1(0), 1e-12);
        // class 1: TP 1, FP 1, FN 1 → 0.5 / 0.5 / 0.5
        assertEquals(0.5, e.f1(1), 1e-12);
        // class 2: TP 3, FP 1, FN 1 → P = R = 0.75
        assertEquals(0.75, e.precision(2), 1e-12);
        assertEquals(0.75, e.recall(2), 1e-12);
        // class 3 never occurs nor is predicted: undefined
        assertTrue(Double.isNaN(e.precision(3)) && Double.isNaN(e.recall(3)) && Double.isNaN(e.f1(3)));
        assertEquals((2 / 3.0 + 0.5 + 0.75) / 3, e.macroF1(), 1e-12);
        assertEquals(4, e.support(2));
    }

    @Test
    void f1IsZeroWhenNothingIsRight() {
        Evaluation e = Evaluation.of(2, new int[] {0, 1}, new int[] {1, 0});
        assertEquals(0, e.f1(0));
        assertEquals(0, e.accuracy());
    }

    @Test
    void ofNetworkAgreesWithPredict() {
        Network net = Network.create(NetworkConfig.of(6, 5, 3), 4);
        ArrayBatchSource data = TestData.random(300, 6, 3, 2);
        Evaluation e = Evaluation.of(net, data);
        int[] pred = net.predict(data);
        int[] labels = new int[300];
        data.fill(Network.identity(300), 0, 300, new float[300 * 6], 0, labels, 0);
        long correct = 0;
        for (int i = 0; i < 300; i++) {
            correct += pred[i] == labels[i] ? 1 : 0;
        }
        assertEquals(correct, e.correct());
        assertEquals(300, e.count());
    }

    @Test
    void mismatchedInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Evaluation.of(2, new int[2], new int[3]));
        assertThrows(IllegalArgumentException.class, () -> Evaluation.of(2, new int[] {2}, new int[] {0}));
    }

    @Test
    void aClassThatOccursButIsNeverPredictedCountsAsZeroInTheMacroF1() {
        // a constant classifier on ten balanced classes: class 0 gets P = 0.1, R = 1, F1 = 2/11; the nine others
        // occur, are never predicted, and have F1 0, so the macro F1 is (2/11)/10, not 2/11
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i % 10;
        }
        Evaluation e = Evaluation.of(10, labels, new int[100]);
        assertEquals(2 / 11.0, e.f1(0), 1e-12);
        for (int c = 1; c < 10; c++) {
            assertTrue(Double.isNaN(e.precision(c)), "never predicted: precision undefined");
            assertEquals(0, e.f1(c), "class " + c);
        }
        assertEquals(2 / 110.0, e.macroF1(), 1e-12);
        // predicted but never occurring: F1 0 as well; neither: left out
        Evaluation f = Evaluation.of(3, new int[] {0, 0}, new int[] {0, 1});
        assertEquals(2 / 3.0, f.f1(0), 1e-12);
        assertEquals(0, f.f1(1));
        assertTrue(Double.isNaN(f.f1(2)));
        assertEquals(1 / 3.0, f.macroF1(), 1e-12);
    }
}
