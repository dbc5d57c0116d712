package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchnet.mnist.Dataset;

/**
 * The pictures of {@code eval}: {@link MistakeGrid} (which mistakes, in which order, each tile the right image pixel by
 * pixel, the limit, none at all) and {@link ConfusionHeatMap} (size per class count, colours, a class without
 * mistakes). Layouts are checked against the documented constants, images against the data they were drawn from.
 */
class PicturesTest {

    @TempDir
    Path tmp;

    /** n images of 6 × 5 pixels, random values; labels 0..9. */
    private static Dataset images(int n, long seed) {
        Random r = new Random(seed);
        byte[] pixels = new byte[n * 30];
        r.nextBytes(pixels);
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) r.nextInt(10);
        }
        return new Dataset(pixels, labels, 5, 6, 10);
    }

    private static int grey(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFF;
    }

    @Test
    void mistakesAreRankedByConfidenceThenIndex() {
        int[] labels = {0, 1, 2, 3, 4, 1, 2};
        int[] predictions = {0, 2, 1, 3, 0, 2, 0};
        float[] probabilities = new float[7 * 5];
        probabilities[1 * 5 + 2] = 0.6f;
        probabilities[2 * 5 + 1] = 0.9f;
        probabilities[4 * 5 + 0] = 0.6f;
        probabilities[5 * 5 + 2] = 0.99f;
        probabilities[6 * 5 + 0] = 0.4f;
        List<MistakeGrid.Mistake> ranked = MistakeGrid.rank(labels, predictions, probabilities, 5);
        assertEquals(List.of(new MistakeGrid.Mistake(5, 1, 2, 0.99f), new MistakeGrid.Mistake(2, 2, 1, 0.9f),
                new MistakeGrid.Mistake(1, 1, 2, 0.6f), new MistakeGrid.Mistake(4, 4, 0, 0.6f),
                new MistakeGrid.Mistake(6, 2, 0, 0.4f)), ranked);
        // class 3 has no mistakes and does not appear; all correct gives none
        assertTrue(ranked.stream().noneMatch(m -> m.actual() == 3));
        assertEquals(List.of(), MistakeGrid.rank(new int[] {1, 2}, new int[] {1, 2}, new float[4], 2));
        assertThrows(IllegalArgumentException.class, () -> MistakeGrid.rank(labels, predictions, new float[7], 5));
    }

    @Test
    void eachTileShowsItsImagePixelByPixelMostConfidentFirst() {
        Dataset data = images(40, 1);
        List<MistakeGrid.Mistake> mistakes = List.of(new MistakeGrid.Mistake(17, 3, 5, 0.97f),
                new MistakeGrid.Mistake(2, 1, 7, 0.8f), new MistakeGrid.Mistake(39, 0, 9, 0.51f));
        BufferedImage img = MistakeGrid.draw(mistakes, data, 100, "test");
        int tileW = MistakeGrid.MIN_TILE_WIDTH; // 6 pixels enlarged are narrower than a label
        int tileH = 5 * MistakeGrid.SCALE + MistakeGrid.LABEL_HEIGHT;
        assertEquals(MistakeGrid.PAD + MistakeGrid.COLUMNS * (tileW + MistakeGrid.PAD), img.getWidth());
        assertEquals(MistakeGrid.HEADER_HEIGHT + tileH + MistakeGrid.PAD, img.getHeight());
        for (int t = 0; t < 3; t++) {
            int index = mistakes.get(t).index();
            for (int r = 0; r < 5; r++) {
                for (int c = 0; c < 6; c++) {
                    int x = MistakeGrid.tileX(data, t) + c * MistakeGrid.SCALE;
                    int y = MistakeGrid.tileY(data, t) + r * MistakeGrid.SCALE;
                    int expected = 255 - data.pixel(index, r * 6 + c);
                    for (int d = 0; d < MistakeGrid.SCALE; d++) {
                        assertEquals(expected, grey(img, x + d, y + d), "tile " + t + " pixel " + r + "," + c);
                    }
                }
            }
        }
        // the fourth tile's place is empty
        for (int y = MistakeGrid.tileY(data, 3); y < MistakeGrid.tileY(data, 3) + tileH; y++) {
            for (int x = MistakeGrid.tileX(data, 3); x < MistakeGrid.tileX(data, 3) + tileW; x++) {
                assertEquals(0xFFFFFF, img.getRGB(x, y) & 0xFFFFFF);
            }
        }
    }

    @Test
    void theLimitCutsTheGridToWholeRows() {
        Dataset data = images(40, 2);
        List<MistakeGrid.Mistake> mistakes = Stream.iterate(0, i -> i + 1).limit(23)
                .map(i -> new MistakeGrid.Mistake(i, 0, 1, 1f - i / 100f)).toList();
        int tileH = 5 * MistakeGrid.SCALE + MistakeGrid.LABEL_HEIGHT;
        assertEquals(MistakeGrid.HEADER_HEIGHT + 3 * (tileH + MistakeGrid.PAD),
                MistakeGrid.draw(mistakes, data, 100, "all").getHeight());
        BufferedImage twelve = MistakeGrid.draw(mistakes, data, 12, "twelve");
        assertEquals(MistakeGrid.HEADER_HEIGHT + 2 * (tileH + MistakeGrid.PAD), twelve.getHeight());
        // tile 11 is drawn, tile 12 is not
        assertEquals(255 - data.pixel(11, 0), grey(twelve, MistakeGrid.tileX(data, 11), MistakeGrid.tileY(data, 11)));
        assertEquals(255, grey(twelve, MistakeGrid.tileX(data, 12), MistakeGrid.tileY(data, 12)));
    }

    @Test
    void noMistakesIsAHeaderAlone() throws IOException {
        Dataset data = images(5, 3);
        Path png = tmp.resolve("none.png");
        MistakeGrid.write(png, List.of(), data, 100, "perfect");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(MistakeGrid.PAD + MistakeGrid.COLUMNS * (MistakeGrid.MIN_TILE_WIDTH + MistakeGrid.PAD),
                img.getWidth());
        assertEquals(MistakeGrid.HEADER_HEIGHT + MistakeGrid.PAD, img.getHeight());
        boolean ink = false;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                ink |= (img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF;
            }
        }
        assertTrue(ink, "the header says there are no mistakes");
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(png), files.toList(), "only the PNG, no temporary file left");
        }
    }

    @Test
    void heatMapSizeFollowsTheClassCount() {
        assertEquals(ConfusionHeatMap.LEFT + 10 * ConfusionHeatMap.CELL + ConfusionHeatMap.RIGHT,
                ConfusionHeatMap.draw("ten", new long[10][10]).getWidth());
        assertEquals(ConfusionHeatMap.TOP + 10 * ConfusionHeatMap.CELL + ConfusionHeatMap.BOTTOM,
                ConfusionHeatMap.draw("ten", new long[10][10]).getHeight());
        assertEquals(ConfusionHeatMap.TOP + 3 * ConfusionHeatMap.CELL + ConfusionHeatMap.BOTTOM,
                ConfusionHeatMap.draw("three", new long[3][3]).getHeight());
        assertThrows(IllegalArgumentException.class, () -> ConfusionHeatMap.draw("ragged", new long[][] {{1, 2}, {3}}));
    }

    @Test
    void heatMapColoursGrowWithTheCountAndAClassWithoutMistakesIsWhiteOffTheDiagonal() throws IOException {
        long[][] confusion = {
                {980, 0, 0},   // class 0: no mistakes
                {3, 1100, 30},
                {1, 0, 950},
        };
        Path png = tmp.resolve("confusion.png");
        ConfusionHeatMap.write(png, "three classes", confusion);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(ConfusionHeatMap.TOP + 3 * ConfusionHeatMap.CELL + ConfusionHeatMap.BOTTOM, img.getHeight());
        for (int a = 0; a < 3; a++) {
            for (int p = 0; p < 3; p++) {
                // a cell's corner, away from its number
                int rgb = img.getRGB(ConfusionHeatMap.LEFT + p * ConfusionHeatMap.CELL + 3,
                        ConfusionHeatMap.TOP + a * ConfusionHeatMap.CELL + 3) & 0xFFFFFF;
                assertEquals(ConfusionHeatMap.color(confusion[a][p], 1100).getRGB() & 0xFFFFFF, rgb,
                        "cell " + a + "," + p);
                if (confusion[a][p] == 0) {
                    assertEquals(0xFFFFFF, rgb, "an empty cell is white");
                }
            }
        }
        int previous = 255 * 3;
        for (long count : new long[] {1, 3, 30, 300, 1100}) {
            Color c = ConfusionHeatMap.color(count, 1100);
            int sum = c.getRed() + c.getGreen() + c.getBlue();
            assertTrue(sum < previous, "colour of " + count + " is not darker than the one before");
            previous = sum;
        }
        assertEquals(new Color(0x7f0000), ConfusionHeatMap.color(1100, 1100));
    }
}
