package org.scratchnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.scratchnet.kernels.Kernels;

class StepTimerTest {

    /** Spins for about {@code micros} microseconds. */
    private static void busyFor(long micros) {
        long end = System.nanoTime() + micros * 1000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void countsOnlyAfterStartAndEachPartsBusyTimeIsWithinItsJobsWallTime() {
        int before = Kernels.threads();
        Kernels.setThreads(2);
        try {
            StepTimer timer = new StepTimer(2);
            AtomicInteger ran = new AtomicInteger();
            // not counted: before startCounting, as in the first epoch
            timer.countStep();
            timer.run(0, 2, p -> ran.incrementAndGet());
            assertEquals(0, timer.steps());
            assertEquals(2, ran.get(), "the job still runs");
            timer.startCounting();
            for (int step = 0; step < 3; step++) {
                timer.countStep();
                for (int job = 0; job < StepTimer.JOBS.length; job++) {
                    int j = job;
                    timer.run(job, 2, p -> busyFor(p == 0 ? 200 : 400 + 100L * j));
                }
            }
            assertEquals(3, timer.steps());
            for (int job = 0; job < StepTimer.JOBS.length; job++) {
                assertTrue(timer.busyMicros(job, 0) >= 200, "part 0 of job " + job);
                assertTrue(timer.busyMicros(job, 1) >= 400 + 100 * job, "part 1 of job " + job);
                double slowest = Math.max(timer.busyMicros(job, 0), timer.busyMicros(job, 1));
                assertTrue(timer.wallMicros(job) >= slowest * 0.99, "job " + job + ": wall below its slowest part");
                assertTrue(
                        timer.lateMicros(job, 1) >= 0
                                && timer.lateMicros(job, 1) + timer.busyMicros(job, 1) <= timer.wallMicros(job) * 1.01,
                        "job " + job + ": part 1 started and ended within the job");
            }
            String report = timer.report();
            for (String job : StepTimer.JOBS) {
                assertTrue(report.contains(job), report);
            }
            assertTrue(report.contains("3 steps") && report.contains("busy 1") && report.contains("late 1")
                    && report.contains("not busy"), report);
        } finally {
            Kernels.setThreads(before);
        }
    }

    @Test
    void offUnlessTheSystemPropertyAsksForIt() {
        // the build runs the tests without -Dscratchnet.step.timing
        assertNull(new TrainingStep(Network.create(NetworkConfig.of(4, 3), 1), 8, false).timer);
    }
}
