package org.scratchnet.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.scratchnet.kernels.FmaPeak;

/**
 * The machine's FloatVector FMA peak, the yardstick for gemm's GFLOPS: the kernels' own probe loop,
 * {@link FmaPeak#chains} (16 independent accumulators on the preferred species, acc = x·y + acc), {@link FmaPeak#STEPS}
 * steps per call, so this benchmark and {@code scratchnet info --peak} time the same code. Counter {@code gflop} adds
 * {@link FmaPeak#flopPerCall}·10⁻⁹ = 2·lanes·16·steps·10⁻⁹ per call per thread, so its score (gflop/s) is GFLOPS,
 * summed over threads for {@code peak2Threads}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class FmaPeakBenchmark {

    static final double GFLOP_PER_CALL = FmaPeak.flopPerCall(FmaPeak.STEPS) * 1e-9;

    /** Per-thread inputs (not constants, so the JIT cannot fold them) and the flop counter. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
        float x = 1.0000001f;
        float y = 1e-7f;
    }

    @Benchmark
    @Threads(1)
    public float peak1Thread(Flops f) {
        return fma(f);
    }

    @Benchmark
    @Threads(2)
    public float peak2Threads(Flops f) {
        return fma(f);
    }

    private static float fma(Flops f) {
        float sum = FmaPeak.chains(f.x, f.y, FmaPeak.STEPS);
        f.gflop += GFLOP_PER_CALL;
        return sum;
    }
}
