package org.condseg.experiment;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.condseg.util.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * results/EXPERIMENT/table.csv from the summary.json of the experiment's finished runs. One row per run group
 * (run name minus the trailing {@code /seedN}); per metric {@code <metric>_mean} and {@code <metric>_sd} (sample
 * standard deviation, n-1 denominator, blank with one seed); {@code n_seeds} and {@code seeds}; then every scale
 * entry the runs record (distinct values across seeds joined by '|'). Numbers keep 6 significant digits.
 */
public final class TableAssembler {
    public static final String TABLE = "table.csv";
    private static final Logger LOG = LoggerFactory.getLogger(TableAssembler.class);
    private static final Pattern CHUNK = Pattern.compile("\\d+|\\D+");
    private static final Pattern SEED = Pattern.compile("(?:(.*)/)?seed(-?\\d+)");

    private TableAssembler() {
    }

    /** Assemble with groups in natural name order (K3 before K11). */
    public static Path assemble(Path experimentDir) {
        return assemble(experimentDir, List.of());
    }

    /** Assemble with the groups of {@code order} first, in that order (e.g. the sweep's), then the rest. */
    public static Path assemble(Path experimentDir, List<String> order) {
        return assemble(experimentDir, order, null);
    }

    /**
     * As {@link #assemble(Path, List)}, plus a last column {@code status}: "finished" for groups with finished runs,
     * else the group's entry in {@code notes} (e.g. "data not available: data/glas", "quoted from the paper"). Groups
     * of {@code notes} without finished runs become rows with empty metrics, in {@code order}: never left out.
     * {@code notes} null: no status column.
     */
    public static Path assemble(Path experimentDir, List<String> order, Map<String, String> notes) {
        Map<String, List<Summary>> groups = collect(experimentDir);
        if (notes != null) {
            notes.keySet().forEach(g -> groups.putIfAbsent(g, new ArrayList<>()));
        }
        List<String> names = new ArrayList<>();
        order.stream().distinct().filter(groups::containsKey).forEach(names::add);
        groups.keySet().stream().filter(g -> !names.contains(g)).sorted(NATURAL).forEach(names::add);

        Set<String> metrics = new LinkedHashSet<>();
        Set<String> scales = new LinkedHashSet<>();
        for (String g : names) {
            for (Summary s : groups.get(g)) {
                metrics.addAll(s.metrics.keySet());
                scales.addAll(s.scale.keySet());
            }
        }
        List<String> header = new ArrayList<>(List.of("run", "n_seeds", "seeds"));
        for (String m : metrics) {
            header.add(m + "_mean");
            header.add(m + "_sd");
        }
        header.addAll(scales);
        if (notes != null) {
            header.add("status");
        }

        List<List<String>> rows = new ArrayList<>();
        for (String g : names) {
            List<Summary> runs = groups.get(g);
            List<String> row = new ArrayList<>();
            row.add(g);
            row.add(String.valueOf(runs.size()));
            row.add(String.join(" ", runs.stream().map(s -> String.valueOf(s.seed)).toList()));
            for (String m : metrics) {
                double[] values = runs.stream().map(s -> s.metrics.get(m)).filter(v -> v != null)
                        .mapToDouble(Double::doubleValue).toArray();
                row.add(values.length == 0 ? "" : format(mean(values)));
                row.add(values.length < 2 ? "" : format(sd(values)));
            }
            for (String k : scales) {
                Set<String> distinct = new LinkedHashSet<>();
                runs.stream().filter(s -> s.scale.get(k) != null).forEach(s -> distinct.add(String.valueOf(s.scale.get(k))));
                row.add(String.join("|", distinct));
            }
            if (notes != null) {
                row.add(runs.isEmpty() ? notes.getOrDefault(g, "") : "finished");
            }
            rows.add(row);
        }
        Path table = experimentDir.resolve(TABLE);
        Csv.write(table, header, rows);
        return table;
    }

    /** Group name to the finished runs' summaries (sorted by seed). */
    private static Map<String, List<Summary>> collect(Path experimentDir) {
        if (!Files.isDirectory(experimentDir)) {
            throw new UserError("no results folder " + experimentDir + "; run the experiment first");
        }
        Map<String, List<Summary>> groups = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(experimentDir)) {
            files = walk.filter(p -> p.getFileName().toString().equals(RunDirectory.SUMMARY)).sorted().toList();
        } catch (IOException e) {
            throw new UserError("cannot list " + experimentDir + ": " + e.getMessage(), e);
        }
        for (Path f : files) {
            String run = experimentDir.relativize(f.getParent()).toString().replace('\\', '/');
            Summary s = Summary.read(f);
            if (!s.isFinished()) {
                LOG.warn("{}: status {}, left out of the table", f, s.status);
                continue;
            }
            Matcher m = SEED.matcher(run);
            String group = m.matches() ? (m.group(1) == null ? "base" : m.group(1)) : run;
            if (s.seed == null && m.matches()) {
                s.seed = Integer.parseInt(m.group(2));
            }
            groups.computeIfAbsent(group, k -> new ArrayList<>()).add(s);
        }
        groups.values().forEach(l -> l.sort(Comparator.comparing(s -> s.seed == null ? 0 : s.seed)));
        return groups;
    }

    static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    /** Sample standard deviation (n-1 denominator). */
    static double sd(double[] v) {
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    /** 6 significant digits, no exponent, no trailing zeros. */
    static String format(double d) {
        if (!Double.isFinite(d)) {
            return String.valueOf(d);
        }
        return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** Read a table.csv (or any CSV with a header) as first-column value to the row's cells by column. */
    public static Map<String, Map<String, String>> read(Path csv) {
        Csv.Table table = Csv.read(csv);
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map<String, String> row : table.rows()) {
            out.put(row.get(table.header().get(0)), row);
        }
        return out;
    }

    /** Orders names with digit runs compared as numbers: K3 < K5 < K11. */
    static final Comparator<String> NATURAL = (a, b) -> {
        Matcher ma = CHUNK.matcher(a);
        Matcher mb = CHUNK.matcher(b);
        while (ma.find() && mb.find()) {
            String x = ma.group();
            String y = mb.group();
            int c = Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0))
                    ? new BigDecimal(x).compareTo(new BigDecimal(y)) : x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return a.compareTo(b);
    };
}
