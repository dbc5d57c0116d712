package org.scratchnet.mnist;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Receives the progress of one transfer at a time (a download, an extraction). {@link DatasetFetcher} calls
 * {@link #start}, then {@link #advance} as bytes arrive, then {@link #finish} (also after a failure).
 */
public interface DownloadProgress {
    /** Reports nothing. */
    DownloadProgress NONE = new DownloadProgress() {
        @Override
        public void start(String task, long totalBytes) {
        }

        @Override
        public void advance(long bytes) {
        }

        @Override
        public void finish() {
        }
    };

    /**
     * A transfer begins.
     *
     * @param task       what is transferred, e.g. {@code "mnist train-images-idx3-ubyte"}
     * @param totalBytes its size in bytes, or -1 if unknown
     */
    void start(String task, long totalBytes);

    /** {@code bytes} more bytes arrived. */
    void advance(long bytes);

    /** The transfer ended, successfully or not. */
    void finish();

    /** A progress bar on standard error (me.tongfei progressbar), in MiB. */
    static DownloadProgress console() {
        return new DownloadProgress() {
            private ProgressBar bar;

            @Override
            public void start(String task, long totalBytes) {
                finish();
                bar = new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(totalBytes)
                        .setUnit(totalBytes >= 0 && totalBytes < 1 << 20 ? " KiB" : " MiB",
                                totalBytes >= 0 && totalBytes < 1 << 20 ? 1 << 10 : 1 << 20)
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
        };
    }
}
