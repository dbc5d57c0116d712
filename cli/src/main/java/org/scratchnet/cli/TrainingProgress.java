package org.scratchnet.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scratchnet.core.EpochStats;
import org.scratchnet.core.TrainingListener;

/**
 * What a user of {@code train} sees while a network trains: a progress bar per epoch on stderr (batches, running loss,
 * images/s) when stderr is a terminal, and one line per finished epoch on {@code out} (stdout: results only), with the
 * epoch's effective GFLOPS (the network's {@link org.scratchnet.core.NetworkConfig#trainingFlopPerExample() training
 * flops} per example times images/s) and their share of the FMA peak.
 *
 * <p>The bar is drawn only on a terminal: the {@code ./scratchnet} launcher tells the JVM whether stderr is one
 * ({@code -Dscratchnet.progress=true|false}); without the launcher the bar is shown when {@link System#console()}
 * exists. In tests and CI, where stderr is a file or a pipe, nothing is drawn, and {@code -q} draws nothing anywhere.
 */
final class TrainingProgress implements TrainingListener {

    private final PrintWriter out;
    private final long flopPerExample;
    private final FmaPeakCache.Peak peak;
    private final boolean bar;
    private ProgressBar current;
    private int epochs;
    private int trainExamples;
    private double lossSum;
    private int lossCount;
    private long epochStartNanos;

    /**
     * @param out            where epoch lines go (stdout)
     * @param flopPerExample training flops per example of the network
     * @param peak           the FMA peak on the threads the run uses
     */
    TrainingProgress(PrintWriter out, long flopPerExample, FmaPeakCache.Peak peak) {
        this.out = out;
        this.flopPerExample = flopPerExample;
        this.peak = peak;
        this.bar = progressBarWanted();
    }

    /** Whether a progress bar should be drawn on stderr: never with {@code -q}. */
    static boolean progressBarWanted() {
        if (Verbosity.current() == Verbosity.QUIET) {
            return false;
        }
        String forced = System.getProperty("scratchnet.progress");
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        return System.console() != null;
    }

    @Override
    public void onStart(int firstEpoch, int epochs, int batches, int trainExamples) {
        this.epochs = epochs;
        this.trainExamples = trainExamples;
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, double loss) {
        if (batch == 1) {
            startEpoch(epoch, batches);
        }
        lossSum += loss;
        lossCount++;
        if (current != null) {
            current.stepTo(batch);
            // the extra message is rendered at the bar's refresh interval, so this stays cheap per batch
            if (batch % 16 == 0 || batch == batches) {
                double seconds = (System.nanoTime() - epochStartNanos) / 1e9;
                // images so far, from the mean batch size (the last batch of an epoch may be smaller)
                double images = (double) batch * trainExamples / batches;
                current.setExtraMessage(String.format(Locale.ROOT, "loss %.4f  %,.0f img/s", lossSum / lossCount,
                        seconds > 0 ? images / seconds : 0));
            }
        }
    }

    private void startEpoch(int epoch, int batches) {
        closeBar();
        lossSum = 0;
        lossCount = 0;
        epochStartNanos = System.nanoTime();
        if (bar) {
            current = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" batches", 1)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err, 110))
                    .clearDisplayOnFinish()
                    .hideEta()
                    .build();
        }
    }

    @Override
    public void onEpoch(EpochStats s) {
        closeBar();
        out.println(epochLine(s, epochs, flopPerExample, peak));
        out.flush();
    }

    /** Closes a bar left open (after an interruption or a failure), so the terminal line is clean. */
    void close() {
        closeBar();
    }

    private void closeBar() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /**
     * e.g. {@code epoch  3/20  loss 0.1234  train 96.12%  test 97.01%    0.52 s    115,200 img/s   88.0 GFLOPS  19 % of
     * peak}: the GFLOPS are images/s times {@code flopPerExample}, the percentage is of {@code peak}.
     */
    static String epochLine(EpochStats s, int epochs, long flopPerExample, FmaPeakCache.Peak peak) {
        int width = Integer.toString(Math.max(epochs, s.epoch())).length();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "epoch %" + width + "d/%d  loss %.4f  train %6.2f%%", s.epoch(), epochs,
                s.trainLoss(), 100 * s.trainAccuracy()));
        if (!Double.isNaN(s.validationAccuracy())) {
            sb.append(String.format(Locale.ROOT, "  validation %6.2f%%", 100 * s.validationAccuracy()));
        }
        if (!Double.isNaN(s.testAccuracy())) {
            sb.append(String.format(Locale.ROOT, "  test %6.2f%%", 100 * s.testAccuracy()));
        }
        sb.append(String.format(Locale.ROOT, "  %6.2f s  %,9.0f img/s", s.seconds(), s.imagesPerSecond()));
        double gflops = s.imagesPerSecond() * flopPerExample / 1e9;
        sb.append(String.format(Locale.ROOT, "  %6.1f GFLOPS  %3.0f %% of peak", gflops, peak.percent(gflops)));
        return sb.toString();
    }
}
