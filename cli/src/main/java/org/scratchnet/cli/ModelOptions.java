package org.scratchnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scratchnet.core.ModelFile;
import picocli.CommandLine.Option;

/** {@code --model FILE}: a model written by {@code train --save} (or a checkpoint: its current weights). */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Model file written by train --save (a checkpoint works too).")
    Path model;

    /** Loads the model; a missing, truncated or corrupt file is a one-line error naming it. */
    ModelFile.Model load() throws IOException {
        if (!Files.exists(model)) {
            throw new UserException("model file not found: " + model);
        }
        if (Files.isDirectory(model)) {
            throw new UserException("--model " + model + ": expected a model file, found a directory");
        }
        return ModelFile.load(model);
    }
}
