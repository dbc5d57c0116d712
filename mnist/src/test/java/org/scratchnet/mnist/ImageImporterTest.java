package org.scratchnet.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchnet.io.SpecialFiles;

class ImageImporterTest {
    @TempDir
    Path dir;

    /** Ink bounding box [x0, y0, x1, y1] (inclusive) of pixels above 0, and centre of mass (cx, cy) in indices. */
    private static double[] geometry(byte[] px) {
        int x0 = 28;
        int y0 = 28;
        int x1 = -1;
        int y1 = -1;
        double sum = 0;
        double sx = 0;
        double sy = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = px[y * 28 + x] & 0xFF;
                if (v > 0) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
                sum += v;
                sx += v * x;
                sy += v * y;
            }
        }
        return new double[] {x0, y0, x1, y1, sx / sum, sy / sum};
    }

    /** A picture with a filled rectangle of ink. */
    private static BufferedImage rectangle(int w, int h, int type, Color paper, Color ink, int rx, int ry, int rw,
                                           int rh) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(paper);
        g.fillRect(0, 0, w, h);
        g.setColor(ink);
        g.fillRect(rx, ry, rw, rh);
        g.dispose();
        return img;
    }

    private Path png(String name, BufferedImage img) throws IOException {
        Path p = dir.resolve(name);
        assertTrue(ImageIO.write(img, "png", p.toFile()));
        return p;
    }

    private Path pgmP5(String name, int w, int h, byte[] gray) throws IOException {
        Path p = dir.resolve(name);
        byte[] head = ("P5\n# made by a test\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        Files.write(p, IdxFixtures.concat(head, gray));
        return p;
    }

    @Test
    void aDarkBarOnWhitePaperIsInvertedCroppedScaledToTwentyAndCentred() throws IOException {
        // 20 x 100 black bar on a 200 x 120 white RGB picture: scaled to 4 x 20 whose centre of mass (1.5, 9.5)
        // goes to (14, 14) rounded half up: columns 13..16, rows 5..24
        Path p = png("bar.png", rectangle(200, 120, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK,
                90, 10, 20, 100));
        byte[] px = ImageImporter.toMnistPixels(p);
        assertEquals(784, px.length);
        double[] g = geometry(px);
        assertArrayEquals(new double[] {13, 5, 16, 24, 14.5, 14.5}, g, 1e-9);
        assertEquals(255, px[5 * 28 + 13] & 0xFF);
        assertEquals(0, px[0]);
    }

    @Test
    void aWideShapeIsScaledByItsLongerSideKeepingTheAspectRatio() throws IOException {
        Path p = png("wide.png", rectangle(300, 90, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK,
                50, 40, 150, 30));
        double[] g = geometry(ImageImporter.toMnistPixels(p));
        assertEquals(20, g[2] - g[0] + 1);
        assertEquals(4, g[3] - g[1] + 1);
    }

    @Test
    void lightInkOnDarkIsNotInvertedAndGivesTheSameResult() throws IOException {
        int w = 200;
        int h = 120;
        byte[] gray = new byte[w * h];
        for (int y = 10; y < 110; y++) {
            for (int x = 90; x < 110; x++) {
                gray[y * w + x] = (byte) 255;
            }
        }
        byte[] fromPgm = ImageImporter.toMnistPixels(pgmP5("bar.pgm", w, h, gray));
        byte[] fromPng = ImageImporter.toMnistPixels(rectangle(w, h, BufferedImage.TYPE_INT_RGB, Color.WHITE,
                Color.BLACK, 90, 10, 20, 100));
        assertArrayEquals(fromPng, fromPgm);
    }

    @Test
    void blackInkOnATransparentPngIsReadAsInkOnWhite() throws IOException {
        byte[] transparent = ImageImporter.toMnistPixels(png("t.png", rectangle(200, 120,
                BufferedImage.TYPE_INT_ARGB, new Color(0, 0, 0, 0), Color.BLACK, 90, 10, 20, 100)));
        byte[] white = ImageImporter.toMnistPixels(rectangle(200, 120, BufferedImage.TYPE_INT_RGB, Color.WHITE,
                Color.BLACK, 90, 10, 20, 100));
        assertArrayEquals(white, transparent);
    }

    @Test
    void theCentreOfMassOfAnAsymmetricShapeLandsOnTheCentre() {
        // an L: a tall bar and a foot, on a black background, as floats
        int w = 60;
        int h = 80;
        float[] gray = new float[w * h];
        for (int y = 5; y < 75; y++) {
            for (int x = 10; x < 20; x++) {
                gray[y * w + x] = 255;
            }
        }
        for (int y = 65; y < 75; y++) {
            for (int x = 20; x < 50; x++) {
                gray[y * w + x] = 255;
            }
        }
        double[] g = geometry(ImageImporter.toMnistPixels(gray, w, h));
        assertEquals(14, g[4], 0.5);
        assertEquals(14, g[5], 0.5);
        assertEquals(20, g[3] - g[1] + 1);
    }

    @Test
    void aTwentyEightSquareDigitPassesThroughUnchanged() throws IOException {
        byte[] digit = new byte[784];
        Random r = new Random(7);
        for (int y = 6; y < 22; y++) {
            for (int x = 9; x < 19; x++) {
                digit[y * 28 + x] = (byte) r.nextInt(256);
            }
        }
        assertArrayEquals(digit, ImageImporter.toMnistPixels(pgmP5("d.pgm", 28, 28, digit)));
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setDataElements(0, 0, 28, 28, digit);
        assertArrayEquals(digit, ImageImporter.toMnistPixels(png("d.png", gray)));
        // the same digit drawn dark on light is only inverted
        byte[] negative = new byte[784];
        for (int i = 0; i < 784; i++) {
            negative[i] = (byte) (255 - (digit[i] & 0xFF));
        }
        assertArrayEquals(digit, ImageImporter.toMnistPixels(pgmP5("n.pgm", 28, 28, negative)));
        float[] input = ImageImporter.toMnistInput(dir.resolve("d.pgm"));
        for (int i = 0; i < 784; i++) {
            assertEquals((digit[i] & 0xFF) / 255f, input[i]);
        }
    }

    @Test
    void readsAsciiPgmAndSixteenBitPgm() throws IOException {
        StringBuilder ascii = new StringBuilder("P2\n28 28\n15\n");
        byte[] expected = new byte[784];
        for (int i = 0; i < 784; i++) {
            int v = (i / 28 >= 10 && i / 28 < 18 && i % 28 >= 12 && i % 28 < 16) ? 15 : 0;
            ascii.append(v).append(i % 28 == 27 ? "\n" : " ");
            expected[i] = (byte) (v * 17);
        }
        Path p2 = dir.resolve("a.pgm");
        Files.writeString(p2, ascii.toString(), StandardCharsets.US_ASCII);
        assertArrayEquals(expected, ImageImporter.toMnistPixels(p2));

        byte[] wide = new byte[2 * 784];
        for (int i = 0; i < 784; i++) {
            int v = (expected[i] & 0xFF) * 257; // 0..65535
            wide[2 * i] = (byte) (v >>> 8);
            wide[2 * i + 1] = (byte) v;
        }
        Path p16 = dir.resolve("w.pgm");
        Files.write(p16, IdxFixtures.concat("P5 28 28 65535\n".getBytes(StandardCharsets.US_ASCII), wide));
        assertArrayEquals(expected, ImageImporter.toMnistPixels(p16));
    }

    @Test
    void readsJpeg() throws IOException {
        Path p = dir.resolve("bar.jpg");
        assertTrue(ImageIO.write(rectangle(200, 120, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK,
                90, 10, 20, 100), "jpg", p.toFile()));
        double[] g = geometry(ImageImporter.toMnistPixels(p));
        assertEquals(14, g[4], 0.75);
        assertEquals(14, g[5], 0.75);
        assertTrue(g[3] - g[1] + 1 >= 20 && g[3] - g[1] + 1 <= 22, "height about 20: " + (g[3] - g[1] + 1));
    }

    @Test
    void refusesFilesThatAreNotImagesWithOneLine() throws IOException {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "hello");
        IOException e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(text));
        assertEquals(text + ": expected a PNG, JPEG or PGM image, found a file starting with bytes 68 65 6c 6c",
                e.getMessage());
        Path empty = dir.resolve("empty.jpg");
        Files.write(empty, new byte[0]);
        e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(empty));
        assertEquals(empty + ": expected a PNG, JPEG or PGM image, found an empty file", e.getMessage());
        Path cut = dir.resolve("cut.pgm");
        Files.write(cut, IdxFixtures.concat("P5 28 28 255\n".getBytes(StandardCharsets.US_ASCII), new byte[100]));
        e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(cut));
        assertEquals(cut + ": expected 784 bytes of PGM pixels, found 100 (file truncated)", e.getMessage());
        Path whole = png("whole.png", rectangle(200, 120, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK,
                90, 10, 20, 100));
        byte[] pngBytes = Files.readAllBytes(whole);
        Path half = dir.resolve("half.png");
        Files.write(half, java.util.Arrays.copyOf(pngBytes, pngBytes.length / 2));
        e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(half));
        assertTrue(e.getMessage().startsWith(half + ": expected a readable PNG, JPEG or PGM image, found a damaged "
                + "one"), e.getMessage());
        Path bad = dir.resolve("bad.pgm");
        Files.writeString(bad, "P2 28 x 255\n");
        e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(bad));
        assertEquals(bad + ": expected the PGM height as a number, found 'x 255'", e.getMessage());
    }

    @Test
    void refusesAGigapixelPngBeforeDecodingIt() throws IOException {
        // a valid PNG header declaring 100000 x 100000 pixels, with no image data: must not be decoded
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(100_000).putInt(100_000)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        png.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(13).array());
        png.writeBytes(ihdr.array());
        png.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        Path p = dir.resolve("huge.png");
        Files.write(p, png.toByteArray());
        IOException e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(p));
        assertEquals(p + ": expected a picture of at most 67108864 pixels, found 100000 x 100000", e.getMessage());
    }

    @Test
    void refusesAPictureWithoutInk() throws IOException {
        Path p = png("blank.png", rectangle(50, 50, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.WHITE, 0, 0, 1, 1));
        IOException e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(p));
        assertTrue(e.getMessage().startsWith(p + ": expected a digit darker or lighter than its background, found a "
                + "uniform picture"), e.getMessage());
    }

    @Test
    void refusesABlankPictureOfTwentyEightSquareToo() throws IOException {
        for (Color paper : new Color[] {Color.WHITE, Color.BLACK, Color.GRAY}) {
            Path p = png("blank28.png", rectangle(28, 28, BufferedImage.TYPE_BYTE_GRAY, paper, paper, 0, 0, 1, 1));
            IOException e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(p));
            assertTrue(e.getMessage().startsWith(p + ": expected a digit darker or lighter than its background, "
                    + "found a uniform picture"), e.getMessage());
        }
    }

    @Test
    void refusesATruncatedJpegThatTheDecoderWouldFinishInGray() throws IOException {
        Path whole = dir.resolve("whole.jpg");
        assertTrue(ImageIO.write(rectangle(200, 120, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK,
                90, 10, 20, 100), "jpg", whole.toFile()));
        byte[] jpeg = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, java.util.Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
        IOException e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(cut));
        assertTrue(e.getMessage().startsWith(cut + ": expected a complete picture, found a damaged one")
                || e.getMessage().startsWith(cut + ": expected a readable PNG, JPEG or PGM image, found a damaged"),
                e.getMessage());
    }

    @Test
    void aPictureFromAStreamIsReadAsTheSameFileWouldBe() throws IOException {
        Path bar = png("bar.png", rectangle(200, 120, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK,
                90, 10, 20, 100));
        Path pgm = dir.resolve("a.pgm");
        Files.writeString(pgm, "P2 3 1 255\n0 255 0\n", StandardCharsets.US_ASCII);
        for (Path p : new Path[] {bar, pgm}) {
            try (java.io.InputStream in = Files.newInputStream(p)) {
                assertArrayEquals(ImageImporter.toMnistInput(p), ImageImporter.toMnistInput(in, "stdin"), p.toString());
            }
        }
        // the same checks as for a file, and the same messages, naming the stream
        byte[] jpeg = jpegBytes();
        Object[][] refused = {
                {"hello".getBytes(StandardCharsets.US_ASCII),
                        "stdin: expected a PNG, JPEG or PGM image, found a file starting with bytes 68 65 6c 6c"},
                {new byte[0], "stdin: expected a PNG, JPEG or PGM image, found an empty file"},
                {IdxFixtures.concat("P5 28 28 255\n".getBytes(StandardCharsets.US_ASCII), new byte[100]),
                        "stdin: expected 784 bytes of PGM pixels, found 100 (file truncated)"},
                {"P5 28 28 255\n".getBytes(StandardCharsets.US_ASCII),
                        "stdin: expected 784 bytes of PGM pixels, found 0 (file truncated)"},
                {java.util.Arrays.copyOf(jpeg, jpeg.length * 2 / 3), "stdin: expected a "},
        };
        for (Object[] r : refused) {
            IOException e = assertThrows(IOException.class,
                    () -> ImageImporter.toMnistInput(new java.io.ByteArrayInputStream((byte[]) r[0]), "stdin"));
            assertTrue(e.getMessage().startsWith((String) r[1]), e.getMessage());
        }
    }

    @Test
    void aStreamIsReadToOneBytePastTheLimitAndNoFurther() throws IOException {
        byte[] limit = new byte[1000];
        assertEquals(1000, ImageImporter.readPicture(new java.io.ByteArrayInputStream(limit), "stdin", 1000).length);
        java.io.ByteArrayInputStream endless = new java.io.ByteArrayInputStream(new byte[5000]);
        IOException e = assertThrows(IOException.class, () -> ImageImporter.readPicture(endless, "stdin", 1000));
        assertEquals("stdin: expected a picture file of at most 1000 bytes, found more", e.getMessage());
        assertEquals(5000 - 1001, endless.available(), "read the limit and one byte more");
        e = assertThrows(IOException.class, () -> ImageImporter.readPicture(
                new java.io.ByteArrayInputStream(new byte[(1 << 20) + 1]), "stdin", 1 << 20));
        assertEquals("stdin: expected a picture file of at most 1 MiB, found more", e.getMessage());
    }

    private static byte[] jpegBytes() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertTrue(ImageIO.write(rectangle(200, 120, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK,
                90, 10, 20, 100), "jpg", out));
        return out.toByteArray();
    }

    @Test
    void opensOnlyRegularFilesOfBoundedSize() throws IOException {
        Path fifo = dir.resolve("digit.png");
        org.junit.jupiter.api.Assumptions.assumeTrue(SpecialFiles.fifo(fifo), "mkfifo is not available");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            IOException e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(fifo));
            assertEquals(fifo + ": expected a regular file, found a FIFO", e.getMessage());
            Path zero = dir.resolve("zero.pgm");
            if (SpecialFiles.zeroDevice(zero)) {
                e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(zero));
                assertEquals(zero + ": expected a regular file, found a character device", e.getMessage());
            }
        });
        // a sparse file of 1 GiB past a PGM header: refused by its size, nothing read
        Path big = dir.resolve("big.pgm");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(big,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap("P5 28 28 255\n".getBytes(StandardCharsets.US_ASCII)));
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), 1L << 30);
        }
        IOException e = assertThrows(IOException.class, () -> ImageImporter.toMnistPixels(big));
        assertEquals(big + ": expected a picture file of at most 256 MiB, found " + ((1L << 30) + 1) + " bytes",
                e.getMessage());
    }
}
