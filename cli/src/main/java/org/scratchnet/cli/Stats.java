package org.scratchnet.cli;

import java.util.Arrays;

/**
 * Summary of repeated measurements: mean, sample standard deviation (n − 1 in the denominator; NaN for one value),
 * minimum and maximum.
 */
record Stats(int n, double mean, double sd, double min, double max) {

    static Stats of(double... values) {
        if (values.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : Double.NaN;
        return new Stats(values.length, mean, sd, Arrays.stream(values).min().orElseThrow(),
                Arrays.stream(values).max().orElseThrow());
    }
}
