package org.scratchnet.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scratchnet.mnist.DownloadProgress;

/**
 * The fetcher's progress as a bar on standard error (me.tongfei progressbar), in KiB or MiB: the mnist module reports
 * transfers to a {@link DownloadProgress} and draws nothing itself; the command line draws.
 */
final class ConsoleDownloadProgress implements DownloadProgress {

    private ProgressBar bar;

    /** A bar when stderr is a terminal ({@link TrainingProgress#progressBarWanted()}), else silence. */
    static DownloadProgress forTerminal() {
        return TrainingProgress.progressBarWanted() ? new ConsoleDownloadProgress() : DownloadProgress.NONE;
    }

    @Override
    public void start(String task, long totalBytes) {
        finish();
        boolean small = totalBytes >= 0 && totalBytes < 1 << 20;
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalBytes)
                .setUnit(small ? " KiB" : " MiB", small ? 1 << 10 : 1 << 20)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .showSpeed()
                .build();
    }

    @Override
    public void advance(long bytes) {
        if (bar != null) {
            bar.stepBy(bytes);
        }
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
