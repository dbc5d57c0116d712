package org.scratchnet.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Sizes, seeded data and comparisons shared by the kernels tests. */
final class TestData {

    /**
     * JUnit tag of the tests that call the {@link Kernels} facade, and so depend on the backend the JVM picked. The
     * build runs them a second time on the forced scalar backend (kernels/pom.xml); the twin comparisons call both
     * implementations directly ({@link #IMPLEMENTATIONS}) and need no second run.
     */
    static final String FACADE_TAG = "facade";

    /** The scalar implementation, called directly: no argument checks, whichever backend the facade picked. */
    static final KernelImplementation SCALAR = KernelImplementation.of(Backend.SCALAR);

    /** The vector implementation, called directly (every test JVM has the module: the surefire argLine adds it). */
    static final KernelImplementation VECTOR = KernelImplementation.of(Backend.VECTOR);

    /**
     * Both implementations, the scalar reference first. The differential tests run each kernel on each of them, check
     * each against a double-precision reference, and compare them with each other.
     */
    static final List<KernelImplementation> IMPLEMENTATIONS = List.of(SCALAR, VECTOR);

    /** Unit roundoff of float, 2⁻²⁴. */
    static final double U = 0x1p-24;

    private TestData() {
    }

    /**
     * Lengths that hit every loop boundary of the vector kernels: 0, 1, lanes−1, lanes, lanes+1, 2·lanes+1, 5·lanes+3
     * (a four-vector block, one single vector and a tail) and the prime 1021.
     */
    static int[] sizes() {
        int l = VECTOR.lanes();
        return Arrays.stream(new int[] {0, 1, l - 1, l, l + 1, 2 * l + 1, 5 * l + 3, 1021}).distinct().sorted()
                .toArray();
    }

    /** Offsets the differential tests place their operands at. */
    static final int[] OFFSETS = {0, 3};

    /** Gaussian values times {@code scale}, with some exact zeros and negative zeros mixed in. */
    static float[] gaussian(Random rnd, int length, float scale) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            int pick = rnd.nextInt(20);
            x[i] = pick == 0 ? 0f : pick == 1 ? -0f : (float) rnd.nextGaussian() * scale;
        }
        return x;
    }

    /** Element-for-element equality of the float bits (NaNs compared as one value), naming the first difference. */
    static void assertSameBits(float[] expected, float[] actual, String what) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected exactly " + expected[i]);
            }
        }
    }

    /** |actual − reference| ≤ tolerance, with the numbers in the message. */
    static void assertNear(double reference, double actual, double tolerance, String what) {
        if (!(Math.abs(actual - reference) <= tolerance)) {
            fail(what + ": " + actual + ", reference " + reference + ", difference " + Math.abs(actual - reference)
                    + " exceeds " + tolerance);
        }
    }
}
