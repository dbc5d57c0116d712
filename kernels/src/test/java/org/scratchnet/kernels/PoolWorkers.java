package org.scratchnet.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The pool's worker threads seen from outside, through {@link ThreadMXBean}, so that a test can tell whether its calls
 * woke a worker. An idle worker is parked; a job wakes it, and after {@link Parallel#SPIN_NANOS} without another job
 * it parks again, and every park adds one to the thread's waited count. The sum of the workers' waited counts thus
 * grows by one for each time a job reached a parked worker (and for a new worker's first park).
 */
final class PoolWorkers {

    /** The name every worker thread starts with. */
    static final String NAME_PREFIX = "scratchnet-worker-";

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private PoolWorkers() {
    }

    /**
     * The workers' summed waited count once they have all been parked for a while: a worker woken by an earlier call
     * first gets the time to run, spin and park again, so that its park is not counted against the caller's test.
     */
    static long settledParkCount() {
        long sum = 0;
        for (long parks : settledParkCounts().values()) {
            sum += parks;
        }
        return sum;
    }

    /** Each worker's waited count by thread name, once they have all been parked for a while. */
    static Map<String, Long> settledParkCounts() {
        Map<String, Long> previous = null;
        for (int round = 0; round < 200; round++) {
            LockSupport.parkNanos(20_000_000L);
            Map<String, Long> now = new TreeMap<>();
            boolean allParked = true;
            for (ThreadInfo info : workers()) {
                now.put(info.getThreadName(), info.getWaitedCount());
                allParked &= info.getThreadState() == Thread.State.WAITING;
            }
            if (allParked && now.equals(previous)) {
                return now;
            }
            previous = now;
        }
        fail("the pool's workers did not all park within 4 s");
        return Map.of();
    }

    /** How many worker threads exist. */
    static int count() {
        return workers().size();
    }

    private static List<ThreadInfo> workers() {
        List<ThreadInfo> found = new ArrayList<>();
        for (ThreadInfo info : MX.getThreadInfo(MX.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(NAME_PREFIX)) {
                found.add(info);
            }
        }
        return found;
    }
}
