package org.scratchnet.mnist;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bounded fuzzing run of {@code verify}: seeded random mutations of the Jazzer seed corpus, each checked with
 * the fuzz test's property ({@link IdxReaderFuzzTest#check}). Jazzer's JUnit regression mode only replays the seeds;
 * this exercises the reader on tens of thousands of new inputs in about a second, the same every run. Coverage-guided
 * fuzzing for longer is {@code JAZZER_FUZZ=1} (docs/data.md).
 */
class IdxReaderMutationTest {
    private static final int ITERATIONS = 20_000;
    private static final int[] INTERESTING = {0, 1, -1, 2, 3, 8, 28, 255, 256, 784, 60000, 1 << 20, 1 << 30,
            Integer.MAX_VALUE, Integer.MIN_VALUE, 0x00000801, 0x00000803, 0x1f8b0800};

    static Map<String, byte[]> seeds() throws IOException, URISyntaxException {
        Path dir = Path.of(IdxReaderMutationTest.class
                .getResource("IdxReaderFuzzTestInputs/readerAcceptsOnlyIdxFormatException").toURI());
        Map<String, byte[]> seeds = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                seeds.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return seeds;
    }

    @Test
    void theSeedCorpusHoldsValidAndMalformedFilesAsNamed() throws Exception {
        Map<String, byte[]> seeds = seeds();
        assertTrue(seeds.size() >= 16, seeds.keySet().toString());
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            if (e.getKey().startsWith("valid-")) {
                assertDoesNotThrow(() -> IdxReader.read(e.getValue(), e.getKey(), -1), e.getKey());
            } else {
                assertThrows(IdxFormatException.class, () -> IdxReader.read(e.getValue(), e.getKey(), -1),
                        e.getKey());
            }
        }
    }

    @Test
    void mutatedInputsGiveATensorOrIdxFormatExceptionOnly() throws Exception {
        byte[][] corpus = seeds().values().toArray(new byte[0][]);
        Random r = new Random(20261125);
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = corpus[r.nextInt(corpus.length)];
            int mutations = 1 + r.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                input = mutate(input, r);
            }
            if (r.nextInt(8) == 0) { // a valid gzip stream around mutated content
                input = IdxFixtures.gzip(input);
                if (r.nextBoolean()) {
                    input = mutate(input, r);
                }
            }
            IdxReaderFuzzTest.check(input);
            try {
                IdxReader.read(input, "x", -1);
                accepted++;
            } catch (IdxFormatException expected) {
                // counted below
            }
        }
        int refused = ITERATIONS - accepted;
        // bytes appended after a gzip member are refused (java.util.zip skipped them), so fewer mutants pass than
        // the 1 % this asked for before: 148 of 20,000 with this seed
        assertTrue(accepted > ITERATIONS / 200 && refused > ITERATIONS / 2,
                "both outcomes exercised: accepted " + accepted + ", refused " + refused);
    }

    private static byte[] mutate(byte[] in, Random r) {
        byte[] b = in;
        switch (r.nextInt(8)) {
            case 0: // flip a bit
                if (b.length > 0) {
                    b = b.clone();
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            case 1: // an interesting 32-bit value over a header word
                if (b.length >= 8) {
                    b = b.clone();
                    int at = 4 * r.nextInt(Math.min(b.length, 20) / 4);
                    int v = INTERESTING[r.nextInt(INTERESTING.length)];
                    for (int k = 0; k < 4 && at + k < b.length; k++) {
                        b[at + k] = (byte) (v >>> (24 - 8 * k));
                    }
                }
                return b;
            case 2: // truncate
                return Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            case 3: // append random bytes
                byte[] tail = new byte[1 + r.nextInt(16)];
                r.nextBytes(tail);
                return IdxFixtures.concat(b, tail);
            case 4: // insert a byte
                int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
                return IdxFixtures.concat(Arrays.copyOf(b, at), new byte[] {(byte) r.nextInt(256)},
                        Arrays.copyOfRange(b, at, b.length));
            case 5: // delete a byte
                if (b.length == 0) {
                    return b;
                }
                int del = r.nextInt(b.length);
                return IdxFixtures.concat(Arrays.copyOf(b, del), Arrays.copyOfRange(b, del + 1, b.length));
            case 6: // set the type code or the rank byte
                if (b.length >= 4) {
                    b = b.clone();
                    b[2 + r.nextInt(2)] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
                }
                return b;
            default: // grow the data to match or overshoot a declared size
                return IdxFixtures.concat(b, new byte[r.nextInt(64)]);
        }
    }

    @Test
    void mutationsAreReproducible() {
        Random a = new Random(1);
        Random b = new Random(1);
        byte[] seed = IdxFixtures.images(1, 2, 3, 3);
        assertEquals(Arrays.toString(mutate(seed, a)), Arrays.toString(mutate(seed, b)));
    }
}
