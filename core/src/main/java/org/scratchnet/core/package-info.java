/**
 * Networks, training, evaluation and model files on the {@code org.scratchnet.kernels} facade. Knows nothing of MNIST,
 * data files or the terminal: examples come in through {@link org.scratchnet.core.BatchSource}, progress goes out
 * through {@link org.scratchnet.core.TrainingListener}.
 *
 * <p>A whole run, as the published table trains it (784-100-50-10, batch 128, α 0.5, EMA momentum β 0.9):
 * <pre>{@code
 * NetworkConfig shape = NetworkConfig.of(784, 100, 50, 10);
 * TrainingConfig cfg = TrainingConfig.builder()
 *         .epochs(1).batchSize(128).learningRate(0.5)
 *         .optimizer(new Optimizer.Momentum(MomentumStyle.EMA, 0.9)).seed(1)
 *         .build();
 * Network network = Network.create(shape, cfg.seed());
 * TrainingResult result = new Trainer(network, cfg).train(trainSource, testSource, TrainingListener.NONE);
 * double testAccuracy = result.last().testAccuracy();          // or Evaluation.of(network, testSource).accuracy()
 * ModelFile.save(Path.of("model.snet"), result.network(), cfg);
 * }</pre>
 * To stop on Ctrl-C and resume later: call {@code trainer.requestStop()} from the signal handler, save
 * {@code result.checkpoint()} with {@link org.scratchnet.core.ModelFile#saveCheckpoint}, and continue with
 * {@code Trainer.resume(ModelFile.loadCheckpoint(path)).train(trainSource, testSource, listener)}.
 */
package org.scratchnet.core;
