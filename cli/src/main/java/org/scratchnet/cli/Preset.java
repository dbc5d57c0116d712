package org.scratchnet.cli;

import java.util.List;

/**
 * Named sets of {@code train} flags ({@code train --preset NAME}). A preset is nothing but flags: {@code train} prints
 * them when it starts, and every flag the user gives on the command line overrides the preset's value of that flag.
 */
enum Preset {

    /**
     * The best test accuracy this project reaches in about two minutes of training on a 2-core machine (~230 GFLOPS
     * two-thread FMA peak), with the hyperparameters chosen on a validation split of the training set (the last 10 %,
     * {@code --validation 0.1 --test never}) and the test set evaluated once, at the end. The search and its results:
     * docs/decisions/0028-the-best-preset.md.
     */
    best("--layers", "512,512", "--epochs", "40", "--batch", "128", "--lr", "0.5", "--momentum", "0.9",
            "--schedule", "cosine", "--augment", "shift:2", "--test", "end");

    private final List<String> flags;

    Preset(String... flags) {
        this.flags = List.of(flags);
    }

    /** The preset's command-line flags and values, in order. */
    List<String> flags() {
        return flags;
    }
}
