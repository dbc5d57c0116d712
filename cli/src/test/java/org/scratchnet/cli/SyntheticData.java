package org.scratchnet.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.scratchnet.mnist.IdxWriter;

/**
 * Small MNIST-shaped IDX files for fast tests: 28×28 images of 10 classes, each class a bright 7×7 square at its own
 * place plus noise, so a small network learns them in an epoch or two.
 */
final class SyntheticData {

    private SyntheticData() {
    }

    /** Writes the four files under the standard MNIST names into {@code dir}. */
    static Path write(Path dir, int train, int test, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        writeSet(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"), train, rnd);
        writeSet(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"), test, rnd);
        return dir;
    }

    private static void writeSet(Path images, Path labels, int n, SplittableRandom rnd) throws IOException {
        byte[] pixels = new byte[n * 784];
        byte[] lab = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(10);
            lab[i] = (byte) c;
            int top = 2 + (c / 5) * 12 + rnd.nextInt(3);
            int left = 1 + (c % 5) * 5 + rnd.nextInt(2);
            for (int p = 0; p < 784; p++) {
                pixels[i * 784 + p] = (byte) rnd.nextInt(40);
            }
            for (int r = top; r < Math.min(28, top + 7); r++) {
                for (int q = left; q < Math.min(28, left + 4); q++) {
                    pixels[i * 784 + r * 28 + q] = (byte) (200 + rnd.nextInt(56));
                }
            }
        }
        IdxWriter.writeImages(images, pixels, n, 28, 28);
        IdxWriter.writeLabels(labels, lab);
    }
}
