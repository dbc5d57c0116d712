package org.scratchnet.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.scratchnet.io.AtomicFile;

/**
 * {@code eval --confusion}: the confusion matrix as a heat map, actual class down (0 at the top), predicted class
 * across, every cell labelled with its count. Cells are coloured by {@code log(1 + count) / log(1 + max)} from white
 * to dark red, so that a handful of confusions still shows beside the diagonal's thousands (XChart's heat map can only
 * label a cell with the value it is coloured by, so this is drawn with Java2D). Written as PNG through
 * {@link AtomicFile}.
 */
final class ConfusionHeatMap {

    /** Side of one cell in pixels. */
    static final int CELL = 48;
    /** Space left of the cells (axis title and class labels). */
    static final int LEFT = 64;
    /** Space above the cells (title). */
    static final int TOP = 40;
    /** Space below the cells (class labels and axis title). */
    static final int BOTTOM = 52;
    /** Space right of the cells. */
    static final int RIGHT = 16;

    /** Colour stops from no examples (white) to the most (dark red). */
    private static final Color[] STOPS = {
            Color.WHITE, new Color(0xfdd49e), new Color(0xfc8d59), new Color(0xd7301f), new Color(0x7f0000),
    };

    private ConfusionHeatMap() {
    }

    /** The colour of a cell holding {@code count} when the largest cell holds {@code max}. */
    static Color color(long count, long max) {
        if (count <= 0) {
            return STOPS[0];
        }
        double t = Math.log1p(count) / Math.log1p(Math.max(max, 1));
        double pos = Math.min(1, t) * (STOPS.length - 1);
        int i = Math.min((int) pos, STOPS.length - 2);
        double f = pos - i;
        Color a = STOPS[i];
        Color b = STOPS[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    /**
     * The picture of {@code confusion} ({@code [actual][predicted]} counts, square).
     *
     * @param title the line above the matrix
     */
    static BufferedImage draw(String title, long[][] confusion) {
        int k = confusion.length;
        long max = 0;
        for (long[] row : confusion) {
            if (row.length != k) {
                throw new IllegalArgumentException("the confusion matrix must be square, found " + k + " rows and a "
                        + "row of " + row.length);
            }
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        int width = Math.max(LEFT + k * CELL + RIGHT, 360);
        int height = TOP + k * CELL + BOTTOM;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            Font cellFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            Font labelFont = new Font(Font.SANS_SERIF, Font.BOLD, 12);
            g.setFont(labelFont);
            g.setColor(Color.BLACK);
            g.drawString(title, 8, 22);
            for (int a = 0; a < k; a++) {
                for (int p = 0; p < k; p++) {
                    Color c = color(confusion[a][p], max);
                    g.setColor(c);
                    g.fillRect(LEFT + p * CELL, TOP + a * CELL, CELL, CELL);
                    boolean dark = c.getRed() * 0.299 + c.getGreen() * 0.587 + c.getBlue() * 0.114 < 140;
                    g.setColor(confusion[a][p] == 0 ? new Color(0xbbbbbb) : dark ? Color.WHITE : Color.BLACK);
                    g.setFont(cellFont);
                    centred(g, Long.toString(confusion[a][p]), LEFT + p * CELL + CELL / 2,
                            TOP + a * CELL + CELL / 2);
                }
            }
            g.setColor(new Color(0x999999));
            g.setStroke(new BasicStroke(1f));
            g.drawRect(LEFT, TOP, k * CELL - 1, k * CELL - 1);
            g.setColor(Color.BLACK);
            g.setFont(labelFont);
            for (int c = 0; c < k; c++) {
                centred(g, Integer.toString(c), LEFT - 12, TOP + c * CELL + CELL / 2);
                centred(g, Integer.toString(c), LEFT + c * CELL + CELL / 2, TOP + k * CELL + 12);
            }
            centred(g, "predicted", LEFT + k * CELL / 2, TOP + k * CELL + 36);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2, 20, TOP + k * CELL / 2.0);
            centred(g, "actual", 20, TOP + k * CELL / 2);
            g.setTransform(saved);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Draws text centred on (x, y). */
    private static void centred(Graphics2D g, String text, int x, int y) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, x - fm.stringWidth(text) / 2, y + (fm.getAscent() - fm.getDescent()) / 2);
    }

    /** Draws the picture and writes it to {@code png} atomically. */
    static void write(Path png, String title, long[][] confusion) throws IOException {
        BufferedImage img = draw(title, confusion);
        AtomicFile.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer in this JDK");
            }
        });
    }
}
