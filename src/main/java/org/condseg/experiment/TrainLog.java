package org.condseg.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * train_log.csv: one row per epoch with any ordered columns (epoch, stage, losses, val metrics, lr, seconds).
 * Each append rewrites the whole file atomically, so a crash leaves the previous complete file; a column first
 * seen in a later row is added to the header, earlier rows leave it blank. Reopening reads the rows back (resume).
 */
public final class TrainLog {
    /** Column names the resume logic relies on. */
    public static final String EPOCH = "epoch";
    public static final String STAGE = "stage";

    private final Path file;
    private final Set<String> columns = new LinkedHashSet<>();
    private final List<Map<String, String>> rows = new ArrayList<>();

    private TrainLog(Path file) {
        this.file = file;
    }

    /** Open the log at {@code file}, reading the rows already there. */
    public static TrainLog open(Path file) {
        TrainLog log = new TrainLog(file);
        if (Files.exists(file)) {
            Csv.Table table = Csv.read(file);
            log.columns.addAll(table.header());
            for (Map<String, String> row : table.rows()) {
                row.values().removeIf(String::isEmpty);
                log.rows.add(row);
            }
        }
        return log;
    }

    /** Append one epoch's row (column to value; numbers written with full precision) and rewrite the file. */
    public void append(Map<String, ?> row) {
        Map<String, String> text = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (v != null) {
                text.put(k, String.valueOf(v));
            }
        });
        columns.addAll(row.keySet());
        rows.add(text);
        write();
    }

    /**
     * Drop the rows of {@code stage} whose {@code epoch} is greater than {@code epoch}, and rewrite the file: on
     * resume, the epochs after the last checkpoint are run again.
     */
    public void truncateAfter(String stage, int epoch) {
        boolean removed = rows.removeIf(r -> stage.equals(r.get(STAGE)) && r.containsKey(EPOCH)
                && Double.parseDouble(r.get(EPOCH)) > epoch);
        if (removed) {
            write();
        }
    }

    private void write() {
        List<List<String>> cells = new ArrayList<>(rows.size());
        for (Map<String, String> row : rows) {
            cells.add(columns.stream().map(c -> row.getOrDefault(c, "")).toList());
        }
        Csv.write(file, List.copyOf(columns), cells);
    }

    public Path file() {
        return file;
    }

    /** Column names in first-seen order. */
    public List<String> columns() {
        return List.copyOf(columns);
    }

    /** The rows as column to text (blank cells absent). */
    public List<Map<String, String>> rows() {
        return List.copyOf(rows);
    }

    public int size() {
        return rows.size();
    }

    /** A column as numbers, NaN where blank or not a number. */
    public double[] column(String name) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            String v = rows.get(i).get(name);
            double d = Double.NaN;
            if (v != null) {
                try {
                    d = Double.parseDouble(v);
                } catch (NumberFormatException ignored) {
                    // a text cell (e.g. a stage name) reads as NaN
                }
            }
            out[i] = d;
        }
        return out;
    }
}
