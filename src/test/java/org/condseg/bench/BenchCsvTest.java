package org.condseg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCsvTest {
    @TempDir
    Path dir;

    static BenchRow row(String workload, int batch, double median, String notes) {
        return new BenchRow(workload, "condseg", batch, 64, 2, "cpu", median, median - 1, median + 2, median - 0.5,
                median + 1.5, batch * 1000.0 / median, 512, 1024, 2048, notes);
    }

    @Test
    void dailyFileIsUnderBenchNamedByIsoDate() {
        assertEquals(Path.of("results", "bench", "2025-03-07.csv"),
                BenchCsv.dailyFile(Path.of("results"), LocalDate.of(2025, 3, 7)));
    }

    @Test
    void appendKeepsEarlierRowsAndRoundTrips() throws IOException {
        Path f = BenchCsv.dailyFile(dir, LocalDate.of(2025, 1, 2));
        BenchRow a = row("train_step", 4, 1914.5, "first, with a comma");
        BenchRow b = row("inference", 1, 250.0, "");
        BenchCsv.append(f, List.of(a));
        BenchCsv.append(f, List.of(b, a));
        List<String> lines = Files.readAllLines(f);
        assertEquals(String.join(",", BenchRow.HEADER), lines.get(0));
        assertEquals(4, lines.size());
        List<BenchRow> back = BenchCsv.read(f);
        assertEquals(3, back.size());
        assertEquals("train_step", back.get(0).workload());
        assertEquals("first, with a comma", back.get(0).notes());
        assertEquals(1914.5, back.get(0).medianMs(), 1e-9);
        assertEquals(1916.5, back.get(0).maxMs(), 1e-9);
        assertEquals(4.0, back.get(1).imagesPerS(), 1e-9);
        assertEquals(b.cells(), back.get(1).cells());
        assertEquals(a.cells(), back.get(2).cells());
    }

    @Test
    void rowFromStatisticsComputesImagesPerSecondFromTheBatch() {
        BenchStats s = BenchStats.of("train_step", 1, new double[] {400, 500, 600}, 4, new MemoryPeaks(1, 2, 3, true));
        BenchRow r = BenchRow.of(s, "condseg", 4, 64, 2, "cpu", null);
        assertEquals(8.0, r.imagesPerS(), 1e-9);
        assertEquals(500.0, r.medianMs(), 1e-9);
        assertEquals(3.0, r.peakRssMb(), 1e-9);
        assertEquals("", r.notes());
        assertEquals(BenchRow.HEADER.size(), r.cells().size());
        BenchStats withCpu = BenchStats.of("inference", 0, new double[] {100}, new double[] {80}, 1,
                new MemoryPeaks(1, 2, 3, true), 2.5);
        assertEquals("cold cpu=80ms load=2.50", BenchRow.of(withCpu, "net0", 1, 256, 1, "cpu", "cold").notes());
    }

    @Test
    void foreignHeaderIsAUserErrorNamingTheFile() throws IOException {
        Path f = dir.resolve("old.csv");
        Files.writeString(f, "a,b\n1,2\n");
        UserError e = assertThrows(UserError.class, () -> BenchCsv.append(f, List.of(row("x", 1, 1, ""))));
        assertTrue(e.getMessage().contains("old.csv"), e.getMessage());
        assertEquals("a,b\n1,2\n", Files.readString(f));
    }

    @Test
    void malformedNumberNamesColumnAndLine() throws IOException {
        Path f = dir.resolve("bad.csv");
        BenchCsv.append(f, List.of(row("x", 1, 10, "")));
        Files.writeString(f, Files.readString(f).replace(",cpu,10.0,", ",cpu,ten,"));
        UserError e = assertThrows(UserError.class, () -> BenchCsv.read(f));
        assertTrue(e.getMessage().contains("median_ms"), e.getMessage());
    }
}
