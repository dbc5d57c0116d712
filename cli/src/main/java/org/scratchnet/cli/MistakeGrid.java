package org.scratchnet.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.scratchnet.io.AtomicFile;
import org.scratchnet.mnist.Dataset;

/**
 * {@code eval --mistakes}: the misclassified test images as a picture, most confident mistakes first. Each tile is the
 * image, enlarged {@value #SCALE} times, dark ink on white, with "true→predicted probability" beneath it;
 * {@value #COLUMNS} tiles a row under a one-line header. Drawn with Java2D (a grid of images is not a chart) and
 * written as PNG through {@link AtomicFile}.
 */
final class MistakeGrid {

    /** Enlargement of each image pixel (a 28 × 28 digit becomes 84 × 84). */
    static final int SCALE = 3;
    /** Tiles per row. */
    static final int COLUMNS = 10;
    /** Space around and between tiles, in pixels. */
    static final int PAD = 6;
    /** Height of the text under each image. */
    static final int LABEL_HEIGHT = 16;
    /** Height of the header line. */
    static final int HEADER_HEIGHT = 28;

    /**
     * One misclassified example.
     *
     * @param index       its index in the test set
     * @param actual      its true label
     * @param predicted   the network's answer (the most probable class)
     * @param probability the probability the network gives its answer
     */
    record Mistake(int index, int actual, int predicted, float probability) {
    }

    private MistakeGrid() {
    }

    /**
     * The examples whose prediction differs from their label, most confident first: by the probability of the
     * predicted class, descending, then by index.
     *
     * @param probabilities {@code labels.length × classes} softmax outputs, row-major
     */
    static List<Mistake> rank(int[] labels, int[] predictions, float[] probabilities, int classes) {
        if (labels.length != predictions.length || (long) labels.length * classes != probabilities.length) {
            throw new IllegalArgumentException(labels.length + " labels, " + predictions.length + " predictions and "
                    + probabilities.length + " probabilities for " + classes + " classes do not match");
        }
        List<Mistake> mistakes = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != predictions[i]) {
                mistakes.add(new Mistake(i, labels[i], predictions[i], probabilities[i * classes + predictions[i]]));
            }
        }
        mistakes.sort(Comparator.comparing(Mistake::probability, Comparator.reverseOrder())
                .thenComparingInt(Mistake::index));
        return mistakes;
    }

    /** Narrowest tile, so that a label such as "7→2 0.98" fits under small images too. */
    static final int MIN_TILE_WIDTH = 64;

    /** Width of one tile: the image's width enlarged, at least {@value #MIN_TILE_WIDTH}. */
    static int tileWidth(Dataset images) {
        return Math.max(images.cols() * SCALE, MIN_TILE_WIDTH);
    }

    /** Height of one tile (the enlarged image and its label). */
    static int tileHeight(Dataset images) {
        return images.rows() * SCALE + LABEL_HEIGHT;
    }

    /** Left edge of tile t. */
    static int tileX(Dataset images, int t) {
        return PAD + (t % COLUMNS) * (tileWidth(images) + PAD);
    }

    /** Top edge of tile t. */
    static int tileY(Dataset images, int t) {
        return HEADER_HEIGHT + (t / COLUMNS) * (tileHeight(images) + PAD);
    }

    /**
     * The picture of the first {@code max} mistakes (all, if fewer): {@value #COLUMNS} tiles wide, one row of tiles per
     * {@value #COLUMNS} mistakes; with no mistakes, the header alone says so.
     *
     * @param what the header's subject, e.g. "784-100-50-10 on the mnist test set"
     */
    static BufferedImage draw(List<Mistake> mistakes, Dataset images, int max, String what) {
        int shown = Math.min(max, mistakes.size());
        int rows = (shown + COLUMNS - 1) / COLUMNS;
        int width = PAD + COLUMNS * (tileWidth(images) + PAD);
        int height = HEADER_HEIGHT + rows * (tileHeight(images) + PAD) + (rows == 0 ? PAD : 0);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            String header = mistakes.isEmpty()
                    ? what + ": no mistakes"
                    : String.format(Locale.ROOT, "%s: %s%,d mistakes, most confident first (true%spredicted, "
                            + "probability)", what, shown < mistakes.size() ? shown + " of " : "", mistakes.size(),
                            arrow(g.getFont()));
            g.drawString(header, PAD, HEADER_HEIGHT - 9);
            Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
            g.setFont(labelFont);
            FontMetrics fm = g.getFontMetrics();
            String arrow = arrow(labelFont);
            for (int t = 0; t < shown; t++) {
                Mistake m = mistakes.get(t);
                int x = tileX(images, t);
                int y = tileY(images, t);
                drawImage(img, images, m.index(), x, y);
                g.setColor(Color.BLACK);
                String label = String.format(Locale.ROOT, "%d%s%d %.2f", m.actual(), arrow, m.predicted(),
                        m.probability());
                g.drawString(label, x + (tileWidth(images) - fm.stringWidth(label)) / 2,
                        y + images.rows() * SCALE + LABEL_HEIGHT - 4);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static String arrow(Font font) {
        return font.canDisplay('→') ? "→" : "->";
    }

    /** Image i enlarged SCALE times at (x, y), pixel value v drawn as grey 255 − v. */
    private static void drawImage(BufferedImage img, Dataset images, int i, int x, int y) {
        for (int r = 0; r < images.rows(); r++) {
            for (int c = 0; c < images.cols(); c++) {
                int grey = 255 - images.pixel(i, r * images.cols() + c);
                int rgb = grey << 16 | grey << 8 | grey;
                for (int dy = 0; dy < SCALE; dy++) {
                    for (int dx = 0; dx < SCALE; dx++) {
                        img.setRGB(x + c * SCALE + dx, y + r * SCALE + dy, rgb);
                    }
                }
            }
        }
    }

    /** Draws the picture and writes it to {@code png} atomically. */
    static void write(Path png, List<Mistake> mistakes, Dataset images, int max, String what) throws IOException {
        BufferedImage img = draw(mistakes, images, max, what);
        AtomicFile.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer in this JDK");
            }
        });
    }
}
