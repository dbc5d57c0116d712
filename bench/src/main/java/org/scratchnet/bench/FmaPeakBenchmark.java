package org.scratchnet.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
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

/**
 * The machine's FloatVector FMA peak, the yardstick for gemm's GFLOPS: 16 independent accumulators on the preferred
 * species, acc = x·y + acc, {@value #STEPS} steps per call. Counter {@code gflop} adds 2·lanes·16·steps·10⁻⁹ per
 * call per thread, so its score (gflop/s) is GFLOPS, summed over threads for {@code peak2Threads}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class FmaPeakBenchmark {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int STEPS = 4096;

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
        FloatVector x = FloatVector.broadcast(S, f.x);
        FloatVector y = FloatVector.broadcast(S, f.y);
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
        for (int i = 0; i < STEPS; i++) {
            a0 = x.fma(y, a0);
            a1 = x.fma(y, a1);
            a2 = x.fma(y, a2);
            a3 = x.fma(y, a3);
            a4 = x.fma(y, a4);
            a5 = x.fma(y, a5);
            a6 = x.fma(y, a6);
            a7 = x.fma(y, a7);
            a8 = x.fma(y, a8);
            a9 = x.fma(y, a9);
            a10 = x.fma(y, a10);
            a11 = x.fma(y, a11);
            a12 = x.fma(y, a12);
            a13 = x.fma(y, a13);
            a14 = x.fma(y, a14);
            a15 = x.fma(y, a15);
        }
        f.gflop += 2e-9 * S.length() * 16 * STEPS;
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
                .add(a8).add(a9).add(a10).add(a11).add(a12).add(a13).add(a14).add(a15).reduceLanes(
                        jdk.incubator.vector.VectorOperators.ADD);
    }
}
