package org.scratchnet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchnet.kernels.TestData.FACADE_TAG;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link Kernels} checks every argument before any work: one {@link IllegalArgumentException} naming the numbers. */
@Tag(FACADE_TAG)
class ArgumentChecksTest {

    private static void assertRejected(Executable call, String... expectedInMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String s : expectedInMessage) {
            assertTrue(e.getMessage().contains(s), "message \"" + e.getMessage() + "\" should mention " + s);
        }
    }

    @Test
    void negativeSizes() {
        float[] x = new float[8];
        assertRejected(() -> Kernels.relu(-1, x, 0, x, 0), "n", "-1");
        assertRejected(() -> Kernels.addRowBias(-2, 3, x, 0, x, 0, 3), "m", "-2");
        assertRejected(() -> Kernels.columnSums(2, -3, 1f, x, 0, 3, 0f, x, 0), "n", "-3");
        assertRejected(() -> Kernels.softmaxRows(1, -4, x, 0, 4), "n", "-4");
        assertRejected(() -> Kernels.momentumEma(-5, 0.1f, 0.9f, x, 0, x, 0, x, 0), "n", "-5");
        assertRejected(() -> Kernels.adam(-6, 0.1f, 0.9f, 0.99f, 1e-8f, x, 0, x, 0, x, 0, x, 0), "n", "-6");
    }

    @Test
    void arraysTooShort() {
        float[] seven = new float[7];
        float[] ten = new float[10];
        assertRejected(() -> Kernels.relu(5, seven, 3, ten, 0), "x", "offset 3", "length 5", "7");
        assertRejected(() -> Kernels.axpy(4, 1f, ten, 0, seven, 4), "y", "offset 4", "length 4", "7");
        assertRejected(() -> Kernels.sgd(8, 1f, ten, 0, seven, 0), "w", "8", "7");
        assertRejected(() -> Kernels.relu(2, ten, -1, ten, 0), "x", "offset -1");
        // 3 rows of 3 with leading dimension 4 at offset 1 need 1 + 2·4 + 3 = 12 elements
        assertRejected(() -> Kernels.addRowBias(3, 3, ten, 0, ten, 1, 4), "C", "3x3", "offset 1",
                "leading dimension 4", "12", "10");
        assertRejected(() -> Kernels.softmaxRows(3, 3, ten, 1, 4), "X", "12", "10");
        assertRejected(() -> Kernels.columnSums(2, 3, 1f, ten, 0, 3, 0f, seven, 5), "out", "offset 5", "7");
        assertRejected(() -> Kernels.adam(3, 0.1f, 0.9f, 0.99f, 1e-8f, ten, 0, seven, 5, ten, 0, ten, 0), "m", "7");
        assertRejected(() -> Kernels.argmaxRows(3, 3, ten, 0, 3, new int[2], 0), "out", "3", "2");
        assertRejected(() -> Kernels.softmaxCrossEntropy(4, 2, ten, 0, 2, new int[3], 0, 1f, ten, 0, 2),
                "labels", "4", "3");
        assertRejected(() -> Kernels.relu(1, null, 0, ten, 0), "x", "null");
    }

    @Test
    void leadingDimensionShorterThanTheRow() {
        float[] x = new float[100];
        assertRejected(() -> Kernels.softmaxRows(2, 5, x, 0, 4), "X", "leading dimension 4", "row length 5");
        assertRejected(() -> Kernels.columnSums(2, 5, 1f, x, 0, 3, 0f, x, 0), "A", "leading dimension 3", "5");
        assertRejected(() -> Kernels.addRowBias(2, 5, x, 0, x, 0, 2), "C", "leading dimension 2", "5");
        assertRejected(() -> Kernels.argmaxRows(2, 5, x, 0, 1, new int[2], 0), "X", "leading dimension 1", "5");
        assertRejected(() -> Kernels.softmaxCrossEntropy(1, 5, x, 0, 5, new int[1], 0, 1f, x, 0, 4),
                "G", "leading dimension 4", "5");
    }

    @Test
    void labelsOutOfRange() {
        float[] z = new float[6];
        float[] g = new float[6];
        assertRejected(() -> Kernels.softmaxCrossEntropy(2, 3, z, 0, 3, new int[] {0, 3}, 0, 1f, g, 0, 3),
                "label 3", "row 1", "[0, 3)");
        assertRejected(() -> Kernels.softmaxCrossEntropy(2, 3, z, 0, 3, new int[] {9, -1, 2}, 1, 1f, g, 0, 3),
                "label -1", "row 0", "[0, 3)");
        assertArrayEquals(new float[6], g, "nothing was computed before the check failed");
        assertRejected(() -> Kernels.softmaxCrossEntropy(1, 0, z, 0, 1, new int[1], 0, 1f, g, 0, 1), "n=0");
        assertRejected(() -> Kernels.argmaxRows(1, 0, z, 0, 1, new int[1], 0), "n=0");
    }

    @Test
    void zeroSizesAreNoOps() {
        float[] x = {1, -2, 3};
        float[] before = x.clone();
        Kernels.relu(0, x, 0, x, 0);
        Kernels.reluBackward(0, x, 0, x, 0, x, 0);
        Kernels.addRowBias(0, 3, x, 0, x, 0, 3);
        Kernels.addRowBias(3, 0, x, 0, x, 0, 1);
        Kernels.softmaxRows(0, 3, x, 0, 3);
        Kernels.softmaxRows(3, 0, x, 0, 1);
        Kernels.axpy(0, 2f, x, 0, x, 0);
        Kernels.multiply(0, x, 0, x, 0, x, 0);
        Kernels.sgd(0, 2f, x, 0, x, 0);
        Kernels.momentumEma(0, 0.1f, 0.9f, x, 0, x, 0, x, 0);
        Kernels.momentumClassical(0, 0.1f, 0.9f, x, 0, x, 0, x, 0);
        Kernels.momentumNesterov(0, 0.1f, 0.9f, x, 0, x, 0, x, 0);
        Kernels.adam(0, 0.1f, 0.9f, 0.99f, 1e-8f, x, 0, x, 0, x, 0, x, 0);
        Kernels.columnSums(3, 0, 1f, x, 0, 1, 0f, x, 0);
        Kernels.argmaxRows(0, 3, x, 0, 3, new int[0], 0);
        assertEquals(0.0, Kernels.softmaxCrossEntropy(0, 3, x, 0, 3, new int[0], 0, 1f, x, 0, 3));
        assertArrayEquals(before, x);
        // no rows: the column sums are beta·out
        float[] out = {2, 4};
        Kernels.columnSums(0, 2, 1f, x, 0, 2, 0.5f, out, 0);
        assertArrayEquals(new float[] {1, 2}, out);
    }
}
