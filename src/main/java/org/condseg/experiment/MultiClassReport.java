package org.condseg.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.condseg.eval.MultiClassMetrics;

/**
 * The multi-class (Synapse) results of a run in Table 10's layout: summary metrics {@code DSC} and {@code HD95}
 * (means over the organ classes of the per-class means over cases) followed by one Dice column per organ, named as
 * the paper table's columns (experiments/table10_synapse.csv), so that table.csv and the paper comparison line up;
 * and per_case.csv with Dice and HD95 of every class of every test volume.
 */
public final class MultiClassReport {
    /** The run-directory file with one row per test case. */
    public static final String PER_CASE = "per_case.csv";

    private MultiClassReport() {
    }

    /** DSC, HD95, then the mean Dice of each organ under its display name (class ids 1..C-1 in order). */
    public static Map<String, Double> tableMetrics(MultiClassMetrics.Summary s, List<String> organs) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("DSC", s.meanDice());
        m.put("HD95", s.meanHd95());
        for (int c = 1; c <= organs.size(); c++) {
            m.put(organs.get(c - 1), s.meanDice(c));
        }
        return m;
    }

    /** Mean HD95 of each organ under its display name (kept in summary.json's extra). */
    public static Map<String, Double> organHd95(MultiClassMetrics.Summary s, List<String> organs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int c = 1; c <= organs.size(); c++) {
            m.put(organs.get(c - 1), s.meanHd95(c));
        }
        return m;
    }

    /** per_case.csv: case, then {@code <organ>_dice} and {@code <organ>_hd95} per organ. */
    public static void writePerCase(Path file, MultiClassMetrics.Summary s, List<String> organs) {
        List<String> header = new ArrayList<>(List.of("case"));
        for (String o : organs) {
            header.add(o + "_dice");
            header.add(o + "_hd95");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < s.ids().size(); i++) {
            MultiClassMetrics.CaseResult r = s.result(i);
            List<String> row = new ArrayList<>(List.of(s.ids().get(i)));
            for (int c = 1; c <= organs.size(); c++) {
                row.add(TableAssembler.format(r.dice(c)));
                row.add(TableAssembler.format(r.hd95(c)));
            }
            rows.add(row);
        }
        Csv.write(file, header, rows);
    }
}
