package org.condseg.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;

/**
 * Everything an experiment writes besides its run folders, rebuilt from them alone (no training): results/EXP/table.csv
 * with a status per row (unavailable data or models and quoted paper rows included, never left out), the
 * paper-vs-measured Markdown (ablations/EXP.md for ablations, results/EXP/report.md for comparisons) and, where the
 * config's {@code report.plot} asks for one, a PNG beside it. Also the {@code --dry-run} list of the paper's rows.
 */
public final class ExperimentReport {
    /** What was written; {@code paperLayout} null without a paper table, {@code plot} null when nothing was drawn. */
    public record Outputs(Path table, Path paperLayout, Path markdown, Path plot) {
    }

    /** The measured numbers in the paper table's own rows and columns: results/EXP/paper_layout.csv. */
    public static final String PAPER_LAYOUT = "paper_layout.csv";

    private static final List<String> SCALE_COLUMNS = List.of("dataset", "image_size", "train_subset", "model",
            "encoder", "width", "strategy", "stage1_epochs", "stage2_epochs", "batch", "threads", "device", "status");

    private ExperimentReport() {
    }

    /** The Markdown file of an experiment: ablations/EXP.md (beside the results root) or results/EXP/report.md. */
    public static Path markdownPath(ExperimentPlan p) {
        if (p.report().kind().equals(ReportSpec.ABLATION)) {
            return p.resultsRoot().toAbsolutePath().normalize().resolveSibling("ablations")
                    .resolve(p.experiment() + ".md");
        }
        return p.experimentDir().resolve("report.md");
    }

    /** The PNG beside the Markdown: ablations/EXP.png or results/EXP/plot.png. */
    public static Path plotPath(ExperimentPlan p) {
        Path md = markdownPath(p);
        return md.resolveSibling(p.report().kind().equals(ReportSpec.ABLATION) ? p.experiment() + ".png" : "plot.png");
    }

    /** Group (or quoted paper row) to its status, for every group without a finished run. */
    public static Map<String, String> notes(ExperimentPlan p) {
        Map<String, String> notes = new LinkedHashMap<>();
        Set<String> finished = new LinkedHashSet<>();
        for (RunSpec<ExperimentConfig> run : p.runs()) {
            Summary s = RunDirectory.at(p.experimentDir().resolve(run.name())).summary();
            if (s != null && s.isFinished()) {
                finished.add(run.group());
                continue;
            }
            String problem = p.problem(run);
            String note = problem != null ? problem : s == null ? Availability.NOT_RUN
                    : s.status + (s.extra.get("error") == null ? "" : ": " + s.extra.get("error"));
            notes.putIfAbsent(run.group(), note);
        }
        finished.forEach(notes::remove);
        p.report().quoted().forEach(r -> notes.put(r, Availability.QUOTED));
        return notes;
    }

    /** Rebuild table.csv, the Markdown and the plot from the run folders. */
    public static Outputs write(ExperimentPlan p) {
        Path dir = p.experimentDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Path paper = p.paperTable();
        if (paper != null && !Files.isRegularFile(paper)) {
            throw new UserError(p.loaded().file() + ": paperTable " + paper + " does not exist");
        }
        List<String> order = new ArrayList<>(p.groups());
        order.addAll(p.report().quoted());
        Path table = TableAssembler.assemble(dir, order, notes(p));
        Path layout = paper == null ? null : paperLayout(p, table, paper, dir.resolve(PAPER_LAYOUT));
        Path md = markdownPath(p);
        Path png = ReportPlot.write(p, table, paper, plotPath(p));
        AtomicFiles.writeString(md, markdown(p, table, paper, md, png));
        return new Outputs(table, layout, md, png);
    }

