package org.scratchnet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kernels' thread pool (gemm and the split optimiser updates): every part runs once, on named daemon workers,
 * failures surface, concurrent callers are safe.
 */
class ParallelTest {

    private final int savedThreads = Kernels.threads();

    @AfterEach
    void restoreThreads() {
        Kernels.setThreads(savedThreads);
    }

    @Test
    void everyPartRunsExactlyOnceOnTheCallerOrNamedDaemonWorkers() {
        Kernels.setThreads(4);
        Set<Thread> workersSeen = ConcurrentHashMap.newKeySet();
        Thread caller = Thread.currentThread();
        for (int round = 0; round < 100; round++) {
            int parts = 1 + round % 4;
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            Parallel.run(parts, p -> {
                runs.incrementAndGet(p);
                if (p == 0) {
                    assertSame(caller, Thread.currentThread(), "part 0 runs on the caller");
                    // give the workers time to claim the other parts, even on a loaded machine
                    LockSupport.parkNanos(200_000);
                } else if (Thread.currentThread() != caller) {
                    workersSeen.add(Thread.currentThread());
                }
            });
            for (int p = 0; p < parts; p++) {
                assertEquals(1, runs.get(p), "part " + p + " of " + parts);
            }
        }
        assertFalse(workersSeen.isEmpty(), "no part ever ran on a worker");
        for (Thread t : workersSeen) {
            assertTrue(t.isDaemon(), t.getName() + " is not a daemon");
            assertTrue(t.getName().startsWith(PoolWorkers.NAME_PREFIX), t.getName());
        }
    }

    @Test
    void aFailingPartIsRethrownAfterAllPartsFinishAndThePoolStaysUsable() {
        Kernels.setThreads(3);
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.run(3, p -> {
            runs.incrementAndGet(p);
            if (p == 2) {
                throw new IllegalStateException("part 2 failed");
            }
        }));
        assertEquals("part 2 failed", e.getMessage());
        assertEquals(1, runs.get(0));
        assertEquals(1, runs.get(1));
        AtomicLong sum = new AtomicLong();
        Parallel.run(3, p -> sum.addAndGet(p + 1));
        assertEquals(6, sum.get());
    }

    @Test
    void concurrentCallersEachGetAllTheirParts() throws InterruptedException {
        Kernels.setThreads(2);
        AtomicLong total = new AtomicLong();
        Runnable caller = () -> {
            for (int i = 0; i < 2000; i++) {
                Parallel.run(2, p -> total.addAndGet(p + 1));
            }
        };
        Thread t1 = new Thread(caller);
        Thread t2 = new Thread(caller);
        t1.start();
        t2.start();
        t1.join();
        t2.join();
        assertEquals(2L * 2000 * 3, total.get());
    }

    /**
     * A warm split gemm and a split optimiser update allocate nothing on the calling thread: no job object, no
     * capturing lambda (the vector code boxes until C2 compiles it, so rounds repeat until one is quiet).
     */
    @Test
    void warmSplitCallsAllocateNothingOnTheCaller() {
        java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
        assumeTrue(plain instanceof com.sun.management.ThreadMXBean, "no com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) plain;
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "per-thread allocation counting not supported");
        mx.setThreadAllocatedMemoryEnabled(true);
        Kernels.setThreads(2);
        int m = 64, n = 100, k = 200;
        assertEquals(2, VectorGemm.parts(m, n, k), "the gemm must split");
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        int params = 1 << 17;
        float[] g = new float[params];
        float[] v = new float[params];
        float[] w = new float[params];
        long id = Thread.currentThread().getId();
        long perCall = Long.MAX_VALUE;
        for (int round = 0; round < 40 && perCall >= 16; round++) {
            long start = mx.getThreadAllocatedBytes(id);
            for (int i = 0; i < 200; i++) {
                TestData.VECTOR.gemm(Transpose.N, Transpose.N, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                TestData.VECTOR.momentumEma(params, 0.1f, 0.9f, g, 0, v, 0, w, 0);
            }
            perCall = (mx.getThreadAllocatedBytes(id) - start) / 200;
        }
        assertTrue(perCall < 16, "a warm split gemm + update allocated " + perCall + " bytes per call");
    }

    @Test
    void gemmSplitsFollowTheThreadCountAndTheThreshold() {
        Kernels.setThreads(1);
        assertEquals(1, Kernels.threads());
        assertTrue(Kernels.describe().endsWith("1 thread"), Kernels.describe());
        assertEquals(1, VectorGemm.parts(1024, 1024, 1024));
        Kernels.setThreads(2);
        assertEquals(2, VectorGemm.parts(1024, 1024, 1024));
        assertEquals(2, VectorGemm.parts(784, 200, 128));
        assertEquals(2, VectorGemm.parts(8, 1000, 600), "one row panel: split over columns");
        assertEquals(1, VectorGemm.parts(16, 16, 16), "below the threshold");
        Kernels.setThreads(64);
        assertEquals(5, VectorGemm.parts(5 * VectorGemm.MR, 8, 1 << 15),
                "never more parts than micro-tile rows");
    }
}
