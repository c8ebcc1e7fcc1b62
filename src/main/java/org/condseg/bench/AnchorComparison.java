package org.condseg.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;

/**
 * Our benchmark rows beside the official PyTorch code's figures on the same CPU (../shared/anchors/torch-cpu.csv),
 * matched on workload, network, batch, size and threads, with ratio = ours / anchor (below 1 = we are faster).
 */
public final class AnchorComparison {
    /** The default anchor file, relative to the project root. */
    public static final Path DEFAULT_FILE = Path.of("..", "shared", "anchors", "torch-cpu.csv");

    /** One anchor row (min/max/RSS NaN where the file leaves them blank). */
    public record Anchor(String workload, String network, int batch, int size, int threads, double medianMs,
            double minMs, double maxMs, double peakRssMb) {
        String matchKey() {
            return BenchRow.key(workload, network, batch, size, threads);
        }
    }

    /** A row of ours and its anchor, if any. */
    public record Match(BenchRow ours, Optional<Anchor> anchor) {
        /** ours / anchor median time, NaN without an anchor. */
        public double timeRatio() {
            return anchor.map(a -> ours.medianMs() / a.medianMs()).orElse(Double.NaN);
        }

        /** ours / anchor peak RSS, NaN without an anchor or either figure. */
        public double rssRatio() {
            return anchor.map(a -> ours.peakRssMb() > 0 ? ours.peakRssMb() / a.peakRssMb() : Double.NaN)
                    .orElse(Double.NaN);
        }
    }

    private final Map<String, Anchor> anchors;
    private final boolean ignoreThreads;

    private AnchorComparison(Map<String, Anchor> anchors, boolean ignoreThreads) {
        this.anchors = anchors;
        this.ignoreThreads = ignoreThreads;
    }

    /**
     * The same anchors, matched without the thread count (the first anchor in file order wins), for rows measured
     * with another thread count than the anchors' 2; the table then shows the anchor's thread count.
     */
    public AnchorComparison ignoringThreads() {
        return new AnchorComparison(anchors, true);
    }

    /** Reads the anchor file (columns workload,network,batch,size,threads,median_ms,min_ms,max_ms,peak_rss_mb). */
    public static AnchorComparison load(Path file) {
        Map<String, Anchor> map = new LinkedHashMap<>();
        try (Reader in = new StringReader(AtomicFiles.readString(file));
                CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            for (String col : List.of("workload", "network", "batch", "size", "threads", "median_ms")) {
                if (!parser.getHeaderNames().contains(col)) {
                    throw new UserError(file + ": missing column " + col);
                }
            }
            for (CSVRecord r : parser) {
                Anchor a = new Anchor(r.get("workload"), r.get("network"), BenchCsv.integer(file, r, "batch"),
                        BenchCsv.integer(file, r, "size"), BenchCsv.integer(file, r, "threads"),
                        BenchCsv.number(file, r, "median_ms"), BenchCsv.number(file, r, "min_ms"),
                        BenchCsv.number(file, r, "max_ms"), BenchCsv.number(file, r, "peak_rss_mb"));
                map.put(a.matchKey(), a);
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new UserError(file + ": unreadable CSV: " + e.getMessage(), e);
        }
        return new AnchorComparison(map, false);
    }

    /** All anchors, in file order. */
    public List<Anchor> anchors() {
        return List.copyOf(anchors.values());
    }

    /** The anchor with the same workload, network, batch, size and threads as {@code row}. */
    public Optional<Anchor> find(BenchRow row) {
        if (!ignoreThreads) {
            return Optional.ofNullable(anchors.get(row.matchKey()));
        }
        return anchors.values().stream().filter(a -> a.workload().equals(row.workload())
                && a.network().equals(row.network()) && a.batch() == row.batch() && a.size() == row.size()).findFirst();
    }

    /** Every row with its anchor (rows without one are kept, with an empty anchor). */
    public List<Match> match(List<BenchRow> rows) {
        List<Match> out = new ArrayList<>();
        for (BenchRow r : rows) {
            out.add(new Match(r, find(r)));
        }
        return out;
    }

    /** A text table of {@code rows} beside their anchors: medians, ratio ours/anchor, peak RSS and its ratio. */
    public String table(List<BenchRow> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-11s %-10s %5s %5s %3s %-8s %11s %11s %5s %7s %9s %9s %6s%n",
                "workload", "network", "batch", "size", "thr", "device", "ours ms", "torch ms", "thr", "ratio",
                "ours RSS", "torch RSS", "ratio"));
        for (Match m : match(rows)) {
            BenchRow r = m.ours();
            sb.append(String.format(Locale.ROOT, "%-11s %-10s %5d %5d %3d %-8s %11.1f %11s %5s %7s %9.0f %9s %6s%n",
                    r.workload(), r.network(), r.batch(), r.size(), r.threads(), r.device(), r.medianMs(),
                    m.anchor().map(a -> String.format(Locale.ROOT, "%.1f", a.medianMs())).orElse("-"),
                    m.anchor().map(a -> Integer.toString(a.threads())).orElse("-"), fmt(m.timeRatio()), r.peakRssMb(),
                    m.anchor().map(a -> Double.isNaN(a.peakRssMb()) ? "-" : String.format(Locale.ROOT, "%.0f",
                            a.peakRssMb())).orElse("-"),
                    fmt(m.rssRatio())));
        }
        return sb.toString();
    }

    private static String fmt(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
    }
}
