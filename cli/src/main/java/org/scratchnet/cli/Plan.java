package org.scratchnet.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code reproduce} or {@code sweep} command runs: every experiment once per seed, in this order (experiment by
 * experiment, seed by seed), on one data set. The order is the results' order and what {@link Shard} splits.
 *
 * @param command     which command made it, and so which files and table it writes
 * @param experiments the table's rows or the grid's points, in table order
 * @param seeds       the seeds each experiment runs with
 * @param data        the data set the runs train and test on
 */
record Plan(Command command, List<Experiment> experiments, List<Long> seeds, Data data) {

    /**
     * The shape of the data set.
     *
     * @param name          e.g. {@code mnist}
     * @param features      inputs per example (784)
     * @param classes       classes, the networks' outputs (10)
     * @param trainExamples examples in the training set
     * @param testExamples  examples in the test set
     */
    record Data(String name, int features, int classes, int trainExamples, int testExamples) {

        /** e.g. {@code mnist, 60000 train / 10000 test}. */
        String describe() {
            return name + ", " + trainExamples + " train / " + testExamples + " test";
        }
    }

    /** The commands that run plans, with their file names and their word for one line of the table. */
    enum Command {
        /** The published table: results.md, .csv, .json and the momentum figures; lines are table rows. */
        REPRODUCE("reproduce", "results", "row"),
        /** A grid: sweep.md, .csv, .json; lines are grid points. */
        SWEEP("sweep", "sweep", "point");

        /** The command's name on the command line. */
        final String command;
        /** The results files' base name. */
        final String fileName;
        /** What one line of its table is called: the column header and the JSON key. */
        final String idLabel;

        Command(String command, String fileName, String idLabel) {
            this.command = command;
            this.fileName = fileName;
            this.idLabel = idLabel;
        }
    }

    /**
     * One run to do.
     *
     * @param number     its place in the plan's order, 0-based
     * @param experiment what to train
     * @param seed       with which seed
     */
    record Task(int number, Experiment experiment, long seed) {
    }

    Plan {
        experiments = List.copyOf(experiments);
        seeds = List.copyOf(seeds);
    }

    /** Every run of the plan, in its order. */
    List<Task> tasks() {
        List<Task> tasks = new ArrayList<>();
        for (Experiment e : experiments) {
            for (long seed : seeds) {
                tasks.add(new Task(tasks.size(), e, seed));
            }
        }
        return tasks;
    }

    /** The runs of one shard, in the plan's order; all of them for null. */
    List<Task> tasks(Shard shard) {
        return tasks().stream().filter(t -> shard == null || shard.owns(t.number())).toList();
    }

    /** The experiment with this id, or null. */
    Experiment experiment(String id) {
        return experiments.stream().filter(e -> e.id().equals(id)).findFirst().orElse(null);
    }
}
