package org.scratchnet.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * Data augmentation: a {@link BatchSource} whose rows are another source's images, each moved by a random
 * transformation (see {@link Augmentation}) that is drawn afresh every epoch. Each row is an image of
 * {@code width × height} features, row-major (the source knows nothing else about it: MNIST's 28 × 28 digits,
 * Fashion-MNIST's clothes or any other single-channel image whose background is 0).
 *
 * <p>The transformation of a row is a pure function of the run's seed, the epoch last given to {@link #beginEpoch}
 * and the example's index (never of its position in a batch, of how a batch is split into {@link #fill} calls, or of
 * the order of those calls):
 * <pre>
 *   key      = stream 5 of the seed (see {@link Rng#stream})
 *   h        = mix(mix(key + epoch·γ) + index·γ)           γ = 0x9E3779B97F4A7C15, mix = SplitMix64's output function
 *   dx, dy   = ⌊(bits(mix(h + γ))  · (2s+1)) / 2³²⌋ − s,  likewise with mix(h + 2γ)   (bits: the top 32)
 *   θ        = (2·u(mix(h + 3γ)) − 1) · maxRotation        u: the top 53 bits · 2⁻⁵³, in [0, 1)
 * </pre>
 * (the shift's multiply-shift reduction is biased by at most (2s+1)/2³², far below anything training can notice).
 *
 * <p>A shift alone is a copy: {@code out(r, c) = in(r − dy, c − dx)}, 0 where that falls outside the image, exact
 * to the bit, one {@link System#arraycopy} and a little zero filling per image. With a rotation, each output pixel is
 * sampled bilinearly from the input at {@code R(−θ)·((c, r) − centre − (dx, dy)) + centre}, the centre being
 * {@code ((width−1)/2, (height−1)/2)} and pixels outside the image 0; {@link StrictMath}'s sine and cosine and float
 * arithmetic make that bit-reproducible on every JVM too.
 *
 * <p>Held-out examples (the validation split the {@link Trainer} evaluates through the training source) are passed
 * through untransformed, so validation accuracy is measured on real images; {@link #forTraining} holds out exactly the
 * trainer's split.
 *
 * <p>Threads: {@link #fill} may be called concurrently for disjoint output ranges (the rows of one batch spread over
 * worker threads) as long as the base source allows it too; its only shared state is the epoch, written by
 * {@link #beginEpoch} before the epoch's fills. It allocates nothing per call: shifts work in place, rotations read a
 * copy of the image from a per-thread buffer allocated on each thread's first call (on JDK 21 and later
 * {@code StrictMath.sin} allocates a small array per call until the JIT compiles it away).
 */
public final class AugmentedBatchSource implements BatchSource {

    private static final long GOLDEN = Rng.GOLDEN;

    private final BatchSource base;
    private final int width;
    private final int height;
    private final Augmentation augmentation;
    private final long key;
    private final boolean[] heldOut;
    private final int shift;
    private final float maxRadians;
    private final ThreadLocal<float[]> scratch;
    private volatile int epoch;
    private volatile long epochKey;

    /**
     * @param base         the images, {@code width × height} features each
     * @param augmentation the transformations
     * @param seed         the run's seed
     * @param heldOut      indices of examples passed through untransformed (e.g. a validation split); may be empty
     * @throws IllegalArgumentException  if {@code width × height} is not the base's feature count, or the shift is
     *                                   not smaller than both sides
     * @throws IndexOutOfBoundsException if a held-out index is outside the base
     */
    public AugmentedBatchSource(BatchSource base, int width, int height, Augmentation augmentation, long seed,
                                int[] heldOut) {
        this.base = Objects.requireNonNull(base, "base");
        this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(heldOut, "heldOut");
        if (width < 1 || height < 1 || (long) width * height != base.features()) {
            throw new IllegalArgumentException("images of " + width + " × " + height + " pixels do not match the "
                    + base.features() + " features per example of the data");
        }
        if (augmentation.maxShift() >= Math.min(width, height)) {
            throw new IllegalArgumentException("a shift of up to " + augmentation.maxShift() + " pixels needs images "
                    + "larger than that on both sides, these are " + width + " × " + height);
        }
        this.width = width;
        this.height = height;
        this.shift = augmentation.maxShift();
        this.maxRadians = (float) Math.toRadians(augmentation.maxRotationDegrees());
        this.key = Rng.stream(seed, 5).state();
        this.heldOut = heldOut.length == 0 ? null : new boolean[base.size()];
        for (int i : heldOut) {
            this.heldOut[Objects.checkIndex(i, base.size())] = true;
        }
        int pixels = width * height;
        this.scratch = augmentation.rotates() ? ThreadLocal.withInitial(() -> new float[pixels]) : null;
        this.epochKey = Rng.mix(key);
    }

    /**
     * The augmented training source of a run with configuration {@code cfg}: keyed on its seed, with the validation
     * split the {@link Trainer} holds out of {@code train} under {@code cfg} passed through untransformed.
     */
    public static AugmentedBatchSource forTraining(BatchSource train, int width, int height, Augmentation augmentation,
                                                   TrainingConfig cfg) {
        int[] validation = Trainer.split(train.size(), cfg)[1];
        return new AugmentedBatchSource(train, width, height, augmentation, cfg.seed(), validation);
    }

    /** The transformations. */
    public Augmentation augmentation() {
        return augmentation;
    }

    /** The epoch whose transformations {@link #fill} applies (0 until {@link #beginEpoch} is first called). */
    public int epoch() {
        return epoch;
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public int features() {
        return base.features();
    }

    @Override
    public int classes() {
        return base.classes();
    }

    /** Draws this epoch's transformations from now on, and tells the base source. */
    @Override
    public void beginEpoch(int epoch) {
        base.beginEpoch(epoch);
        this.epochKey = Rng.mix(key + epoch * GOLDEN);
        this.epoch = epoch;
    }

    /** The base source's rows, each transformed as the class comment says (held-out examples as they are). */
    @Override
    public void fill(int[] indices, int from, int count, float[] x, int xOff, int[] labels, int labelsOff) {
        base.fill(indices, from, count, x, xOff, labels, labelsOff);
        if (augmentation.isNone()) {
            return;
        }
        long ek = epochKey;
        int pixels = width * height;
        float[] copy = scratch == null ? null : scratch.get();
        for (int r = 0; r < count; r++) {
            int index = indices[from + r];
            if (heldOut != null && heldOut[index]) {
                continue;
            }
            long h = Rng.mix(ek + index * GOLDEN);
            int dx = below(Rng.mix(h + GOLDEN), 2 * shift + 1) - shift;
            int dy = below(Rng.mix(h + 2 * GOLDEN), 2 * shift + 1) - shift;
            int off = xOff + r * pixels;
            if (copy == null) {
                shift(x, off, width, height, dx, dy);
            } else {
                double u = (Rng.mix(h + 3 * GOLDEN) >>> 11) * 0x1.0p-53;
                float theta = (float) (2 * u - 1) * maxRadians;
                System.arraycopy(x, off, copy, 0, pixels);
                rotateAndShift(copy, x, off, width, height, dx, dy, theta);
            }
        }
    }

    /** {@code ⌊(top 32 bits of bits) · bound / 2³²⌋}, in [0, bound). */
    private static int below(long bits, int bound) {
        return (int) (((bits >>> 32) * bound) >>> 32);
    }

    /**
     * Moves the image at {@code x[off .. off + width·height)} in place by dx columns and dy rows:
     * {@code out(r, c) = in(r − dy, c − dx)}, 0 where {@code (r − dy, c − dx)} lies outside the image. Needs
     * {@code |dx| < width} and {@code |dy| < height}.
     */
    static void shift(float[] x, int off, int width, int height, int dx, int dy) {
        if (dx == 0 && dy == 0) {
            return;
        }
        int n = width * height;
        int d = dy * width + dx;
        // out[p] = in[p − d] for every p where p − d is inside the image (a memmove); the pixels whose source wrapped
        // into a neighbouring row, or lies above or below the image, are then cleared row band by column band
        if (d > 0) {
            System.arraycopy(x, off, x, off + d, n - d);
        } else {
            System.arraycopy(x, off - d, x, off, n + d);
        }
        if (dy > 0) {
            Arrays.fill(x, off, off + dy * width, 0f);
        } else if (dy < 0) {
            Arrays.fill(x, off + (height + dy) * width, off + n, 0f);
        }
        if (dx != 0) {
            int c0 = dx > 0 ? 0 : width + dx;
            int c1 = dx > 0 ? dx : width;
            for (int r = 0; r < height; r++) {
                Arrays.fill(x, off + r * width + c0, off + r * width + c1, 0f);
            }
        }
    }

    /**
     * Writes to {@code out[off ..]} the image {@code in[0 .. width·height)} rotated by theta radians about its centre,
     * then shifted by (dx, dy), sampled bilinearly (0 outside the image). In floats, with u = c − dx − cx and
     * v = r − dy − cy (both exact): {@code sx = cos·u + (sin·v + cx)}, {@code sy = (cos·v + cy) − sin·u}.
     */
    static void rotateAndShift(float[] in, float[] out, int off, int width, int height, int dx, int dy, float theta) {
        float cos = (float) StrictMath.cos(theta);
        float sin = (float) StrictMath.sin(theta);
        float cx = (width - 1) * 0.5f;
        float cy = (height - 1) * 0.5f;
        float u0 = -dx - cx;
        float v = -dy - cy;
        // u and v step by exactly 1 (small integers and halves are exact in float): no int-to-float conversion in
        // the inner loop, whose false dependency on x86 made this loop several times slower
        for (int r = 0; r < height; r++, v += 1f) {
            float rowX = sin * v + cx;
            float rowY = cos * v + cy;
            float u = u0;
            int o = off + r * width;
            for (int c = 0; c < width; c++, u += 1f) {
                float sx = cos * u + rowX;
                float sy = rowY - sin * u;
                int x0 = (int) sx;
                int y0 = (int) sy;
                if (sx < x0) { // floor for negative coordinates
                    x0--;
                }
                if (sy < y0) {
                    y0--;
                }
                float fx = sx - x0;
                float fy = sy - y0;
                float value;
                if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
                    int p = y0 * width + x0;
                    float top = in[p] + fx * (in[p + 1] - in[p]);
                    float bottom = in[p + width] + fx * (in[p + width + 1] - in[p + width]);
                    value = top + fy * (bottom - top);
                } else if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) {
                    value = 0f;
                } else {
                    float top = at(in, width, height, x0, y0)
                            + fx * (at(in, width, height, x0 + 1, y0) - at(in, width, height, x0, y0));
                    float bottom = at(in, width, height, x0, y0 + 1)
                            + fx * (at(in, width, height, x0 + 1, y0 + 1) - at(in, width, height, x0, y0 + 1));
                    value = top + fy * (bottom - top);
                }
                out[o + c] = value;
            }
        }
    }

    private static float at(float[] in, int width, int height, int x, int y) {
        return x < 0 || y < 0 || x >= width || y >= height ? 0f : in[y * width + x];
    }
}
