package org.condseg.experiment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.condseg.util.AtomicFiles;

/**
 * Paper-vs-measured Markdown. The paper CSV (experiments/TABLE.csv) has a row label in its first column and one
 * column per metric; the measured table is a {@link TableAssembler} table.csv. Each paper cell (row, column) is
 * mapped to a measured cell (run group, metric), read from the group's {@code <metric>_mean} and
 * {@code <metric>_sd} columns. Measured values are printed with the paper number's decimals, multiplied by
 * {@code measuredScale} (100 when the paper prints percentages); delta = measured - paper.
 */
public final class PaperComparison {
    /** Where a paper cell's measured counterpart lives. */
    public record Cell(String group, String metric) {
    }

    /** Maps a paper cell (row label, column) to its measured cell. */
    @FunctionalInterface
    public interface Mapping {
        Cell measuredFor(String rowLabel, String column);
    }

    private PaperComparison() {
    }

    /** Rows mapped to run groups (unmapped rows: the group of the same name), columns to metrics of the same name. */
    public static Mapping byRow(Map<String, String> rowToGroup) {
        return (row, column) -> new Cell(rowToGroup.getOrDefault(row, row), column);
    }

    public static void write(Path paperCsv, Path tableCsv, Map<String, String> rowToGroup, double measuredScale,
            Path markdown) {
        write(paperCsv, tableCsv, byRow(rowToGroup), measuredScale, markdown);
    }

    public static void write(Path paperCsv, Path tableCsv, Mapping mapping, double measuredScale, Path markdown) {
        AtomicFiles.writeString(markdown, render(paperCsv, tableCsv, mapping, measuredScale));
    }

    public static String render(Path paperCsv, Path tableCsv, Map<String, String> rowToGroup, double measuredScale) {
        return render(paperCsv, tableCsv, byRow(rowToGroup), measuredScale);
    }

    public static String render(Path paperCsv, Path tableCsv, Mapping mapping, double measuredScale) {
        return render(paperCsv, tableCsv, mapping, measuredScale, row -> null);
    }

    /**
     * As above; {@code rowNote} gives paper rows that no cell fills on purpose a note in the measured-run column
     * (e.g. "quoted from the paper"), null for the others. A measured group whose table.csv {@code status} is not
     * "finished" shows that status (e.g. "data not available: data/glas") instead of numbers.
     */
    public static String render(Path paperCsv, Path tableCsv, Mapping mapping, double measuredScale,
            java.util.function.Function<String, String> rowNote) {
        Map<String, Map<String, String>> paper = TableAssembler.read(paperCsv);
        Map<String, Map<String, String>> measured = TableAssembler.read(tableCsv);
        List<String> header = paper.isEmpty() ? List.of("row") : new ArrayList<>(paper.values().iterator().next().keySet());
        List<String> metrics = header.subList(1, header.size());

        StringBuilder md = new StringBuilder("| ").append(header.get(0)).append(" | measured run |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String m : metrics) {
            md.append(' ').append(m).append(" paper | ").append(m).append(" measured | ").append(m).append(" Δ |");
            rule.append("---:|---:|---:|");
        }
        md.append('\n').append(rule).append('\n');
        for (Map.Entry<String, Map<String, String>> e : paper.entrySet()) {
            Set<String> runs = new LinkedHashSet<>();
            StringBuilder cells = new StringBuilder();
            String note = rowNote.apply(e.getKey());
            if (note != null) {
                runs.add(note);
            }
            for (String m : metrics) {
                Cell cell = mapping.measuredFor(e.getKey(), m);
                Map<String, String> ours = note != null ? null : measured.get(cell.group());
                String status = ours == null ? null : ours.get("status");
                if (note != null) {
                    // the row's note says it all
                } else if (ours == null) {
                    runs.add(cell.group() + " (not run)");
                } else if (status != null && !status.equals("finished")) {
                    runs.add(cell.group() + " (" + status + ")");
                } else {
                    runs.add(cell.group() + " (n=" + ours.get("n_seeds") + ")");
                }
                String p = e.getValue().get(m).strip();
                double paperValue = number(p);
                int decimals = decimals(p);
                String mean = ours == null ? "" : ours.getOrDefault(cell.metric() + "_mean", "");
                String sd = ours == null ? "" : ours.getOrDefault(cell.metric() + "_sd", "");
                cells.append(' ').append(p.isEmpty() ? "—" : p).append(" | ");
                if (mean.isEmpty()) {
                    cells.append("— | — |");
                    continue;
                }
                double value = Double.parseDouble(mean) * measuredScale;
                cells.append(round(value, decimals));
                if (!sd.isEmpty()) {
                    cells.append(" ± ").append(round(Double.parseDouble(sd) * measuredScale, decimals));
                }
                cells.append(" | ").append(Double.isNaN(paperValue) ? "—" : signed(value - paperValue, decimals)).append(" |");
            }
            md.append("| ").append(e.getKey()).append(" | ").append(String.join(", ", runs)).append(" |")
                    .append(cells).append('\n');
        }
        md.append("\nΔ = measured − paper. Measured: mean ± sample sd over the n seeds run (sd only when n ≥ 2).\n");
        return md.toString();
    }

    /** Decimals printed in the paper's number; 3 when it is blank or not a number. */
    private static int decimals(String paperValue) {
        if (Double.isNaN(number(paperValue))) {
            return 3;
        }
        int dot = paperValue.indexOf('.');
        return dot < 0 ? 0 : paperValue.length() - dot - 1;
    }

    /** The paper's number, NaN when blank or not a number (e.g. "-"). */
    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String round(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    private static String signed(double v, int decimals) {
        String r = round(v, decimals);
        return r.startsWith("-") ? r : "+" + r;
    }
}
