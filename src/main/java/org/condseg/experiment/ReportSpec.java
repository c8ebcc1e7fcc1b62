package org.condseg.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.condseg.util.UserError;

/**
 * The reserved top-level {@code report:} section of an experiment config: how the experiment's cells fill the paper's
 * table ({@code paperTable}) and which figure to draw. It never reaches a run's resolved.yaml (see
 * {@link ConfigLoader#RESERVED}), so editing it changes no run hash.
 *
 * <pre>
 * report:
 *   kind: comparison            # ablation: ablations/EXPERIMENT.md; comparison: results/EXPERIMENT/report.md
 *   scale: 1                    # measured values are multiplied by this (100 when the paper prints percent)
 *   rows: {U-Net: unet}         # paper row -> run group; a column "D.metric" reads group "D_" + that name
 *   quoted: [TGANet]            # paper rows of methods not implemented here: "quoted from the paper"
 *   metrics: {mIoU: iou}        # paper column (metric part) -> summary.json metric, over the defaults
 *   plot: {type: sweep, axis: loss.consistencyThreshold, metrics: [iou, dice], title: ..., xLabel: t}
 *   plot: {type: curves, column: val_mIoU, title: ...}   # one train_log.csv curve per group (last stage)
 * </pre>
 * Paper rows without an entry in {@code rows} map to the group of the same name.
 */
