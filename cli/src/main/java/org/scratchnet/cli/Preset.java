package org.scratchnet.cli;

import java.util.List;

/**
 * Named sets of {@code train} flags ({@code train --preset NAME}). A preset is nothing but flags: {@code train} prints
 * them when it starts, and every flag the user gives on the command line overrides the preset's value of that flag.
 */
enum Preset {

    /**
     * The best test accuracy this project reaches in about two minutes of training on a 2-core machine, with the
     * hyperparameters chosen on a validation split of the training set and the test set evaluated once, at the end.
     *
     * <p>PLACEHOLDER: these values are a plausible starting point, NOT yet tuned or measured; they are to be replaced
     * by the ones a validation-split search chooses (then {@link #tuned} becomes true).
     */
    best(false, "--layers", "800,800", "--epochs", "20", "--batch", "128", "--lr", "0.5", "--momentum", "0.9",
            "--schedule", "cosine", "--dropout", "0.2", "--augment", "shift:2", "--test", "end");

    private final boolean tuned;
    private final List<String> flags;

    Preset(boolean tuned, String... flags) {
        this.tuned = tuned;
        this.flags = List.of(flags);
    }

    /** The preset's command-line flags and values, in order. */
    List<String> flags() {
        return flags;
    }

    /** Whether the values were chosen by a measured search; false while they are placeholders. */
    boolean tuned() {
        return tuned;
    }
}
