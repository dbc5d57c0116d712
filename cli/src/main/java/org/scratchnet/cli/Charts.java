package org.scratchnet.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.scratchnet.io.AtomicFile;

/** PNG figures drawn with XChart, for the places where people would rather look than read. */
final class Charts {

    /**
     * Per-epoch values of one experiment over its seeds: the mean, and the smallest and largest value, epoch 1 first.
     *
     * @param label what the line is, for the legend
     */
    record Band(String label, double[] mean, double[] min, double[] max) {

        /** The band of {@code values[seed][epoch]} (every seed with the same number of epochs). */
        static Band of(String label, List<double[]> values) {
            int epochs = values.get(0).length;
            double[] mean = new double[epochs];
            double[] min = new double[epochs];
            double[] max = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                double sum = 0;
                min[e] = Double.POSITIVE_INFINITY;
                max[e] = Double.NEGATIVE_INFINITY;
                for (double[] v : values) {
                    sum += v[e];
                    min[e] = Math.min(min[e], v[e]);
                    max[e] = Math.max(max[e], v[e]);
                }
                mean[e] = sum / values.size();
            }
            return new Band(label, mean, min, max);
        }
    }

    private static final Color[] COLORS = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
            new Color(0x8c564b),
    };

    private Charts() {
    }

    /**
     * Two panels side by side, test accuracy per epoch (left) and training loss per epoch (right): for each experiment
     * its mean over seeds as a line with markers and the range from the smallest to the largest seed's value as a
     * shaded band of the same colour; written atomically as PNG (1280×440).
     *
     * @param accuracy per experiment, test accuracy in percent
     * @param loss     per experiment (same order), mean training cross-entropy
     */
    static void accuracyAndLossBands(String title, List<Band> accuracy, List<Band> loss, Path png) throws IOException {
        // the bands of a noisy run reach into every corner: legends below the plots
        XYChart left = chart(title + ": test accuracy", "test accuracy (%)", Styler.LegendPosition.OutsideS);
        left.getStyler().setYAxisDecimalPattern("0.0");
        XYChart right = chart(title + ": training loss", "mean cross-entropy", Styler.LegendPosition.OutsideS);
        right.getStyler().setYAxisDecimalPattern("0.00");
        for (int i = 0; i < accuracy.size(); i++) {
            addBand(left, accuracy.get(i), COLORS[i % COLORS.length]);
            addBand(right, loss.get(i), COLORS[i % COLORS.length]);
        }
        fitY(left, accuracy);
        fitY(right, loss);
        AtomicFile.write(png, out -> BitmapEncoder.saveBitmap(List.of(left, right), 1, 2, out,
                BitmapEncoder.BitmapFormat.PNG));
    }

    /** The y axis from the lowest minimum to the highest maximum of the bands, plus 3 % either side. */
    private static void fitY(XYChart chart, List<Band> bands) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Band b : bands) {
            for (int i = 0; i < b.mean().length; i++) {
                lo = Math.min(lo, b.min()[i]);
                hi = Math.max(hi, b.max()[i]);
            }
        }
        double pad = Math.max(0.03 * (hi - lo), 1e-9);
        chart.getStyler().setYAxisMin(lo - pad);
        chart.getStyler().setYAxisMax(hi + pad);
    }

    /** The band as a filled polygon (up along the maxima, back along the minima), then the mean line over it. */
    private static void addBand(XYChart chart, Band b, Color color) {
        int n = b.mean().length;
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = i + 1;
            py[i] = b.max()[i];
            px[2 * n - 1 - i] = i + 1;
            py[2 * n - 1 - i] = b.min()[i];
        }
        XYSeries band = chart.addSeries(b.label() + " (min-max)", px, py);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 60));
        band.setLineColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 0));
        band.setMarker(SeriesMarkers.NONE);
        band.setShowInLegend(false);
        add(chart, b.label(), b.mean(), color);
    }

    private static XYChart chart(String title, String yTitle, Styler.LegendPosition legend) {
        XYChart chart = new XYChartBuilder().width(640).height(440).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setMarkerSize(5);
        return chart;
    }

    private static void add(XYChart chart, String label, double[] y, Color color) {
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            x[i] = i + 1;
        }
        XYSeries s = chart.addSeries(label, x, y);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
    }
}
