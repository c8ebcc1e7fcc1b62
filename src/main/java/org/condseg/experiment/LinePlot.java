package org.condseg.experiment;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.condseg.util.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** Line plots as PNG (XChart), for training curves and the report figures: x, several named series, labels. */
public final class LinePlot {
    public static final int WIDTH = 800;
    public static final int HEIGHT = 450;

    /** One named line; points whose x or y is NaN are left out. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
            }
        }
    }

    private LinePlot() {
    }

    /** A chart of the series (empty ones skipped). */
    public static XYChart chart(String title, String xLabel, String yLabel, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setYAxisDecimalPattern("0.####");
        for (Series s : series) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    xs.add(s.x()[i]);
                    ys.add(s.y()[i]);
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(s.name(), xs, ys);
            }
        }
        return chart;
    }

    /** Write one chart of the series as a PNG, atomically. */
    public static void write(Path png, String title, String xLabel, String yLabel, List<Series> series) {
        write(png, List.of(chart(title, xLabel, yLabel, series)));
    }

    /** Write several charts stacked vertically into one PNG, atomically. */
    public static void write(Path png, List<XYChart> panels) {
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(panels, panels.size(), 1, out,
                BitmapEncoder.BitmapFormat.PNG));
    }
}
