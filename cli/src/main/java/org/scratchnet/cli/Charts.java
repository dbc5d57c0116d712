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

/** PNG figures drawn with XChart, for the places where people would rather look than read. */
final class Charts {

    /** One training run's per-epoch curves: test accuracy in percent and mean training loss, epoch 1 first. */
    record Curve(String label, double[] testAccuracyPercent, double[] trainLoss) {
    }

    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b),
    };

    private Charts() {
    }

    /**
     * Two panels side by side, test accuracy per epoch (left) and training loss per epoch (right), one line per curve;
     * written atomically as PNG.
     */
    static void accuracyAndLoss(String title, List<Curve> curves, Path png) throws IOException {
        // accuracy rises and loss falls: legends in the corners the curves leave free
        XYChart accuracy = chart(title + ": test accuracy", "test accuracy (%)", Styler.LegendPosition.InsideSE);
        accuracy.getStyler().setYAxisDecimalPattern("0.0");
        XYChart loss = chart(title + ": training loss", "mean cross-entropy", Styler.LegendPosition.InsideNE);
        loss.getStyler().setYAxisDecimalPattern("0.00");
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            add(accuracy, c.label(), c.testAccuracyPercent(), COLORS[i % COLORS.length]);
            add(loss, c.label(), c.trainLoss(), COLORS[i % COLORS.length]);
        }
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(List.of(accuracy, loss), 1, 2, out,
                BitmapEncoder.BitmapFormat.PNG));
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
