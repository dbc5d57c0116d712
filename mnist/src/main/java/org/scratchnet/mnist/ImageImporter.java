package org.scratchnet.mnist;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.scratchnet.io.RegularFile;

/**
 * Turns a picture of a digit (PNG, JPEG or PGM) into a 28×28 MNIST-style input, the way MNIST itself was made:
 * <ol>
 *   <li>grayscale: luminance {@code 0.299 R + 0.587 G + 0.114 B}, transparent pixels composited over white;</li>
 *   <li>polarity: if the border of the picture is light (mean above 127.5), it is dark ink on light paper and is
 *       inverted, so the digit is light on a dark background as in MNIST;</li>
 *   <li>an image that is already 28×28 stops here: it is taken as an MNIST digit and passes through unchanged
 *       (after the inversion, if it was dark on light);</li>
 *   <li>background: the median of the border is subtracted (clamped at 0) and the result stretched so the brightest
 *       pixel is 255;</li>
 *   <li>crop to the ink: the bounding box of the pixels at or above a quarter of full brightness;</li>
 *   <li>scale so the longer side is 20 pixels, keeping the aspect ratio, by area averaging (each output pixel is the
 *       mean of the input area it covers, which anti-aliases as MNIST's normalisation did);</li>
 *   <li>centre: placed in a 28×28 field so that its centre of mass (weighted mean of the pixel indices) falls on
 *       (14, 14), rounded to whole pixels; MNIST's own digits average (14.007, 13.996).</li>
 * </ol>
 * A picture with no ink (uniform after background removal, or uniform at 28×28) is refused with an
 * {@link IOException}, and so is a damaged one (a JPEG cut short, which the decoder would finish in gray). Only
 * regular files of at most {@link #MAX_FILE_BYTES} are read, and from a stream at most that many bytes; the declared
 * size is checked against the file before the pixels are read.
 */
public final class ImageImporter {
    /** Side of the output image. */
    public static final int SIZE = 28;
    /** Side of the box the digit is scaled into. */
    public static final int BOX = 20;
    /**
     * Where the centre of mass goes, in pixel indices (row and column), as in MNIST
     * (docs/decisions/0011-image-import-constants.md).
     */
    static final double CENTRE = 14.0;
    /**
     * A pixel belongs to the ink's bounding box from this brightness (of 255) on, after background removal
     * (docs/decisions/0011-image-import-constants.md).
     */
    static final float INK_THRESHOLD = 64f;
    /** Largest picture accepted, in pixels (64 Mi, e.g. 8192 x 8192); checked before decoding. */
    static final long MAX_PIXELS = 1L << 26;
    /** Below this contrast (of 255) between ink and background a picture counts as empty. */
    static final float MIN_CONTRAST = 16f;
    /**
     * Largest picture file accepted, in bytes; checked before anything is read
     * (docs/decisions/0023-bounded-reads-and-transfers.md).
     */
    static final long MAX_FILE_BYTES = 256L << 20;
    /** A PGM header (magic, comments, width, height, maximum value) must fit in this many first bytes. */
    static final int PGM_HEADER_BYTES = 1 << 16;

    private ImageImporter() {
    }

    /**
     * The picture as 784 floats {@code pixel / 255} in [0, 1], row-major, ready for a network's input.
     *
     * @param image a PNG, JPEG or PGM file
     * @return the network input
     * @throws IOException if the file is not a readable PNG, JPEG or PGM, or shows no digit
     */
    public static float[] toMnistInput(Path image) throws IOException {
        return toFloats(toMnistPixels(image));
    }