    /**
     * The paper's table with measured means (× report.scale, 6 significant digits) in its cells, and a last column
     * {@code status}: "finished", the quoted-row note, or each unfinished group with its status.
     */
    static Path paperLayout(ExperimentPlan p, Path table, Path paper, Path out) {
        ReportSpec spec = p.report();
        Csv.Table t = Csv.read(paper);
        Map<String, Map<String, String>> measured = TableAssembler.read(table);
        List<String> header = new ArrayList<>(t.header());
        header.add("status");
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, String> paperRow : t.rows()) {
            String label = paperRow.get(t.header().get(0));
            List<String> row = new ArrayList<>(List.of(label));
            Set<String> problems = new LinkedHashSet<>();
            for (String column : t.header().subList(1, t.header().size())) {
                String group = spec.groupFor(label, column);
                Map<String, String> m = spec.isQuoted(label) ? null : measured.get(group);
                String mean = m == null ? "" : m.getOrDefault(spec.metricFor(column) + "_mean", "");
                row.add(mean.isEmpty() ? "" : TableAssembler.format(Double.parseDouble(mean) * spec.scale()));
                String status = m == null ? Availability.NOT_RUN : m.getOrDefault("status", "finished");
                if (!spec.isQuoted(label) && !status.equals("finished")) {
                    problems.add(group + ": " + status);
                }
            }
            row.add(spec.isQuoted(label) ? Availability.QUOTED : problems.isEmpty() ? "finished" : String.join("; ", problems));
            rows.add(row);
        }
        Csv.write(out, header, rows);
        return out;
    }

    static String markdown(ExperimentPlan p, Path table, Path paper, Path md, Path png) {
        ReportSpec spec = p.report();
        String description = p.runs().isEmpty() ? "" : p.runs().get(0).config().description;
        String profile = p.loaded().profile();
        StringBuilder out = new StringBuilder("# ").append(p.experiment()).append(": paper vs measured\n\n");
        if (!description.isBlank()) {
            out.append(description).append("\n\n");
        }
        out.append("- Config: `").append(p.loaded().file()).append("`, profile `").append(profile == null ? "none" : profile)
                .append("`. Measured: `").append(table).append("`.\n");
        out.append("- Rebuilt from the run folders, without training, by `./condseg report ").append(p.loaded().file())
                .append(profile == null ? "" : " --profile " + profile).append("` (plus the run's --set options, if any).\n");
        if (paper != null) {
            out.append("- Paper: `").append(paper).append("`, typed in from the paper. An empty paper cell (—) is a number")
                    .append(" not available here (experiments/README.md). Measured values × ").append(fmt(spec.scale()))
                    .append(".\n\n");
            out.append(PaperComparison.render(paper, table, (row, column) -> new PaperComparison.Cell(
                    spec.groupFor(row, column), spec.metricFor(column)), spec.scale(),
                    row -> spec.isQuoted(row) ? Availability.QUOTED : null));
            List<String> unread = unreadGroups(p, paper);
            if (!unread.isEmpty()) {
                out.append("\nCells no paper row reads: ").append(String.join(", ", unread)).append(".\n");
            }
        }
        out.append("\n## Scale of the measured rows\n\n").append(scaleTable(table));
        if (png != null) {
            out.append("\n![").append(p.experiment()).append("](").append(md.toAbsolutePath().getParent()
                    .relativize(png.toAbsolutePath())).append(")\n");
        } else if (spec.plot() != null) {
            out.append("\nPlot: no finished run to draw yet.\n");
        }
        return out.toString();
    }

    /** The scale columns and status of every table row, so that a quick CPU run is never read as a paper-scale one. */
    private static String scaleTable(Path table) {
        Csv.Table t = Csv.read(table);
        List<String> cols = new ArrayList<>(List.of("run", "n_seeds"));
        SCALE_COLUMNS.stream().filter(t.header()::contains).forEach(cols::add);
        StringBuilder s = new StringBuilder("| ").append(String.join(" | ", cols)).append(" |\n|");
        cols.forEach(c -> s.append("---|"));
        s.append('\n');
        for (Map<String, String> row : t.rows()) {
            s.append('|');
            for (String c : cols) {
                s.append(' ').append(row.getOrDefault(c, "").replace("|", "/")).append(" |");
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** Planned groups that no paper cell maps to. */
    private static List<String> unreadGroups(ExperimentPlan p, Path paper) {
        Set<String> read = new LinkedHashSet<>();
        Csv.Table t = Csv.read(paper);
        for (Map<String, String> row : t.rows()) {
            String label = row.get(t.header().get(0));
            t.header().subList(1, t.header().size()).forEach(c -> read.add(p.report().groupFor(label, c)));
        }
        return p.groups().stream().filter(g -> !read.contains(g)).toList();
    }

    /**
     * The {@code --dry-run} section on the paper's table: each paper row with the cells that fill it (and the cells
     * it expects that this config does not plan), quoted rows, and cells no paper row reads.
     */
    public static String paperRows(ExperimentPlan p) {
        Path paper = p.paperTable();
        if (paper == null) {
            return "paper table: none\n";
        }
        if (!Files.isRegularFile(paper)) {
            return "paper table: " + paper + " (missing)\n";
        }
        Csv.Table t = Csv.read(paper);
        List<String> planned = p.groups();
        StringBuilder out = new StringBuilder("paper rows of ").append(paper).append(" (row <- cells):\n");
        for (Map<String, String> row : t.rows()) {
            String label = row.get(t.header().get(0));
            if (p.report().isQuoted(label)) {
                out.append("  ").append(label).append("  <- ").append(Availability.QUOTED).append('\n');
                continue;
            }
            Set<String> wanted = new LinkedHashSet<>();
            t.header().subList(1, t.header().size()).forEach(c -> wanted.add(p.report().groupFor(label, c)));
            List<String> filled = wanted.stream().filter(planned::contains).toList();
            List<String> missing = wanted.stream().filter(g -> !planned.contains(g)).toList();
            out.append("  ").append(label).append("  <- ").append(filled.isEmpty() ? "no cell" : String.join(", ", filled));
            if (!missing.isEmpty()) {
                out.append(filled.isEmpty() ? " (expects " : " (no cell for ").append(String.join(", ", missing)).append(')');
            }
            out.append('\n');
        }
        List<String> unread = unreadGroups(p, paper);
        if (!unread.isEmpty()) {
            out.append("cells no paper row reads: ").append(String.join(", ", unread)).append('\n');
        }
        return out.toString();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
