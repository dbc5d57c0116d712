package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default of --jobs (docs/decisions/0017-concurrent-runs.md) and the memory estimate behind it. */
class RunOptionsTest {

    private static final long GB = 1L << 30;
    private static final Plan.Data MNIST = new Plan.Data("mnist", 784, 10, 60000, 10000);

    @Test
    void oneJobPerProcessorUnlessFewerRunsOrSeveralThreadsPerRun() {
        List<Long> small = Collections.nCopies(18, 3_000_000L);
        assertEquals(2, RunOptions.defaultJobs(18, 2, null, 6 * GB, small));
        assertEquals(2, RunOptions.defaultJobs(18, 2, 1, 6 * GB, small));
        assertEquals(16, RunOptions.defaultJobs(18, 16, null, 6 * GB, small));
        assertEquals(3, RunOptions.defaultJobs(3, 16, null, 6 * GB, small.subList(0, 3)));
        assertEquals(1, RunOptions.defaultJobs(18, 2, 2, 6 * GB, small));
        assertEquals(1, RunOptions.defaultJobs(1, 2, null, 6 * GB, small.subList(0, 1)));
        assertEquals(1, RunOptions.defaultJobs(0, 2, null, 6 * GB, List.of()));
    }

    @Test
    void theHeapCapsTheJobsOfLargeRuns() {
        assertEquals(2.7e6, RunOptions.estimatedBytes(Experiment.row(2).get(0), MNIST), 0.1e6);
        // a full batch is held 256 rows at a time
        assertEquals(3.7e6, RunOptions.estimatedBytes(Experiment.row(4).get(0), MNIST), 0.1e6);
        // 60 % of 2 GiB holds two runs of 490 MB, not three
        long large = 490_000_000L;
        List<Long> largestFirst = List.of(large, large, large, 3_000_000L);
        assertEquals(2, RunOptions.defaultJobs(4, 16, null, 2 * GB, largestFirst));
        // however small the heap, one job remains
        assertEquals(1, RunOptions.defaultJobs(4, 16, null, GB / 4, largestFirst));
    }
}