    /**
     * {@link #toMnistInput(Path)} for a picture already in memory (read from standard input, say).
     *
     * @param bytes  the PNG, JPEG or PGM file's bytes
     * @param source what to call the picture in messages, e.g. {@code stdin}
     * @return the network input
     * @throws IOException if the bytes are not a readable PNG, JPEG or PGM, or show no digit
     */
    public static float[] toMnistInput(byte[] bytes, String source) throws IOException {
        Gray g = readGray(bytes, source);
        try {
            return toFloats(toMnistPixels(g.values, g.width, g.height));
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #toMnistInput(Path)} for a picture read from a stream to its end (standard input, say). At most
     * {@link #MAX_FILE_BYTES} + 1 bytes are read: a stream with more is refused, as a larger file would be.
     *
     * @param in     the stream, read to its end (or one byte past the limit) and not closed
     * @param source what to call the picture in messages, e.g. {@code stdin}
     * @return the network input
     * @throws IOException if the stream cannot be read, holds more than {@link #MAX_FILE_BYTES}, is not a readable
     *                     PNG, JPEG or PGM, or shows no digit
     */
    public static float[] toMnistInput(InputStream in, String source) throws IOException {
        return toMnistInput(readPicture(in, source, (int) MAX_FILE_BYTES), source);
    }

    /**
     * The bytes of {@code in} to its end: at most {@code maxBytes} + 1 are read, and one more than {@code maxBytes}
     * is refused (the message says the limit in MiB, as for a file).
     */
    static byte[] readPicture(InputStream in, String source, int maxBytes) throws IOException {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new IOException(source + ": expected a picture file of at most " + describeLimit(maxBytes)
                    + ", found more");
        }
        return bytes;
    }

    private static String describeLimit(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    private static float[] toFloats(byte[] px) {
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = (px[i] & 0xFF) / 255f;
        }
        return out;
    }

    /**
     * The picture as 28×28 unsigned bytes (0 background, 255 full ink), row-major.
     *
     * @throws IOException if the file is not a readable PNG, JPEG or PGM, or shows no digit
     */
    public static byte[] toMnistPixels(Path image) throws IOException {
        Gray g = readGray(image);
        try {
            return toMnistPixels(g.values, g.width, g.height);
        } catch (IllegalArgumentException e) {
            throw new IOException(image + ": " + e.getMessage(), e);
        }
    }

    /** Same as {@link #toMnistPixels(Path)} for an image in memory. */
    public static byte[] toMnistPixels(BufferedImage image) {
        Gray g = gray(image);
        return toMnistPixels(g.values, g.width, g.height);
    }

    /**
     * The MNIST-style 28×28 bytes of a grayscale picture.
     *
     * @param gray   brightness per pixel, 0 black to 255 white, row-major, {@code width × height} values
     * @param width  picture width
     * @param height picture height
     * @throws IllegalArgumentException if the sizes disagree or the picture shows no ink
     */
    public static byte[] toMnistPixels(float[] gray, int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height != gray.length) {
            throw new IllegalArgumentException("expected " + width + " x " + height + " gray values, found "
                    + gray.length);
        }
        float[] v = gray.clone();
        if (borderMean(v, width, height) > 127.5f) {
            for (int i = 0; i < v.length; i++) {
                v[i] = 255f - v[i];
            }
        }
        if (width == SIZE && height == SIZE) {
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (float x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            if (hi - lo < MIN_CONTRAST) { // a blank picture is not a digit, whatever its size
                throw new IllegalArgumentException("expected a digit darker or lighter than its background, found a "
                        + "uniform picture (contrast " + Math.round(hi - lo) + " of 255)");
            }
            return toBytes(v);
        }
        float bg = borderMedian(v, width, height);
        float max = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0f, v[i] - bg);
            max = Math.max(max, v[i]);
        }
        if (max < MIN_CONTRAST) {
            throw new IllegalArgumentException("expected a digit darker or lighter than its background, found a "
                    + "uniform picture (contrast " + Math.round(max) + " of 255)");
        }
        float stretch = 255f / max;
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float s = v[y * width + x] * stretch;
                v[y * width + x] = s;
                if (s >= INK_THRESHOLD) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        int w = x1 - x0 + 1;
        int h = y1 - y0 + 1;
        int tw = Math.max(1, Math.round((float) w * BOX / Math.max(w, h)));
        int th = Math.max(1, Math.round((float) h * BOX / Math.max(w, h)));
        float[] scaled = resample(v, width, x0, y0, w, h, tw, th);

        double sum = 0;
        double sx = 0;
        double sy = 0;
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                double m = scaled[y * tw + x];
                sum += m;
                sx += m * x;
                sy += m * y;
            }
        }
        // MNIST's centre of mass, in pixel indices, is at (14, 14): over the 60,000 training digits the mean is
        // (x 14.007, y 13.996) (RealMnistTest.theImportConstantsMatchTheTrainingDigits)
        int ox = (int) Math.round(CENTRE - sx / sum);
        int oy = (int) Math.round(CENTRE - sy / sum);
        float[] out = new float[SIZE * SIZE];
        for (int y = 0; y < th; y++) {
            int ty = y + oy;
            if (ty < 0 || ty >= SIZE) {
                continue;
            }
            for (int x = 0; x < tw; x++) {
                int tx = x + ox;
                if (tx >= 0 && tx < SIZE) {
                    out[ty * SIZE + tx] = scaled[y * tw + x];
                }
            }
        }
        return toBytes(out);
    }

    /**
     * Area-averaging resample of the {@code w × h} window at ({@code x0}, {@code y0}) of {@code src} (row length
     * {@code stride}) to {@code tw × th}: each output pixel is the mean of the source area it covers, partial source
     * pixels weighted by the covered fraction. Separable: rows first, then columns.
     */
    static float[] resample(float[] src, int stride, int x0, int y0, int w, int h, int tw, int th) {
        float[] rows = new float[h * tw];
        float[][] wx = weights(w, tw);
        int[] fx = firstIndex(w, tw);
        for (int y = 0; y < h; y++) {
            int base = (y0 + y) * stride + x0;
            for (int t = 0; t < tw; t++) {
                float acc = 0;
                float[] k = wx[t];
                for (int j = 0; j < k.length; j++) {
                    acc += k[j] * src[base + fx[t] + j];
                }
                rows[y * tw + t] = acc;
            }
        }
        float[] out = new float[th * tw];
        float[][] wy = weights(h, th);
        int[] fy = firstIndex(h, th);
        for (int t = 0; t < th; t++) {
            float[] k = wy[t];
            for (int x = 0; x < tw; x++) {
                float acc = 0;
                for (int j = 0; j < k.length; j++) {
                    acc += k[j] * rows[(fy[t] + j) * tw + x];
                }
                out[t * tw + x] = acc;
            }
        }
        return out;
    }

    /** For output index t of n, source interval [t*len/n, (t+1)*len/n): the weights of the source pixels it covers. */
    private static float[][] weights(int len, int n) {
        float[][] w = new float[n][];
        double scale = (double) len / n;
        for (int t = 0; t < n; t++) {
            double a = t * scale;
            double b = (t + 1) * scale;
            int first = (int) Math.floor(a);
            int last = Math.min(len - 1, (int) Math.ceil(b) - 1);
            w[t] = new float[last - first + 1];
            for (int s = first; s <= last; s++) {
                double overlap = Math.min(b, s + 1) - Math.max(a, s);
                w[t][s - first] = (float) (overlap / scale);
            }
        }
        return w;
    }

    private static int[] firstIndex(int len, int n) {
        int[] f = new int[n];
        double scale = (double) len / n;
        for (int t = 0; t < n; t++) {
            f[t] = (int) Math.floor(t * scale);
        }
        return f;
    }

    private static byte[] toBytes(float[] v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(v[i])));
        }
        return out;
    }

    private static float borderMean(float[] v, int width, int height) {
        double sum = 0;
        int n = 0;
        for (int x = 0; x < width; x++) {
            sum += v[x] + (height > 1 ? v[(height - 1) * width + x] : 0);
            n += height > 1 ? 2 : 1;
        }
        for (int y = 1; y < height - 1; y++) {
            sum += v[y * width] + (width > 1 ? v[y * width + width - 1] : 0);
            n += width > 1 ? 2 : 1;
        }
        return (float) (sum / n);
    }

    private static float borderMedian(float[] v, int width, int height) {
        float[] b = new float[2 * width + 2 * Math.max(0, height - 2)];
        int n = 0;
        for (int x = 0; x < width; x++) {
            b[n++] = v[x];
            if (height > 1) {
                b[n++] = v[(height - 1) * width + x];
            }
        }
        for (int y = 1; y < height - 1; y++) {
            b[n++] = v[y * width];
            if (width > 1) {
                b[n++] = v[y * width + width - 1];
            }
        }
        float[] used = Arrays.copyOf(b, n);
        Arrays.sort(used);
        return used[n / 2];
    }

    /** A grayscale picture: brightness 0 (black) to 255 (white) per pixel, row-major. */
    private record Gray(int width, int height, float[] values) {
    }

    private static Gray readGray(Path file) throws IOException {
        try (FileChannel ch = RegularFile.open(file)) { // a FIFO or a device would never end: regular files only
            long size = ch.size();
            if (size > MAX_FILE_BYTES) {
                throw new IOException(file + ": expected a picture file of at most " + (MAX_FILE_BYTES >> 20)
                        + " MiB, found " + size + " bytes");
            }
            byte[] head = readUpTo(ch, (int) Math.min(size, PGM_HEADER_BYTES));
            if (isPgm(head)) {
                PgmHeader header = pgmHeader(head, size, file.toString());
                ch.position(0);
                return pgmPixels(header, readUpTo(ch, (int) size), file.toString());
            }
        }
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            return decode(in, file.toString());
        }
    }

    /** The picture in {@code bytes} (at most {@link #MAX_FILE_BYTES}); {@code source} names it in messages. */
    private static Gray readGray(byte[] bytes, String source) throws IOException {
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IOException(source + ": expected a picture file of at most " + (MAX_FILE_BYTES >> 20)
                    + " MiB, found " + bytes.length + " bytes");
        }
        if (isPgm(bytes)) {
            byte[] head = bytes.length > PGM_HEADER_BYTES ? Arrays.copyOf(bytes, PGM_HEADER_BYTES) : bytes;
            return pgmPixels(pgmHeader(head, bytes.length, source), bytes, source);
        }
        // in memory: ImageIO.createImageInputStream could cache the stream in a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            return decode(in, source);
        }
    }

    /**
     * Decodes a PNG or JPEG: the declared size is checked before the pixels are decoded, and a decoder's warning
     * (a JPEG cut short, decoded with its missing part gray) makes it a damaged picture.
     */
    private static Gray decode(ImageInputStream in, String source) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            in.seek(0);
            byte[] head = new byte[4];
            int n = 0;
            for (int r; n < head.length && (r = in.read(head, n, head.length - n)) > 0;) {
                n += r;
            }
            throw new IOException(source + ": expected a PNG, JPEG or PGM image, found "
                    + describeHead(Arrays.copyOf(head, n)));
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > MAX_PIXELS) { // refuse before decoding: a small PNG can declare a gigapixel
                throw new IOException(source + ": expected a picture of at most " + MAX_PIXELS + " pixels, found "
                        + reader.getWidth(0) + " x " + reader.getHeight(0));
            }
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) { // e.g. a truncated JPEG, decoded with its missing part gray
                throw new IOException(source + ": expected a complete picture, found a damaged one ("
                        + warnings.get(0) + ")");
            }
            return gray(image);
        } catch (IOException | RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(source + ": ")) {
                throw e;
            }
            throw new IOException(source + ": expected a readable PNG, JPEG or PGM image, found a damaged one ("
                    + e.getMessage() + ")", e);
        } finally {
            reader.dispose();
        }
    }

    /** Reads {@code n} bytes (or fewer at the end of the file) from the channel's position. */
    private static byte[] readUpTo(FileChannel ch, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
            continue;
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    private static String describeHead(byte[] b) {
        if (b.length == 0) {
            return "an empty file";
        }
        StringBuilder s = new StringBuilder("a file starting with bytes");
        for (int i = 0; i < Math.min(4, b.length); i++) {
            s.append(String.format(" %02x", b[i] & 0xFF));
        }
        return s.toString();
    }

    private static Gray gray(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] v = new float[w * h];
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (r.getNumBands() == 1 && cm.getNumComponents() == 1 && cm.getPixelSize() <= 16) {
            // plain gray: read the samples themselves (getRGB would apply a gamma conversion)
            float full = (1 << r.getSampleModel().getSampleSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[y * w + x] = r.getSample(x, y, 0) * 255f / full;
                }
            }
            return new Gray(w, h, v);
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                float a = (argb >>> 24) / 255f;
                float lum = 0.299f * ((argb >> 16) & 0xFF) + 0.587f * ((argb >> 8) & 0xFF) + 0.114f * (argb & 0xFF);
                v[y * w + x] = a * lum + (1 - a) * 255f;
            }
        }
        return new Gray(w, h, v);
    }

    private static boolean isPgm(byte[] head) {
        return head.length >= 2 && head[0] == 'P' && (head[1] == '2' || head[1] == '5');
    }

    /**
     * A PGM's header: P2 (ASCII) or P5 (binary, 8 or 16 bits big-endian), comments allowed.
     *
     * @param start where the pixels begin: after the one whitespace byte that follows the maximum value (binary), or
     *              where the ASCII numbers continue
     */
    private record PgmHeader(boolean ascii, int width, int height, int maxval, int start) {
    }

    /**
     * Parses a PGM header from {@code head} (the file's first bytes) and checks it against the file's {@code size}
     * before any pixel is read.
     */
    private static PgmHeader pgmHeader(byte[] head, long size, String source) throws IOException {
        boolean ascii = head[1] == '2';
        int[] pos = {2};
        int width = pgmInt(head, pos, source, "width");
        int height = pgmInt(head, pos, source, "height");
        int maxval = pgmInt(head, pos, source, "maximum value");
        if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS) {
            throw new IOException(source + ": expected a PGM of 1 to " + MAX_PIXELS + " pixels, found " + width
                    + " x " + height);
        }
        if (maxval <= 0 || maxval > 65535) {
            throw new IOException(source + ": expected a PGM maximum value in 1..65535, found " + maxval);
        }
        int n = width * height;
        int bpp = maxval < 256 ? 1 : 2;
        long start = pos[0] + 1L; // binary: exactly one whitespace byte after the maximum value
        // declared against actual: binary pixels take exactly n * bpp bytes, ASCII ones at least a digit and a space
        long needed = ascii ? start + 2L * n - 1 : start + (long) n * bpp;
        if (needed > size) {
            throw new IOException(source + ": expected " + (ascii ? "at least " : "") + (needed - start)
                    + " bytes of PGM pixels, found " + Math.max(0, size - start)
                    + " (file truncated)");
        }
        return new PgmHeader(ascii, width, height, maxval, ascii ? pos[0] : (int) start);
    }

    /** The pixels of a PGM whose header was checked; {@code b} is the whole file. */
    private static Gray pgmPixels(PgmHeader h, byte[] b, String source) throws IOException {
        int n = h.width * h.height;
        int maxval = h.maxval;
        float[] v = new float[n];
        if (h.ascii) {
            int[] pos = {h.start};
            for (int i = 0; i < n; i++) {
                v[i] = Math.min(pgmInt(b, pos, source, "pixel " + i), maxval) * 255f / maxval;
            }
        } else {
            int s0 = h.start;
            boolean wide = maxval >= 256;
            for (int i = 0; i < n; i++) {
                int s = !wide ? b[s0 + i] & 0xFF
                        : ((b[s0 + 2 * i] & 0xFF) << 8) | (b[s0 + 2 * i + 1] & 0xFF);
                v[i] = Math.min(s, maxval) * 255f / maxval;
            }
        }
        return new Gray(h.width, h.height, v);
    }

    private static int pgmInt(byte[] b, int[] pos, String source, String what) throws IOException {
        int p = pos[0];
        while (p < b.length) {
            if (b[p] == '#') {
                while (p < b.length && b[p] != '\n' && b[p] != '\r') {
                    p++;
                }
            } else if (Character.isWhitespace(b[p])) {
                p++;
            } else {
                break;
            }
        }
        int start = p;
        long value = 0;
        while (p < b.length && b[p] >= '0' && b[p] <= '9' && p - start < 10) {
            value = value * 10 + (b[p] - '0');
            p++;
        }
        if (p == start || value > Integer.MAX_VALUE) {
            String got = p < b.length ? "'" + printable(new String(b, p, Math.min(8, b.length - p),
                    StandardCharsets.ISO_8859_1).trim()) + "'" : "the end of the file";
            throw new IOException(source + ": expected the PGM " + what + " as a number, found " + got);
        }
        pos[0] = p;
        return (int) value;
    }

    /** The text with control and other non-printing characters as {@code \xNN}, safe to print on a terminal. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
