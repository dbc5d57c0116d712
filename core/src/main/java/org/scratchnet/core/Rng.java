package org.scratchnet.core;

/**
 * The one random number generator of core: SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), chosen because its whole state is one {@code long} that checkpoints can save and restore
 * ({@link java.util.SplittableRandom} uses the same algorithm but hides its state).
 *
 * <pre>
 *   state += 0x9E3779B97F4A7C15
 *   z = state;  z = (z ^ (z >>> 30)) · 0xBF58476D1CE4E5B9;  z = (z ^ (z >>> 27)) · 0x94D049BB133111EB;
 *   return z ^ (z >>> 31)
 * </pre>
 *
 * Derived values: {@link #nextFloat()} = top 24 bits · 2⁻²⁴ in [0, 1); {@link #nextDouble()} = top 53 bits · 2⁻⁵³;
 * {@link #nextInt(int)} is unbiased (Lemire's multiply-shift with rejection); {@link #nextGaussian()} uses the
 * Marsaglia polar method and keeps no spare (each call draws fresh pairs until one is accepted, so the state stays one
 * long). {@link #shuffle} is Fisher-Yates from the top down.
 *
 * <p>Streams of one run are derived from its seed by {@link #stream(long, int)}: stream 1 initialises weights, 2
 * shuffles, 3 draws dropout masks, 4 splits off the validation set, 5 keys the random transformations of
 * {@link AugmentedBatchSource}.
 */
public final class Rng {

    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator whose state is {@code state} (a checkpointed {@link #state()} resumes the same sequence). */
    public Rng(long state) {
        this.state = state;
    }

    /** The generator for stream {@code k} of a run seeded with {@code seed}: state = mix(seed + k·golden). */
    public static Rng stream(long seed, int k) {
        return new Rng(mix(seed + k * GOLDEN));
    }

    /** The current state; {@code new Rng(state())} continues this sequence. */
    public long state() {
        return state;
    }

    /** Next 64 random bits. */
    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** SplitMix64's output function, a bijection of the 64-bit values (also a counter-based hash for core). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /**
     * The float that the {@code n}-th call (n &gt;= 1) of {@link #nextFloat()} would return from a generator whose
     * state is {@code state}: SplitMix64's n-th output is mix(state + n·golden), so any position of the sequence can be
     * read directly. This lets threads draw disjoint stretches of one sequence (dropout masks, row by row) with the
     * same values one thread drawing them in order would get.
     */
    public static float floatAt(long state, long n) {
        return (mix(state + n * GOLDEN) >>> 40) * 0x1.0p-24f;
    }

    /** Skips {@code n} values: the state becomes the one after n calls of {@link #nextLong()} (or nextFloat). */
    public void skip(long n) {
        state += n * GOLDEN;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), unbiased. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /**
     * Standard normal by the Marsaglia polar method: u, v uniform in (−1, 1), s = u² + v² in (0, 1),
     * u·sqrt(−2 ln s / s).
     */
    public double nextGaussian() {
        double u;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            double v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    /**
     * Fisher-Yates shuffle of {@code a[from, to)}: for i from to−1 down to from+1, swap a[i] with
     * a[from + nextInt(i − from + 1)].
     */
    public void shuffle(int[] a, int from, int to) {
        for (int i = to - 1; i > from; i--) {
            int j = from + nextInt(i - from + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
