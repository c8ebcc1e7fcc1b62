package org.condseg.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.XYChart;

/**
 * curves.png of a run: the loss columns of train_log.csv by epoch (top panel) and validation mIoU by epoch
 * (bottom panel). With several stages in the log the x axis counts epochs across stages.
 */
public final class Curves {
    private Curves() {
    }

    /** Plot with the columns found by name: losses contain "loss", the metric is the first "val...iou" column. */
    public static void write(TrainLog log, Path png) {
        List<String> losses = new ArrayList<>();
        String metric = null;
        for (String c : log.columns()) {
            String lc = c.toLowerCase(Locale.ROOT);
            if (lc.contains("loss")) {
                losses.add(c);
            } else if (metric == null && lc.contains("val") && lc.contains("iou")) {
                metric = c;
            }
        }
        write(log, png, losses, metric);
    }

    /** Plot the named loss columns and metric column (null: loss panel only). */
    public static void write(TrainLog log, Path png, List<String> lossColumns, String metricColumn) {
        boolean byEpoch = usesEpochColumn(log);
        double[] x = byEpoch ? log.column("epoch") : rowNumbers(log.size());
        String xLabel = byEpoch ? "epoch" : "epoch (all stages)";
        List<LinePlot.Series> loss = new ArrayList<>();
        for (String c : lossColumns) {
            loss.add(new LinePlot.Series(c, x, log.column(c)));
        }
        List<XYChart> panels = new ArrayList<>();
        panels.add(LinePlot.chart("Training loss", xLabel, "loss", loss));
        if (metricColumn != null) {
            String name = metricColumn.replaceFirst("^val_", "");
            panels.add(LinePlot.chart("Validation " + name, xLabel, name,
                    List.of(new LinePlot.Series(metricColumn, x, log.column(metricColumn)))));
        }
        double min = Arrays.stream(x).filter(Double::isFinite).min().orElse(Double.NaN);
        double max = Arrays.stream(x).filter(Double::isFinite).max().orElse(Double.NaN);
        if (min < max) { // the panels share the epoch axis even where validation skipped epochs
            panels.forEach(c -> {
                c.getStyler().setXAxisMin(min);
                c.getStyler().setXAxisMax(max);
            });
        }
        LinePlot.write(png, panels);
    }

    private static boolean usesEpochColumn(TrainLog log) {
        if (!log.columns().contains("epoch")) {
            return false;
        }
        Set<String> stages = new HashSet<>();
        for (Map<String, String> row : log.rows()) {
            stages.add(row.getOrDefault("stage", ""));
        }
        return stages.size() <= 1;
    }

    private static double[] rowNumbers(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }
}
