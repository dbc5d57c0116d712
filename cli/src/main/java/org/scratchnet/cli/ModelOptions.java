package org.scratchnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.scratchnet.core.ModelFile;
import org.scratchnet.core.Network;
import picocli.CommandLine.Option;

/** {@code --model FILE}: a model written by {@code train --save} (or a checkpoint: its current weights). */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Model file written by train --save (a checkpoint works too).")
    Path model;

    /**
     * Loads the model; a missing, truncated or corrupt file is a one-line error naming it, and so is a model whose
     * outputs are not numbers (finite weights so large that float arithmetic overflows: it would classify at random).
     */
    ModelFile.Model load() throws IOException {
        if (!Files.exists(model)) {
            throw new UserException("model file not found: " + model);
        }
        if (Files.isDirectory(model)) {
            throw new UserException("--model " + model + ": expected a model file, found a directory");
        }
        ModelFile.Model m = ModelFile.load(model);
        String bad = nonFiniteOutputs(m.network());
        if (bad != null) {
            throw new UserException("--model " + model + ": expected a model whose outputs are probabilities, found "
                    + bad + " (its weights overflow float arithmetic)");
        }
        return m;
    }

    /**
     * Runs the network on four probes (all zeros, all 0.5, all ones, seeded uniform noise in [0, 1], the range of
     * pixels / 255) and says which gives a non-finite output, or null when all are finite.
     */
    static String nonFiniteOutputs(Network net) {
        int n = net.config().inputs();
        int k = net.config().outputs();
        float[] x = new float[4 * n];
        Arrays.fill(x, n, 2 * n, 0.5f);
        Arrays.fill(x, 2 * n, 3 * n, 1f);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 3 * n; i < 4 * n; i++) {
            x[i] = (float) r.nextDouble();
        }
        float[] p = new float[4 * k];
        net.probabilities(x, 0, 4, p, 0);
        String[] names = {"an all-zero input", "an input of 0.5 everywhere", "an all-ones input", "a random input"};
        for (int row = 0; row < 4; row++) {
            for (int c = 0; c < k; c++) {
                if (!Float.isFinite(p[row * k + c])) {
                    return p[row * k + c] + " for " + names[row];
                }
            }
        }
        return null;
    }
}