public record ReportSpec(String kind, double scale, Map<String, String> rows, List<String> quoted,
        Map<String, String> metrics, Plot plot) {
    public static final String KEY = "report";
    public static final String ABLATION = "ablation";
    public static final String COMPARISON = "comparison";

    /** The paper's column names (metric part) and the summary.json metric each one is read from. */
    public static final Map<String, String> DEFAULT_METRICS = defaults();

    /** What to draw: {@code sweep} (metric vs a sweep axis) or {@code curves} (a train_log.csv column by epoch). */
    public record Plot(String type, String axis, List<String> metrics, String column, String title, String xLabel) {
        public static final String SWEEP = "sweep";
        public static final String CURVES = "curves";
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mIoU", "iou");
        m.put("mDSC", "dice");
        m.put("Recall", "recall");
        m.put("Precision", "precision");
        m.put("DSC", "dice");
        m.put("HD95", "hd95");
        m.put("FPS", "images_per_s");
        m.put("images/s", "images_per_s");
        m.put("ms/image", "ms_per_image");
        m.put("params_M", "params_M");
        m.put("FLOPs_G", "gmacs"); // the paper's FLOPs count multiply-accumulates, as MacCounter does
        return Map.copyOf(m);
    }

    /** The section of a loaded config (after its profile and --set); defaults when it has none. */
    public static ReportSpec of(LoadedConfig loaded) {
        ConfigTree tree = loaded.tree();
        Object raw = tree.get(KEY);
        String origin = tree.originOf(KEY);
        String defaultKind = loaded.experiment().startsWith("ablation") ? ABLATION : COMPARISON;
        if (raw == null) {
            return new ReportSpec(defaultKind, 1.0, Map.of(), List.of(), DEFAULT_METRICS, null);
        }
        Map<?, ?> m = map(raw, origin, "report");
        allow(m, origin, "report", "kind", "scale", "rows", "quoted", "metrics", "plot");
        String kind = m.containsKey("kind") ? string(m.get("kind"), origin, "report.kind") : defaultKind;
        if (!kind.equals(ABLATION) && !kind.equals(COMPARISON)) {
            throw new UserError(origin + ": report.kind must be ablation or comparison, got '" + kind + "'");
        }
        double scale = 1.0;
        if (m.containsKey("scale")) {
            if (!(m.get("scale") instanceof Number n) || !(n.doubleValue() > 0)) {
                throw new UserError(origin + ": report.scale expects a positive number, got " + YamlIO.describe(m.get("scale")));
            }
            scale = n.doubleValue();
        }
        Map<String, String> rows = stringMap(m.get("rows"), origin, "report.rows");
        List<String> quoted = new ArrayList<>();
        if (m.get("quoted") != null) {
            if (!(m.get("quoted") instanceof List<?> l)) {
                throw new UserError(origin + ": report.quoted expects a list of paper row labels, got "
                        + YamlIO.describe(m.get("quoted")));
            }
            l.forEach(x -> quoted.add(string(x, origin, "report.quoted")));
        }
        Map<String, String> metrics = new LinkedHashMap<>(DEFAULT_METRICS);
        metrics.putAll(stringMap(m.get("metrics"), origin, "report.metrics"));
        return new ReportSpec(kind, scale, rows, List.copyOf(quoted), metrics, plot(m.get("plot"), origin));
    }

    private static Plot plot(Object raw, String origin) {
        if (raw == null) {
            return null;
        }
        Map<?, ?> p = map(raw, origin, "report.plot");
        allow(p, origin, "report.plot", "type", "axis", "metrics", "column", "title", "xLabel");
        String type = string(p.get("type"), origin, "report.plot.type");
        String title = p.containsKey("title") ? string(p.get("title"), origin, "report.plot.title") : "";
        String xLabel = p.containsKey("xLabel") ? string(p.get("xLabel"), origin, "report.plot.xLabel") : "";
        if (type.equals(Plot.SWEEP)) {
            String axis = string(p.get("axis"), origin, "report.plot.axis");
            List<String> metrics = new ArrayList<>();
            Object ms = p.get("metrics");
            for (Object x : ms instanceof List<?> l ? l : List.of(ms == null ? "iou" : ms)) {
                metrics.add(string(x, origin, "report.plot.metrics"));
            }
            return new Plot(type, axis, List.copyOf(metrics), null, title, xLabel.isEmpty() ? axis : xLabel);
        }
        if (type.equals(Plot.CURVES)) {
            String column = p.containsKey("column") ? string(p.get("column"), origin, "report.plot.column") : "val_mIoU";
            return new Plot(type, null, List.of(), column, title, xLabel.isEmpty() ? "epoch" : xLabel);
        }
        throw new UserError(origin + ": report.plot.type must be sweep or curves, got '" + type + "'");
    }

    private static Map<?, ?> map(Object raw, String origin, String key) {
        if (!(raw instanceof Map<?, ?> m)) {
            throw new UserError(origin + ": key '" + key + "' expects a map, got " + YamlIO.describe(raw));
        }
        return m;
    }

    private static void allow(Map<?, ?> m, String origin, String key, String... names) {
        Set<Object> extra = new LinkedHashSet<>(m.keySet());
        List.of(names).forEach(extra::remove);
        if (!extra.isEmpty()) {
            throw new UserError(origin + ": key '" + key + "' has unknown entries " + extra + " (expected "
                    + String.join(", ", names) + ")");
        }
    }

    private static String string(Object v, String origin, String key) {
        if (v instanceof String s && !s.isBlank()) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v); // YAML reads paper rows such as 50 or 0.5 as numbers
        }
        throw new UserError(origin + ": " + key + " expects a non-empty string, got " + YamlIO.describe(v));
    }

    private static Map<String, String> stringMap(Object raw, String origin, String key) {
        if (raw == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        map(raw, origin, key).forEach((k, v) -> out.put(String.valueOf(k), string(v, origin, key + "." + k)));
        return out;
    }

    /** The run group a paper cell (row, column) is read from: "D_" + the row's group for a column "D.metric". */
    public String groupFor(String row, String column) {
        String g = rows.getOrDefault(row, row);
        int dot = column.indexOf('.');
        return dot < 0 ? g : column.substring(0, dot) + "_" + g;
    }

    /** The summary.json metric a paper column is read from (its part after the dataset prefix, through the aliases). */
    public String metricFor(String column) {
        String m = column.substring(column.indexOf('.') + 1);
        return metrics.getOrDefault(m, m);
    }

    /** Paper row labels that no cell fills on purpose: the method is not implemented here. */
    public boolean isQuoted(String row) {
        return quoted.contains(row);
    }
}
