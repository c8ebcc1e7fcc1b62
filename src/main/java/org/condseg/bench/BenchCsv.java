package org.condseg.bench;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;

/** The benchmark results file: results/bench/&lt;yyyy-mm-dd&gt;.csv with {@link BenchRow#HEADER}, appended atomically. */
public final class BenchCsv {
    private BenchCsv() {
    }

    /** {@code resultsDir}/bench/{@code date}.csv, e.g. results/bench/2025-11-25.csv. */
    public static Path dailyFile(Path resultsDir, LocalDate date) {
        return resultsDir.resolve("bench").resolve(date + ".csv");
    }

    /** Appends {@code rows} to today's file under {@code resultsDir} and returns its path. */
    public static Path appendToday(Path resultsDir, List<BenchRow> rows) {
        Path f = dailyFile(resultsDir, LocalDate.now());
        append(f, rows);
        return f;
    }

    /** Appends {@code rows} to {@code file} (created with a header if absent): existing rows are kept, the whole file is rewritten atomically. */
    public static void append(Path file, List<BenchRow> rows) {
        List<List<String>> all = new ArrayList<>();
        if (Files.exists(file)) {
            for (BenchRow r : read(file)) {
                all.add(r.cells());
            }
        }
        for (BenchRow r : rows) {
            all.add(r.cells());
        }
        AtomicFiles.write(file, out -> {
            try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT.builder().setHeader(BenchRow.HEADER.toArray(String[]::new)).get())) {
                for (List<String> row : all) {
                    printer.printRecord(row);
                }
            }
        });
    }

    /** Reads a results file written by {@link #append}; a missing column or a malformed number is a {@link UserError}. */
    public static List<BenchRow> read(Path file) {
        try (Reader in = new StringReader(AtomicFiles.readString(file));
                CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            List<String> header = parser.getHeaderNames();
            if (!header.equals(BenchRow.HEADER)) {
                throw new UserError(file + ": unexpected columns " + header + "; expected " + BenchRow.HEADER
                        + " (move the old file aside)");
            }
            List<BenchRow> rows = new ArrayList<>();
            for (CSVRecord r : parser) {
                rows.add(new BenchRow(r.get("workload"), r.get("network"), integer(file, r, "batch"),
                        integer(file, r, "size"), integer(file, r, "threads"), r.get("device"),
                        number(file, r, "median_ms"), number(file, r, "min_ms"), number(file, r, "max_ms"),
                        number(file, r, "p10_ms"), number(file, r, "p90_ms"), number(file, r, "images_per_s"),
                        number(file, r, "peak_heap_mb"), number(file, r, "peak_offheap_mb"),
                        number(file, r, "peak_rss_mb"), r.get("notes")));
            }
            return rows;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new UserError(file + ": unreadable CSV: " + e.getMessage(), e);
        }
    }

    static int integer(Path file, CSVRecord r, String col) {
        try {
            return Integer.parseInt(r.get(col).trim());
        } catch (NumberFormatException e) {
            throw new UserError(file + " line " + r.getRecordNumber() + ": column " + col + " is not an integer: '"
                    + r.get(col) + "'");
        }
    }

    /** A number cell; blank reads as NaN. */
    static double number(Path file, CSVRecord r, String col) {
        String v = r.isSet(col) ? r.get(col).trim() : "";
        if (v.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UserError(file + " line " + r.getRecordNumber() + ": column " + col + " is not a number: '"
                    + v + "'");
        }
    }
}
