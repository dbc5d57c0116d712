package org.scratchnet.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchnet.mnist.IdxFixtures.concat;
import static org.scratchnet.mnist.IdxFixtures.header;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
    @TempDir
    Path dir;

    /** 4 images of 2x3; image i has pixels 10*i + p (p = 0..5), except image 3 whose pixels are 255; labels 3,1,4,1. */
    private static Dataset small() {
        byte[] px = new byte[4 * 6];
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 6; p++) {
                px[i * 6 + p] = (byte) (10 * i + p);
            }
        }
        Arrays.fill(px, 18, 24, (byte) 255);
        return new Dataset(px, new byte[] {3, 1, 4, 1}, 2, 3, 10);
    }

    @Test
    void reportsItsShape() {
        Dataset d = small();
        assertEquals(4, d.size());
        assertEquals(2, d.rows());
        assertEquals(3, d.cols());
        assertEquals(6, d.pixelsPerImage());
        assertEquals(10, d.classes());
        assertEquals(4, d.label(2));
        assertEquals(255, d.pixel(3, 5));
        assertEquals(12, d.pixel(1, 2));
    }

    @Test
    void fillBatchWritesPixelsOver255AtTheOffsetAndNothingElse() {
        Dataset d = small();
        int[] idx = {9, 3, 0, 9}; // entries 1..2 are used
        float[] out = new float[1 + 2 * 6 + 1];
        Arrays.fill(out, -7f);
        d.fillBatch(idx, 1, 2, out, 1);
        assertEquals(-7f, out[0]);
        assertEquals(-7f, out[13]);
        for (int p = 0; p < 6; p++) {
            assertEquals(1f, out[1 + p]);               // image 3: 255 / 255
            assertEquals(p / 255f, out[7 + p], 1e-7f);  // image 0: p / 255
        }
        int[] labels = new int[4];
        d.fillLabels(idx, 1, 2, labels, 2);
        assertArrayEquals(new int[] {0, 0, 1, 3}, labels);
    }

    @Test
    void fillBatchChecksRangesAndIndices() {
        Dataset d = small();
        float[] out = new float[12];
        assertThrows(IndexOutOfBoundsException.class, () -> d.fillBatch(new int[] {0, 4}, 0, 2, out, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> d.fillBatch(new int[] {0, 1}, 0, 2, out, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> d.fillBatch(new int[] {0, 1}, 1, 2, out, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> d.fillLabels(new int[] {-1}, 0, 1, new int[1], 0));
    }

    @Test
    void subsetAndSelectCopyImagesWithTheirLabels() {
        Dataset d = small();
        Dataset s = d.subset(1, 3);
        assertEquals(2, s.size());
        assertEquals(1, s.label(0));
        assertEquals(4, s.label(1));
        assertEquals(10, s.pixel(0, 0));
        Dataset t = d.select(new int[] {3, 0, 3});
        assertEquals(3, t.size());
        assertArrayEquals(new int[] {1, 3, 1}, new int[] {t.label(0), t.label(1), t.label(2)});
        assertArrayEquals(d.image(3), t.image(2));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(2, 5));
    }

    @Test
    void writeAndLoadRoundTripRawAndGzip() throws IOException {
        Dataset d = small();
        d.write(dir.resolve("img"), dir.resolve("lbl.gz"));
        Dataset back = Dataset.load(dir.resolve("img"), dir.resolve("lbl.gz"));
        assertArrayEquals(d.pixels(), back.pixels());
        assertArrayEquals(d.labels(), back.labels());
        assertEquals(2, back.rows());
        assertEquals(3, back.cols());
    }

    @Test
    void loadRefusesCountMismatchNamingBothFiles() throws IOException {
        Path img = dir.resolve("img");
        Path lbl = dir.resolve("lbl");
        Files.write(img, IdxFixtures.images(1, 3, 2, 2));
        Files.write(lbl, IdxFixtures.labels(2, 4, 10));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Dataset.load(img, lbl));
        assertEquals(img + " and " + lbl + ": expected as many labels as images, found 3 images and 4 labels",
                e.getMessage());
    }

    @Test
    void loadRefusesLabelsOutOfRange() throws IOException {
        Path img = dir.resolve("img");
        Path lbl = dir.resolve("lbl");
        Files.write(img, IdxFixtures.images(1, 3, 2, 2));
        Files.write(lbl, concat(header(8, 1, 3), new byte[] {9, 10, 0}));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Dataset.load(img, lbl));
        assertEquals(lbl + ": expected labels in 0..9, found 10 at index 1", e.getMessage());
        Dataset eleven = Dataset.load(img, lbl, 11);
        assertEquals(10, eleven.label(1));
    }

    @Test
    void loadFailsOnAMissingLabelsFileBeforeReadingImages() throws IOException {
        Path img = dir.resolve("img");
        Files.write(img, IdxFixtures.images(1, 3, 2, 2));
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> Dataset.load(img, dir.resolve("nope")));
        assertTrue(e.getMessage().endsWith("nope: expected a labels file, found no such file"), e.getMessage());
    }

    @Test
    void constructorChecksShapes() {
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new byte[5], new byte[1], 2, 3, 10));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new byte[6], new byte[] {10}, 2, 3, 10));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new byte[6], new byte[1], 0, 3, 10));
    }
}
