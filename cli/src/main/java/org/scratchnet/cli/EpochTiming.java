package org.scratchnet.cli;

import java.util.List;
import java.util.Locale;
import org.scratchnet.core.EpochStats;

/**
 * Seconds per epoch and images per second of a run, reported two ways: the mean over all epochs, and the mean over the
 * epochs after the first, because the first one includes the JIT's warm-up (the Vector API kernels run slowly until C2
 * compiles them). The steady-state figure is the one to compare; both are printed and labelled.
 *
 * @param epochs             epochs counted
 * @param meanSeconds        mean seconds per epoch over all of them
 * @param steadySeconds      mean seconds per epoch over epochs 2.. (NaN with a single epoch)
 * @param meanImagesPerSecond total images / total seconds over all epochs
 * @param steadyImagesPerSecond the same over epochs 2.. (NaN with a single epoch)
 */
record EpochTiming(int epochs, double meanSeconds, double steadySeconds, double meanImagesPerSecond,
                   double steadyImagesPerSecond) {

    static EpochTiming of(List<EpochStats> history) {
        int n = history.size();
        double total = 0;
        double images = 0;
        double steady = 0;
        double steadyImages = 0;
        for (int i = 0; i < n; i++) {
            EpochStats s = history.get(i);
            total += s.seconds();
            images += s.imagesPerSecond() * s.seconds();
            if (i > 0) {
                steady += s.seconds();
                steadyImages += s.imagesPerSecond() * s.seconds();
            }
        }
        return new EpochTiming(n, n == 0 ? Double.NaN : total / n, n > 1 ? steady / (n - 1) : Double.NaN,
                total > 0 ? images / total : Double.NaN, n > 1 && steady > 0 ? steadyImages / steady : Double.NaN);
    }

    /** e.g. {@code 0.52 s (mean of epochs 2-20; 0.61 s over all 20, epoch 1 includes JIT warm-up)}. */
    String describeSeconds(int firstEpoch) {
        if (epochs <= 1) {
            return String.format(Locale.ROOT, "%.2f s (a single epoch, including JIT warm-up)", meanSeconds);
        }
        return String.format(Locale.ROOT, "%.2f s (%s; %.2f s over all %d, epoch %d includes JIT warm-up)",
                steadySeconds, steadyRange(firstEpoch), meanSeconds, epochs, firstEpoch);
    }

    /** e.g. {@code 115,385 (mean of epochs 2-20; 98,000 over all)}. */
    String describeImagesPerSecond(int firstEpoch) {
        if (epochs <= 1) {
            return String.format(Locale.ROOT, "%,.0f (a single epoch, including JIT warm-up)", meanImagesPerSecond);
        }
        return String.format(Locale.ROOT, "%,.0f (%s; %,.0f over all)", steadyImagesPerSecond,
                steadyRange(firstEpoch), meanImagesPerSecond);
    }

    /**
     * Effective GFLOPS (images/s times the network's training flops per example) and their share of the FMA peak, e.g.
     * {@code 95.1 (mean of epochs 2-20; 80.4 over all), 20 % of the FMA peak (476.2 GFLOPS on 2 threads, cached
     * 2026-11-30)}.
     */
    String describeGflops(int firstEpoch, long flopPerExample, FmaPeakCache.Peak peak) {
        double all = meanImagesPerSecond * flopPerExample / 1e9;
        if (epochs <= 1) {
            return String.format(Locale.ROOT, "%.1f (a single epoch, including JIT warm-up), %.0f %% of the FMA peak "
                    + "(%s)", all, peak.percent(all), peak.describe());
        }
        double steady = steadyImagesPerSecond * flopPerExample / 1e9;
        return String.format(Locale.ROOT, "%.1f (%s; %.1f over all), %.0f %% of the FMA peak (%s)", steady,
                steadyRange(firstEpoch), all, peak.percent(steady), peak.describe());
    }

    /** e.g. {@code mean of epochs 2-20}, or {@code epoch 2} when there is one. */
    private String steadyRange(int firstEpoch) {
        int from = firstEpoch + 1;
        int to = firstEpoch + epochs - 1;
        return from == to ? "epoch " + from : "mean of epochs " + from + "-" + to;
    }
}
