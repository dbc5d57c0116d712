package org.scratchnet.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the IDX reader: whatever the bytes, it returns a consistent tensor or throws {@link IdxFormatException}
 * with a one-line message. Any other exception or error (including {@link OutOfMemoryError}) fails.
 *
 * <p>Under {@code ./mvnw verify} (Jazzer's regression mode) it runs once on every seed in
 * {@code src/test/resources/org/scratchnet/mnist/IdxReaderFuzzTestInputs/readerAcceptsOnlyIdxFormatException/}.
 * With {@code JAZZER_FUZZ=1} Jazzer fuzzes it for the given time; see docs/data.md.
 */
class IdxReaderFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void readerAcceptsOnlyIdxFormatException(byte[] input) {
        check(input);
    }

    /** The property, shared with {@link IdxReaderMutationTest}. */
    static void check(byte[] input) {
        for (int rank : new int[] {-1, 1, 3}) {
            try {
                IdxTensor t = IdxReader.read(input, "fuzz-input", rank);
                long product = 1;
                for (int d : t.dims()) {
                    assertTrue(d > 0);
                    product *= d;
                }
                assertEquals(product, t.data().length);
                assertTrue(rank < 0 || t.rank() == rank);
            } catch (IdxFormatException e) {
                String m = e.getMessage();
                assertTrue(m.startsWith("fuzz-input: expected "), m);
                assertTrue(m.indexOf('\n') < 0, m);
            }
        }
    }
}
