package org.scratchnet.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.scratchnet.kernels.Kernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mini-batch training of a {@link Network} under a {@link TrainingConfig}.
 *
 * <p>One epoch: the training indices (the whole set, or what the validation split leaves, in ascending order) are
 * shuffled by Fisher-Yates with the run's shuffle generator; consecutive batches of {@code batchSize} examples are read
 * through {@link BatchSource#fill}; each runs forward, fused softmax + cross-entropy with the gradient averaged over
 * the batch (1/m), backward, L2 decay if on, and one optimiser step. The last batch holds the remaining
 * {@code n mod batchSize} examples when the size does not divide n; it is a full step with its gradient averaged over
 * its own m rows (as in the original, nothing is dropped). After the epoch the network is evaluated on the validation
 * split and the test set, and the listener hears an {@link EpochStats}.
 *
 * <p>Reproducibility: the seed of the configuration fixes everything random (see {@link Rng#stream}); the gemm is
 * bit-identical whatever {@link Kernels#setThreads} says, the optimiser update is element-wise (the kernels may split
 * it across threads without changing a bit) and everything else runs on the calling thread, so the same seed,
 * configuration and data give bit-identical weights with any thread count. A run stopped after epoch k and
 * continued with {@link #resume(Checkpoint)} ends bit-identical to one that was never stopped.
 *
 * <p>No allocation per batch: the workspace is sized once per call of {@link #train} for the batch size.
 *
 * <p>Divergence: a batch whose loss is NaN or infinite (or an epoch that ends with non-finite weights) ends training
 * with a {@link DivergenceException} naming the epoch and batch; the network and the trainer are first put back to the
 * end of the last good epoch, so NaN weights never replace good ones.
 *
 * <p>A trainer is used from one thread, except {@link #requestStop()}, which any thread may call.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /**
     * Rows of a batch that training holds in memory at once: a larger batch (full-batch descent: the whole training
     * set) runs in chunks of this many rows and sums their gradients before its one update, so a run's working memory
     * stops growing with the batch here (docs/decisions/0032-full-batch-in-chunks.md).
     */
    public static final int CHUNK_ROWS = TrainingStep.CHUNK_ROWS;

    private final Network network;
    private final TrainingConfig cfg;
    private OptimizerState optimizer;
    private Rng shuffleRng;
    private Rng dropoutRng;
    private int epochsCompleted;
    private int trainSize = -1;
    private final List<EpochStats> history = new ArrayList<>();
    private int bestEpoch;
    private double bestAccuracy = Double.NEGATIVE_INFINITY;
    private int epochsSinceBest;
    private float[] bestParameters;
    private Checkpoint last;
    private volatile boolean stopRequested;

    /**
     * A trainer for {@code network} (trained in place) with {@code cfg}. For a run fully determined by the seed, create
     * the network with {@code Network.create(netConfig, cfg.seed())}.
     */
    public Trainer(Network network, TrainingConfig cfg) {
        this.network = Objects.requireNonNull(network, "network");
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.optimizer = new OptimizerState(cfg.optimizer(), network.config().parameterCount());
        this.shuffleRng = Rng.stream(cfg.seed(), 2);
        this.dropoutRng = Rng.stream(cfg.seed(), 3);
        this.last = snapshot();
    }

    /**
     * A trainer positioned at the end of the checkpoint's epoch; {@link #train} then runs the remaining epochs (its
     * network is a new one with the checkpoint's weights). Give it the same training data as the original run.
     */
    public static Trainer resume(Checkpoint checkpoint) {
        Trainer t = new Trainer(checkpoint.network(), checkpoint.trainingConfig);
        t.restore(checkpoint);
        return t;
    }

    /**
     * Like {@link #resume(Checkpoint)}, but runs to {@code epochs} epochs in total instead of the checkpoint's number,
     * to extend a finished run or shorten an unfinished one. Under the cosine schedule the rates then differ from the
     * original run's (they depend on the total); otherwise the first epochs are exactly the original ones.
     *
     * @throws IllegalArgumentException if {@code epochs} is less than the epochs already completed, or &lt; 1
     */
    public static Trainer resume(Checkpoint checkpoint, int epochs) {
        if (epochs < checkpoint.epochsCompleted) {
            throw new IllegalArgumentException("the checkpoint has " + checkpoint.epochsCompleted
                    + " epochs completed, cannot resume to " + epochs + " epochs");
        }
        TrainingConfig cfg = checkpoint.trainingConfig.toBuilder().epochs(epochs).build();
        Trainer t = new Trainer(checkpoint.network(), cfg);
        t.restore(checkpoint);
        return t;
    }

    /** The network being trained (in place). */
    public Network network() {
        return network;
    }

    /** The configuration. */
    public TrainingConfig config() {
        return cfg;
    }

    /** Epochs completed so far (including those before a resume). */
    public int epochsCompleted() {
        return epochsCompleted;
    }

    /** Statistics of the completed epochs. */
    public List<EpochStats> history() {
        return List.copyOf(history);
    }

    /**
     * The state at the end of the last completed epoch (or the initial state before the first): what to save so the
     * run can be resumed exactly. Cheap; safe to call from {@link TrainingListener#onEpoch}.
     */
    public Checkpoint checkpoint() {
        return last;
    }

    /**
     * Asks the running {@link #train} to stop after the batch in progress; it then returns with
     * {@link StopReason#STOP_REQUESTED}, the network holding the weights after that batch, and
     * {@link TrainingResult#checkpoint()} the state at the end of the last completed epoch. Safe from any thread
     * (e.g. a shutdown hook on Ctrl-C); a request made before {@code train} starts stops it before its first batch.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Trains for the remaining epochs of the configuration.
     *
     * @param train    training examples (the validation split, if configured, is held out of them)
     * @param test     test examples evaluated after every epoch, or null
     * @param listener progress; null for none
     * @throws IllegalArgumentException if the data does not fit the network, or a resumed run gets a training set of
     *                                  another size (checked before any work)
     * @throws DivergenceException      if the loss or the weights become NaN or infinite
     */
    public TrainingResult train(BatchSource train, BatchSource test, TrainingListener listener) {
        Objects.requireNonNull(train, "train");
        TrainingListener out = listener == null ? TrainingListener.NONE : listener;
        int[][] split = checkAndSplit(train, test);
        int[] base = split[0];
        int[] validation = split[1];
        int count = base.length;
        int batch = Math.min(cfg.batchSize(), count);
        int batches = (count + batch - 1) / batch;
        TrainingStep step = new TrainingStep(network, batch, cfg.dropout() > 0);
        int[] order = new int[count];
        int[] testIndices = test == null ? null : Network.identity(test.size());
        StopReason reason = StopReason.COMPLETED;
        LOG.debug("training {} on {} examples ({} held out), {} batches of {} per epoch; {}; kernels {}",
                network.config().describe(), count, validation.length, batches, batch, cfg.describe(),
                Kernels.describe());
        out.onStart(epochsCompleted + 1, cfg.epochs(), batches, count);
        try {
            int firstEpoch = epochsCompleted;
            for (int e = firstEpoch; e < cfg.epochs(); e++) {
                int epoch = e + 1;
                train.beginEpoch(epoch);
                long t0 = System.nanoTime();
                System.arraycopy(base, 0, order, 0, count);
                shuffleRng.shuffle(order, 0, count);
                if (step.timer != null && e > firstEpoch) {
                    step.timer.startCounting();
                }
                double[] sums = runEpoch(step, train, order, batch, epoch, out);
                if (sums == null) {
                    reason = StopReason.STOP_REQUESTED;
                    break;
                }
                double seconds = (System.nanoTime() - t0) * 1e-9;
                checkEpoch(sums[0] / count, epoch, batches);
                EpochStats stats = new EpochStats(epoch, sums[0] / count, sums[1] / count,
                        accuracy(test, testIndices), accuracy(train, validation), cfg.rateAt(e), seconds,
                        count / seconds);
                history.add(stats);
                epochsCompleted = epoch;
                boolean stop = trackValidation(stats);
                last = snapshot();
                LOG.debug("epoch {}: loss {}, train {}, test {}, validation {}, {} s", epoch, stats.trainLoss(),
                        stats.trainAccuracy(), stats.testAccuracy(), stats.validationAccuracy(), seconds);
                out.onEpoch(stats);
                if (stop && epoch < cfg.epochs()) {
                    reason = StopReason.EARLY_STOPPED;
                    LOG.debug("early stop after epoch {}: no better validation accuracy than epoch {} for {} epochs",
                            epoch, bestEpoch, epochsSinceBest);
                    break;
                }
            }
        } finally {
            stopRequested = false;
        }
        if (step.timer != null) {
            LOG.info("{}", step.timer.report());
        }
        if (cfg.patience() > 0 && reason != StopReason.STOP_REQUESTED && bestParameters != null) {
            network.setParameters(bestParameters);
        }
        return new TrainingResult(network, List.copyOf(history), reason, bestEpoch, last);
    }

    /**
     * The end-of-epoch divergence checks: every weight finite (a ReLU can turn NaN weights into a finite loss) and the
     * epoch's mean loss not stuck near the log's clamp ({@link DivergenceCheck}).
     *
     * @throws DivergenceException naming the epoch, after putting the network back to the last good epoch
     */
    private void checkEpoch(double meanLoss, int epoch, int batches) {
        double alpha = cfg.rateAt(epoch - 1);
        if (!network.isFinite()) {
            throw diverge("the weights became NaN or infinite", epoch, batches, batches, alpha);
        }
        String stuck = DivergenceCheck.check(meanLoss, network.config().outputs());
        if (stuck != null) {
            throw diverge(stuck, epoch, batches, batches, alpha);
        }
    }

    /**
     * Checks the data against the network and a resumed run's training set size, and returns the training and
     * validation indices ({@link #split}).
     */
    private int[][] checkAndSplit(BatchSource train, BatchSource test) {
        network.checkSource(train, "the training data");
        if (test != null) {
            network.checkSource(test, "the test data");
        }
        int n = train.size();
        if (n < 1) {
            throw new IllegalArgumentException("the training data is empty");
        }
        if (trainSize >= 0 && n != trainSize) {
            throw new IllegalArgumentException("this run was trained on " + trainSize
                    + " examples, the training data given now has " + n);
        }
        int[][] split = split(n, cfg);
        trainSize = n;
        return split;
    }

    /**
     * The batches of one epoch over {@code order}, each one {@link TrainingStep}: phase 1, the loss check, the
     * optimiser step begun, phase 2; the step holds the first layer's weights from {@link TrainingStep#load} to
     * {@link TrainingStep#store} around them. Returns the summed loss and the number of correct predictions, or null
     * if a stop was requested.
     */
    private double[] runEpoch(TrainingStep step, BatchSource train, int[] order, int batch, int epoch,
                              TrainingListener out) {
        int count = order.length;
        int batches = (count + batch - 1) / batch;
        double alpha = cfg.rateAt(epoch - 1);
        float keep = cfg.dropout() > 0 ? (float) (1 - cfg.dropout()) : 1f;
        float decay = (float) cfg.weightDecay();
        double lossSum = 0;
        long correct = 0;
        int failed = -1;
        double failedLoss = 0;
        step.load(optimizer);
        try {
            for (int b = 0; b < batches; b++) {
                if (stopRequested) {
                    return null;
                }
                int from = b * batch;
                int m = Math.min(batch, count - from);
                double loss = step.forwardBackward(train, order, from, m, dropoutRng.state(), keep);
                if (keep < 1f) {
                    dropoutRng.skip(network.dropoutDraws(m));
                }
                if (!Double.isFinite(loss)) {
                    failed = b;
                    failedLoss = loss;
                    break;
                }
                lossSum += loss;
                correct += step.correct();
                optimizer.beginStep(cfg.optimizer(), alpha);
                step.update(optimizer, decay);
                out.onBatch(epoch, b + 1, batches, loss / m);
            }
        } finally {
            step.store(optimizer);
        }
        if (failed >= 0) {
            throw diverge("the loss became " + failedLoss, epoch, failed + 1, batches, alpha);
        }
        return new double[] {lossSum, correct};
    }

    /** Accuracy on examples {@code indices} of {@code data}, or NaN when there are none. */
    private double accuracy(BatchSource data, int[] indices) {
        if (data == null || indices == null || indices.length == 0) {
            return Double.NaN;
        }
        return (double) network.countCorrect(data, indices, indices.length) / indices.length;
    }

    /**
     * Keeps the best validation accuracy so far (and, with patience, its weights); returns whether patience has run
     * out.
     */
    private boolean trackValidation(EpochStats stats) {
        if (Double.isNaN(stats.validationAccuracy())) {
            return false;
        }
        if (stats.validationAccuracy() > bestAccuracy) {
            bestAccuracy = stats.validationAccuracy();
            bestEpoch = stats.epoch();
            epochsSinceBest = 0;
            if (cfg.patience() > 0) {
                bestParameters = network.parameters().clone();
            }
        } else {
            epochsSinceBest++;
        }
        return cfg.patience() > 0 && epochsSinceBest >= cfg.patience();
    }

    private DivergenceException diverge(String what, int epoch, int batch, int batches, double alpha) {
        restore(last);
        String message = String.format(Locale.ROOT,
                "training diverged: %s in epoch %d, batch %d of %d; kept the weights of epoch %d; "
                        + "try a lower learning rate (it was %s)",
                what, epoch, batch, batches, last.epochsCompleted, alpha);
        return new DivergenceException(message, epoch, batch, history);
    }

    /**
     * The training and validation indices of a set of n examples: stream 4 of the seed shuffles 0..n−1; the last
     * round(n·fraction) (at least 1 when the fraction is positive) are the validation set; both sorted ascending.
     */
    static int[][] split(int n, TrainingConfig cfg) {
        if (cfg.validationFraction() == 0) {
            return new int[][] {Network.identity(n), new int[0]};
        }
        int v = Math.max(1, (int) Math.round(n * cfg.validationFraction()));
        if (v >= n) {
            throw new IllegalArgumentException("a validation fraction of " + cfg.validationFraction() + " of " + n
                    + " examples leaves no examples to train on");
        }
        int[] perm = Network.identity(n);
        Rng.stream(cfg.seed(), 4).shuffle(perm, 0, n);
        int[] train = Arrays.copyOfRange(perm, 0, n - v);
        int[] validation = Arrays.copyOfRange(perm, n - v, n);
        Arrays.sort(train);
        Arrays.sort(validation);
        return new int[][] {train, validation};
    }

    private Checkpoint snapshot() {
        return new Checkpoint(network.config(), cfg, epochsCompleted, trainSize, network.parameters().clone(),
                optimizer.copy(), shuffleRng.state(), dropoutRng.state(), bestEpoch, bestAccuracy, epochsSinceBest,
                bestParameters == null ? null : bestParameters.clone(), history);
    }

    private void restore(Checkpoint cp) {
        if (!cp.networkConfig.equals(network.config())) {
            throw new IllegalArgumentException("checkpoint is for network " + cp.networkConfig.describe()
                    + ", this trainer's network is " + network.config().describe());
        }
        network.setParameters(cp.parameters);
        optimizer = cp.optimizer.copy();
        shuffleRng = new Rng(cp.shuffleState);
        dropoutRng = new Rng(cp.dropoutState);
        epochsCompleted = cp.epochsCompleted;
        trainSize = cp.trainSize;
        bestEpoch = cp.bestEpoch;
        bestAccuracy = cp.bestAccuracy;
        epochsSinceBest = cp.epochsSinceBest;
        bestParameters = cp.bestParameters == null ? null : cp.bestParameters.clone();
        history.clear();
        history.addAll(cp.history);
        last = cp;
    }
}
