package org.scratchnet.mnist;

/**
 * Receives the progress of one transfer at a time (a download, an extraction). {@link DatasetFetcher} calls
 * {@link #start}, then {@link #advance} as bytes arrive, then {@link #finish} (also after a failure). The library
 * itself draws nothing: the command line implements this with a progress bar on stderr.
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
}
