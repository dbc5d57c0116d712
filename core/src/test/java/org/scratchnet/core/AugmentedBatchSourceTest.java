package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.scratchnet.kernels.Kernels;

/**
 * {@link AugmentedBatchSource}: a shifted image is the same image moved pixel by pixel, rotations by known angles,
 * and a row's output depends only on the seed, the epoch and the example (not on batch splits, call order or threads).
 */
class AugmentedBatchSourceTest {

    private static final int W = 7;
    private static final int H = 5;

    /** n images of W × H with every pixel non-zero, so that different shifts give different images. */
    private static ArrayBatchSource images(int n, int width, int height, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * width * height];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.05f + r.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
        }
        return new ArrayBatchSource(x, y, width * height, 10);
    }

    /** The definition: out(r, c) = in(r − dy, c − dx), 0 outside. */
    private static float[] shifted(float[] in, int inOff, int width, int height, int dx, int dy) {
        float[] out = new float[width * height];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                int sr = r - dy;
                int sc = c - dx;
                out[r * width + c] = sr >= 0 && sr < height && sc >= 0 && sc < width ? in[inOff + sr * width + sc] : 0f;
            }
        }
        return out;
    }

    private static float[] fillAll(BatchSource s, int[] indices) {
        float[] x = new float[indices.length * s.features()];
        s.fill(indices, 0, indices.length, x, 0, new int[indices.length], 0);
        return x;
    }

    @Test
    void shiftKnownAnswer() {
        // 3 wide, 2 high: moved one column right and one row up
        float[] x = {9, 1, 2, 3, 4, 5, 6, 9};
        AugmentedBatchSource.shift(x, 1, 3, 2, 1, -1);
        assertArrayEquals(new float[] {9, 0, 4, 5, 0, 0, 0, 9}, x);
    }

    @Test
    void shiftInPlaceMatchesTheDefinitionForEveryShift() {
        float[] image = new float[W * H];
        for (int i = 0; i < image.length; i++) {
            image[i] = i + 1;
        }
        for (int dy = -(H - 1); dy < H; dy++) {
            for (int dx = -(W - 1); dx < W; dx++) {
                float[] x = new float[3 + W * H + 2];
                Arrays.fill(x, -7f);
                System.arraycopy(image, 0, x, 3, W * H);
                AugmentedBatchSource.shift(x, 3, W, H, dx, dy);
                assertArrayEquals(shifted(image, 0, W, H, dx, dy), Arrays.copyOfRange(x, 3, 3 + W * H),
                        "dx " + dx + " dy " + dy);
                assertEquals(-7f, x[2]);
                assertEquals(-7f, x[3 + W * H]);
            }
        }
    }

    @Test
    void aShiftedImageIsTheSameImageMovedPixelByPixelAndEveryShiftOccurs() {
        ArrayBatchSource base = images(600, W, H, 1);
        AugmentedBatchSource aug = new AugmentedBatchSource(base, W, H, Augmentation.shift(2), 9, new int[0]);
        aug.beginEpoch(1);
        int[] indices = Network.identity(600);
        float[] in = fillAll(base, indices);
        int[] baseLabels = new int[600];
        base.fill(indices, 0, 600, new float[600 * W * H], 0, baseLabels, 0);
        float[] x = new float[600 * W * H];
        int[] labels = new int[600];
        aug.fill(indices, 0, 600, x, 0, labels, 0);
        int[][] seen = new int[5][5];
        for (int i = 0; i < 600; i++) {
            float[] row = Arrays.copyOfRange(x, i * W * H, (i + 1) * W * H);
            List<String> matches = new ArrayList<>();
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    if (Arrays.equals(row, shifted(in, i * W * H, W, H, dx, dy))) {
                        matches.add(dx + "," + dy);
                        seen[dy + 2][dx + 2]++;
                    }
                }
            }
            assertEquals(1, matches.size(), "image " + i + " is not exactly one shift of its original: " + matches);
            assertEquals(baseLabels[i], labels[i], "label of image " + i);
        }
        for (int[] rowCounts : seen) {
            for (int c : rowCounts) {
                // 600 images over 25 shifts: 24 expected each
                assertTrue(c >= 8 && c <= 45, () -> "shift counts far from uniform: " + Arrays.deepToString(seen));
            }
        }
    }

    @Test
    void sameSeedSameStreamAnotherSeedAnother() {
        ArrayBatchSource base = images(200, W, H, 2);
        int[] indices = Network.identity(200);
        for (Augmentation a : List.of(Augmentation.shift(2), new Augmentation(1, 15))) {
            AugmentedBatchSource one = new AugmentedBatchSource(base, W, H, a, 5, new int[0]);
            AugmentedBatchSource two = new AugmentedBatchSource(base, W, H, a, 5, new int[0]);
            AugmentedBatchSource other = new AugmentedBatchSource(base, W, H, a, 6, new int[0]);
            for (int epoch = 1; epoch <= 3; epoch++) {
                one.beginEpoch(epoch);
                two.beginEpoch(epoch);
                other.beginEpoch(epoch);
                float[] a1 = fillAll(one, indices);
                assertArrayEquals(a1, fillAll(two, indices), a.describe() + " epoch " + epoch);
                assertFalse(Arrays.equals(a1, fillAll(other, indices)), a.describe() + ": another seed, same rows");
            }
        }
    }

    @Test
    void differentEpochsDifferentTransformsAndAnEpochCanBeReplayed() {
        ArrayBatchSource base = images(100, W, H, 3);
        int[] indices = Network.identity(100);
        AugmentedBatchSource aug = new AugmentedBatchSource(base, W, H, Augmentation.shift(2), 5, new int[0]);
        aug.beginEpoch(1);
        float[] e1 = fillAll(aug, indices);
        aug.beginEpoch(2);
        assertEquals(2, aug.epoch());
        float[] e2 = fillAll(aug, indices);
        int differ = 0;
        for (int i = 0; i < 100; i++) {
            if (!Arrays.equals(e1, i * W * H, (i + 1) * W * H, e2, i * W * H, (i + 1) * W * H)) {
                differ++;
            }
        }
        // the same shift twice has probability 1/25 per image
        assertTrue(differ > 80, "only " + differ + " of 100 images moved differently in epoch 2");
        aug.beginEpoch(1);
        assertArrayEquals(e1, fillAll(aug, indices), "epoch 1 again");
    }

    @Test
    void aRowDependsOnlyOnItsExampleNotOnSplitsOrderOrThreads() throws Exception {
        ArrayBatchSource base = images(300, W, H, 4);
        for (Augmentation a : List.of(Augmentation.shift(3), new Augmentation(2, 10))) {
            AugmentedBatchSource aug = new AugmentedBatchSource(base, W, H, a, 8, new int[0]);
            aug.beginEpoch(4);
            int[] order = Network.identity(300);
            new Rng(1).shuffle(order, 0, 300);
            int p = W * H;
            float[] whole = new float[300 * p];
            int[] wholeLabels = new int[300];
            aug.fill(order, 0, 300, whole, 0, wholeLabels, 0);

            // two fills, the second half first, into a larger buffer at an offset
            float[] split = new float[5 + 300 * p];
            int[] splitLabels = new int[2 + 300];
            aug.fill(order, 123, 177, split, 5 + 123 * p, splitLabels, 2 + 123);
            aug.fill(order, 0, 123, split, 5, splitLabels, 2);
            assertArrayEquals(whole, Arrays.copyOfRange(split, 5, split.length), a.describe());
            assertArrayEquals(wholeLabels, Arrays.copyOfRange(splitLabels, 2, splitLabels.length));

            // eight slices filled concurrently by four threads
            float[] parallel = new float[300 * p];
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int s = 0; s < 8; s++) {
                    int from = s * 300 / 8;
                    int to = (s + 1) * 300 / 8;
                    done.add(pool
                            .submit(() -> aug.fill(order, from, to - from, parallel, from * p, new int[300], from)));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            assertArrayEquals(whole, parallel, a.describe() + " with threads");

            // the same example at another position of another batch gets the same transformation
            int e = order[200];
            float[] alone = new float[p];
            aug.fill(new int[] {7, e}, 1, 1, alone, 0, new int[1], 0);
            assertArrayEquals(Arrays.copyOfRange(whole, 200 * p, 201 * p), alone, a.describe() + " example " + e);
        }
    }

    @Test
    void heldOutExamplesPassUntransformedAndForTrainingHoldsOutTheTrainersSplit() {
        ArrayBatchSource base = images(200, W, H, 5);
        TrainingConfig cfg = TrainingConfig.builder().validationFraction(0.25).seed(3).build();
        AugmentedBatchSource aug = AugmentedBatchSource.forTraining(base, W, H, Augmentation.shift(2), cfg);
        aug.beginEpoch(1);
        int[][] split = Trainer.split(200, cfg);
        assertArrayEquals(fillAll(base, split[1]), fillAll(aug, split[1]), "validation rows must be the real images");
        int moved = 0;
        float[] in = fillAll(base, split[0]);
        float[] out = fillAll(aug, split[0]);
        for (int i = 0; i < split[0].length; i++) {
            if (!Arrays.equals(in, i * W * H, (i + 1) * W * H, out, i * W * H, (i + 1) * W * H)) {
                moved++;
            }
        }
        assertTrue(moved > split[0].length * 0.8, moved + " of " + split[0].length + " training images moved");
    }

    @Test
    void rotationByAQuarterTurnAndByZero() {
        float[] in = new float[25];
        for (int i = 0; i < 25; i++) {
            in[i] = i + 1;
        }
        float[] out = new float[25];
        AugmentedBatchSource.rotateAndShift(in, out, 0, 5, 5, 0, 0, (float) (Math.PI / 2));
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 5; c++) {
                // a quarter turn about the centre (2, 2): out(r, c) = in(4 − c, r)
                assertEquals(in[(4 - c) * 5 + r], out[r * 5 + c], 1e-5, "pixel " + r + "," + c);
            }
        }
        float[] image = fillAll(images(1, W, H, 6), new int[] {0});
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                float[] moved = new float[W * H];
                AugmentedBatchSource.rotateAndShift(image, moved, 0, W, H, dx, dy, 0f);
                assertArrayEquals(shifted(image, 0, W, H, dx, dy), moved, "angle 0 is a plain shift");
            }
        }
    }

    @Test
    void smallRotationsKeepTheImageMassAndStayInRange() {
        // a blob in the middle of a 28 x 28 image: rotations of up to 15 degrees keep its sum within a few per cent
        float[] x = new float[784];
        for (int r = 10; r < 18; r++) {
            for (int c = 9; c < 19; c++) {
                x[r * 28 + c] = 1f;
            }
        }
        ArrayBatchSource base = new ArrayBatchSource(x, new int[] {3}, 784, 10);
        AugmentedBatchSource aug = new AugmentedBatchSource(base, 28, 28, new Augmentation(0, 15), 1, new int[0]);
        Set<Float> sums = new HashSet<>();
        for (int epoch = 1; epoch <= 20; epoch++) {
            aug.beginEpoch(epoch);
            float[] out = fillAll(aug, new int[] {0});
            float sum = 0;
            for (float v : out) {
                assertTrue(v >= 0f && v <= 1.0000001f, "value " + v);
                sum += v;
            }
            assertEquals(80f, sum, 80 * 0.08, "epoch " + epoch);
            sums.add(sum);
        }
        assertTrue(sums.size() > 10, "20 epochs gave only " + sums.size() + " different rotations");
    }

    @Test
    void noAllocationPerFill() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(sun.isThreadAllocatedMemorySupported(), "per-thread allocation counting not supported");
        sun.setThreadAllocatedMemoryEnabled(true);
        long id = Thread.currentThread().getId();
        ArrayBatchSource base = images(256, 28, 28, 7);
        int[] indices = Network.identity(256);
        float[] x = new float[64 * 784];
        int[] labels = new int[64];
        for (Augmentation a : List.of(Augmentation.shift(2), new Augmentation(2, 10))) {
            AugmentedBatchSource aug = new AugmentedBatchSource(base, 28, 28, a, 1, new int[] {0, 5});
            // until C2 has compiled it, StrictMath's sine and cosine (pure Java since JDK 21) may allocate a scratch
            // array per call: warm up with many small fills, as a training run's first batches do
            for (int warm = 0; warm < 30_000; warm++) {
                aug.beginEpoch(warm);
                aug.fill(indices, warm % 250, 2, x, 0, labels, 0);
            }
            long before = sun.getThreadAllocatedBytes(id);
            for (int i = 0; i < 1000; i++) {
                aug.beginEpoch(i);
                aug.fill(indices, (i * 64) % 192, 64, x, 0, labels, 0);
            }
            long bytes = sun.getThreadAllocatedBytes(id) - before;
            assertTrue(bytes < 1000, a.describe() + ": " + bytes + " bytes allocated by 1000 fills");
        }
    }

    @Test
    void trainingWithAugmentationIsReproducibleForAnyThreadCountAndResumesExactly() throws Exception {
        ArrayBatchSource data = images(240, 28, 28, 8);
        ArrayBatchSource test = images(40, 28, 28, 9);
        NetworkConfig net = NetworkConfig.of(784, 200, 10);
        TrainingConfig cfg = TrainingConfig.builder().epochs(3).batchSize(60).learningRate(0.05)
                .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).validationFraction(0.1).seed(21).build();
        int before = Kernels.threads();
        float[] one;
        float[] two;
        try {
            Kernels.setThreads(1);
            one = train(net, cfg, data, test).network().parameters();
            Kernels.setThreads(2);
            two = train(net, cfg, data, test).network().parameters();
        } finally {
            Kernels.setThreads(before);
        }
        assertArrayEquals(one, two, "1 and 2 threads");
        float[] plain = new Trainer(Network.create(net, cfg.seed()), cfg).train(data, test, null).network()
                .parameters();
        assertFalse(Arrays.equals(one, plain), "augmentation changed nothing");

        Trainer first = new Trainer(Network.create(net, cfg.seed()), cfg);
        TrainingResult stopped = first.train(
                AugmentedBatchSource.forTraining(data, 28, 28, Augmentation.shift(2), cfg), test,
                new TrainingListener() {
                    @Override
                    public void onEpoch(EpochStats s) {
                        first.requestStop();
                    }
                });
        assertEquals(1, stopped.checkpoint().epochsCompleted());
        Checkpoint cp = ModelFile.checkpointFromBytes(ModelFile.toBytes(stopped.checkpoint()), "test");
        float[] resumed = Trainer.resume(cp)
                .train(AugmentedBatchSource.forTraining(data, 28, 28, Augmentation.shift(2), cfg), test, null)
                .network().parameters();
        assertArrayEquals(one, resumed, "stopped after epoch 1 and resumed");
    }

    private static TrainingResult train(NetworkConfig net, TrainingConfig cfg, BatchSource data, BatchSource test) {
        AugmentedBatchSource aug = AugmentedBatchSource.forTraining(data, 28, 28, Augmentation.shift(2), cfg);
        List<Integer> epochs = new ArrayList<>();
        BatchSource recording = new BatchSource() {
            public int size() {
                return aug.size();
            }

            public int features() {
                return aug.features();
            }

            public int classes() {
                return aug.classes();
            }

            public void fill(int[] indices, int from, int count, float[] x, int xOff, int[] labels, int labelsOff) {
                aug.fill(indices, from, count, x, xOff, labels, labelsOff);
            }

            @Override
            public void beginEpoch(int epoch) {
                epochs.add(epoch);
                aug.beginEpoch(epoch);
            }
        };
        TrainingResult result = new Trainer(Network.create(net, cfg.seed()), cfg).train(recording, test, null);
        assertEquals(List.of(1, 2, 3), epochs, "the trainer announces each epoch");
        return result;
    }

    @Test
    void wrongShapesAndRangesAreRefused() {
        ArrayBatchSource base = images(10, W, H, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AugmentedBatchSource(base, 6, 6, Augmentation.shift(1), 1, new int[0]));
        assertTrue(e.getMessage().contains("6 × 6") && e.getMessage().contains("35 features"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new AugmentedBatchSource(base, W, H, Augmentation.shift(5), 1, new int[0]));
        assertTrue(e.getMessage().contains("shift of up to 5 pixels"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class,
                () -> new AugmentedBatchSource(base, W, H, Augmentation.shift(1), 1, new int[] {10}));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(1, 181));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(1, Double.NaN));
    }

    @Test
    void augmentationTextRoundTripsAndBadTextSaysWhatWasExpected() {
        assertEquals(Augmentation.NONE, Augmentation.parse("none"));
        assertEquals(Augmentation.shift(2), Augmentation.parse("shift:2"));
        assertEquals(new Augmentation(2, 10), Augmentation.parse("shift:2,rotate:10"));
        assertEquals(new Augmentation(0, 7.5), Augmentation.parse(" Rotate:7.5 "));
        for (Augmentation a : List.of(Augmentation.NONE, Augmentation.shift(3), new Augmentation(1, 12.5),
                new Augmentation(0, 10))) {
            assertEquals(a, Augmentation.parse(a.describe()));
        }
        assertEquals("shift:2,rotate:10", new Augmentation(2, 10).describe());
        for (String bad : List.of("", "shift", "shift:", "shift:x", "shift:1.5", "shift:2,shift:3", "flip",
                "rotate:abc", "rotate:NaN", "shift:2,", "shift:-1", "rotate:200")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Augmentation.parse(bad),
                    bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains("expected") || e.getMessage().contains("must be"), e.getMessage());
        }
    }
}
