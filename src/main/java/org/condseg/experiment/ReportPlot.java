package org.condseg.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figure of an experiment report, from {@code report.plot}:
 * <ul>
 * <li>{@code sweep}: each metric's measured mean (× report.scale) against the value of a sweep axis, one point per run
 * group (Fig. 6: metric vs t; Table 6: metric vs stage-1 epochs), plus the paper's numbers at the same x where the
 * paper CSV has any.</li>
 * <li>{@code curves}: one line per run group, a train_log.csv column (e.g. val_mIoU) over the epochs of the run's last
 * stage, i.e. of the network it ends with (Fig. 5: convergence; Fig. 7: Net_0 under each consistency loss). The run
 * with the lowest seed that has a log is drawn.</li>
 * </ul>
 */
final class ReportPlot {
    private ReportPlot() {
    }

    /** Write the PNG; null when the config asks for no plot or there is no point to draw yet. */
    static Path write(ExperimentPlan p, Path table, Path paper, Path png) {
        ReportSpec.Plot plot = p.report().plot();
        if (plot == null) {
            return null;
        }
        List<LinePlot.Series> series = plot.type().equals(ReportSpec.Plot.SWEEP) ? sweep(p, plot, table, paper)
                : curves(p, plot);
        boolean any = series.stream().anyMatch(s -> {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    return true;
                }
            }
            return false;
        });
        if (!any) {
            return null;
        }
        String title = plot.title().isBlank() ? p.experiment() : plot.title();
        String yLabel = plot.type().equals(ReportSpec.Plot.SWEEP) ? String.join(", ", plot.metrics()) : plot.column();
        org.knowm.xchart.XYChart chart = LinePlot.chart(title, plot.xLabel(), yLabel, series);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS); // never over a line
        LinePlot.write(png, List.of(chart));
        return png;
    }

    private static List<LinePlot.Series> sweep(ExperimentPlan p, ReportSpec.Plot plot, Path table, Path paper) {
        ReportSpec spec = p.report();
        Map<String, Double> xOf = new LinkedHashMap<>();
        for (RunSpec<ExperimentConfig> run : p.runs()) {
            xOf.putIfAbsent(run.group(), number(run.overrides().get(plot.axis())));
        }
        List<String> groups = new ArrayList<>(xOf.keySet());
        groups.sort(Comparator.comparingDouble(g -> Double.isNaN(xOf.get(g)) ? Double.MAX_VALUE : xOf.get(g)));
        Map<String, Map<String, String>> measured = TableAssembler.read(table);
        List<LinePlot.Series> out = new ArrayList<>();
        for (String metric : plot.metrics()) {
            double[] x = new double[groups.size()];
            double[] y = new double[groups.size()];
            for (int i = 0; i < groups.size(); i++) {
                x[i] = xOf.get(groups.get(i));
                Map<String, String> row = measured.get(groups.get(i));
                y[i] = row == null ? Double.NaN : number(row.get(metric + "_mean")) * spec.scale();
            }
            out.add(new LinePlot.Series("measured " + metric, x, y));
        }
        if (paper != null && Files.isRegularFile(paper)) {
            Csv.Table t = Csv.read(paper);
            for (String column : t.header().subList(1, t.header().size())) {
                if (column.contains(".") || !plot.metrics().contains(spec.metricFor(column))) {
                    continue;
                }
                List<double[]> points = new ArrayList<>();
                for (Map<String, String> row : t.rows()) {
                    String label = row.get(t.header().get(0));
                    Double gx = xOf.get(spec.groupFor(label, column));
                    double v = number(row.get(column));
                    if (gx != null && Double.isFinite(gx) && Double.isFinite(v)) {
                        points.add(new double[] {gx, v});
                    }
                }
                points.sort(Comparator.comparingDouble(a -> a[0]));
                out.add(new LinePlot.Series("paper " + column, points.stream().mapToDouble(a -> a[0]).toArray(),
                        points.stream().mapToDouble(a -> a[1]).toArray()));
            }
        }
        return out;
    }

    private static List<LinePlot.Series> curves(ExperimentPlan p, ReportSpec.Plot plot) {
        Map<String, Path> logOf = new LinkedHashMap<>();
        p.runs().stream().sorted(Comparator.comparingInt(RunSpec::seed)).forEach(run -> {
            Path log = p.experimentDir().resolve(run.name()).resolve(RunDirectory.TRAIN_LOG);
            if (!logOf.containsKey(run.group()) && Files.isRegularFile(log)) {
                logOf.put(run.group(), log);
            }
        });
        List<LinePlot.Series> out = new ArrayList<>();
        for (String g : p.groups()) {
            Path log = logOf.get(g);
            if (log == null) {
                continue;
            }
            Csv.Table t = Csv.read(log);
            if (t.rows().isEmpty() || !t.header().contains(plot.column())) {
                continue;
            }
            String last = t.rows().get(t.rows().size() - 1).getOrDefault(TrainLog.STAGE, "");
            List<Map<String, String>> rows = t.rows().stream()
                    .filter(r -> r.getOrDefault(TrainLog.STAGE, "").equals(last)).toList();
            double[] x = new double[rows.size()];
            double[] y = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                double e = number(rows.get(i).get(TrainLog.EPOCH));
                x[i] = Double.isNaN(e) ? i + 1 : e + 1; // train_log.csv counts epochs from 0
                y[i] = number(rows.get(i).get(plot.column()));
            }
            out.add(new LinePlot.Series(g, x, y));
        }
        return out;
    }

    private static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v == null || String.valueOf(v).isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
