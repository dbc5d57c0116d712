package org.scratchnet.kernels;

/** The gemm thread pool's size. */
final class Parallel {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();

    private Parallel() {
    }

    static int threads() {
        return threads;
    }

    static void setThreads(int n) {
        threads = n;
    }
}
