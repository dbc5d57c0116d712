package org.scratchnet.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.scratchnet.core.ArrayBatchSource;
import org.scratchnet.core.Augmentation;
import org.scratchnet.core.AugmentedBatchSource;
import org.scratchnet.core.BatchSource;

/**
 * What data augmentation costs per mini-batch: one {@link BatchSource#fill} of {@code batch} rows of 28 × 28 images
 * (MNIST's shape) from a source in memory, without augmentation ({@code none}), with whole-pixel shifts and with
 * shifts plus rotations. The difference to {@code none}, set beside {@code TrainingStepBenchmark}'s time per step at
 * the same batch size, is the share of an epoch that augmentation adds (the budget: 15 %). Each invocation
 * fills the next batch of a shuffled epoch of {@code examples} images, starting a new epoch when one is used up.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar AugmentationBenchmark}; {@code bench/run.sh} runs it with its
 * default subset.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class AugmentationBenchmark {

    static final int SIDE = 28;

    /** What {@code train --augment} would be given. */
    @Param({"none", "shift:2", "shift:2,rotate:10"})
    public String augment;

    @Param({"128"})
    public int batch;

    /** Images in the epoch the batches are drawn from. */
    @Param({"6000"})
    public int examples;

    BatchSource source;
    int[] order;
    float[] x;
    int[] labels;
    int next;
    int epoch;

    @Setup(Level.Trial)
    public void prepare() {
        float[] images = ScalarReference.randomImages(examples, SIDE * SIDE, 17);
        int[] y = ScalarReference.randomLabels(examples, 10, 18);
        ArrayBatchSource base = new ArrayBatchSource(images, y, SIDE * SIDE, 10);
        source = new AugmentedBatchSource(base, SIDE, SIDE, Augmentation.parse(augment), 1, new int[0]);
        order = new int[examples];
        Random rnd = new Random(3);
        for (int i = 0; i < examples; i++) {
            int j = rnd.nextInt(i + 1);
            order[i] = order[j];
            order[j] = i;
        }
        x = new float[batch * SIDE * SIDE];
        labels = new int[batch];
        next = examples; // the first invocation begins epoch 1
    }

    /** Fills the next batch; returns a checksum so that nothing is optimised away. */
    @Benchmark
    public float fillBatch() {
        if (next + batch > examples) {
            source.beginEpoch(++epoch);
            next = 0;
        }
        source.fill(order, next, batch, x, 0, labels, 0);
        next += batch;
        return x[x.length / 2] + labels[0];
    }
}
