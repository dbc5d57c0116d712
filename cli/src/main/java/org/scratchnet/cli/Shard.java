package org.scratchnet.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The I-th of N deterministic shares of a plan's runs, for running one sweep on several machines: run number r
 * (0-based, in the plan's order: experiment by experiment, seed by seed) belongs to shard {@code r mod N + 1}. Dealing
 * the runs out like cards gives every shard a mix of the large and the small networks, and the same plan always gives
 * the same shares, so shards can run anywhere, in any order, and {@code scratchnet merge} puts them back together.
 *
 * @param index 1-based, at most count
 * @param count how many shards the plan is split into, at least 1
 */
record Shard(int index, int count) {

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,6})\\s*/\\s*(\\d{1,6})\\s*");

    Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("expected a shard I/N with 1 <= I <= N, found " + index + "/" + count);
        }
    }

    /**
     * Parses {@code I/N}, e.g. {@code 2/3}.
     *
     * @throws IllegalArgumentException with a message naming the text if it is not of that form
     */
    static Shard parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a shard I/N such as 2/3, found '" + text + "'");
        }
        return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Whether run number {@code run} (0-based, in the plan's order) is this shard's. */
    boolean owns(int run) {
        return run % count == index - 1;
    }

    /** e.g. {@code 2/3}. */
    @Override
    public String toString() {
        return index + "/" + count;
    }
}
