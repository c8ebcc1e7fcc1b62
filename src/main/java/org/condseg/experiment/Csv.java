package org.condseg.experiment;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;

/** CSV files with a header row (Commons CSV, RFC 4180), read whole and written atomically. */
final class Csv {
    /** The header and the rows as column to cell text (every column present, blank cells as ""). */
    record Table(List<String> header, List<Map<String, String>> rows) {
    }

    private Csv() {
    }

    static Table read(Path file) {
        try (Reader in = new StringReader(AtomicFiles.readString(file));
                CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            List<String> header = parser.getHeaderNames();
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord r : parser) {
                Map<String, String> row = new LinkedHashMap<>();
                for (String c : header) {
                    row.put(c, r.isSet(c) ? r.get(c) : "");
                }
                rows.add(row);
            }
            return new Table(header, rows);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new UserError(file + ": unreadable CSV: " + e.getMessage(), e);
        }
    }

    static void write(Path file, List<String> header, List<? extends List<String>> rows) {
        AtomicFiles.write(file, out -> {
            try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get())) {
                for (List<String> row : rows) {
                    printer.printRecord(row);
                }
            }
        });
    }
}
