package org.condseg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnchorComparisonTest {
    @TempDir
    Path dir;

    static BenchRow ours(String workload, String network, int batch, int size, int threads, double ms, double rss) {
        return new BenchRow(workload, network, batch, size, threads, "cpu", ms, ms, ms, ms, ms, 1, 1, 1, rss, "");
    }

    @Test
    void matchesOnWorkloadNetworkBatchSizeAndThreads() throws IOException {
        Path f = dir.resolve("torch-cpu.csv");
        Files.writeString(f, """
                workload,network,batch,size,threads,median_ms,min_ms,max_ms,peak_rss_mb
                train_step,condseg,4,64,2,2000,1619,2212,1500
                inference,condseg,1,64,2,400,,,
                """);
        AnchorComparison cmp = AnchorComparison.load(f);
        assertEquals(2, cmp.anchors().size());
        assertTrue(Double.isNaN(cmp.anchors().get(1).minMs()));
        List<AnchorComparison.Match> m = cmp.match(List.of(ours("train_step", "condseg", 4, 64, 2, 1000, 3000),
                ours("train_step", "condseg", 4, 64, 1, 1000, 3000), ours("inference", "condseg", 1, 64, 2, 600, 900)));
        assertEquals(0.5, m.get(0).timeRatio(), 1e-12);
        assertEquals(2.0, m.get(0).rssRatio(), 1e-12);
        assertFalse(m.get(1).anchor().isPresent(), "a different thread count must not match");
        assertTrue(Double.isNaN(m.get(1).timeRatio()));
        assertEquals(1.5, m.get(2).timeRatio(), 1e-12);
        assertTrue(Double.isNaN(m.get(2).rssRatio()), "blank anchor RSS gives no ratio");
        String table = cmp.table(List.of(ours("train_step", "condseg", 4, 64, 2, 1000, 3000)));
        assertTrue(table.contains("0.50") && table.contains("2000.0"), table);
    }

    @Test
    void ignoringThreadsMatchesAOneThreadRowToTheTwoThreadAnchor() throws IOException {
        Path f = dir.resolve("a.csv");
        Files.writeString(f, "workload,network,batch,size,threads,median_ms\ninference,net0,1,256,2,3000\n");
        BenchRow one = ours("inference", "net0", 1, 256, 1, 1500, 100);
        AnchorComparison strict = AnchorComparison.load(f);
        assertFalse(strict.find(one).isPresent());
        AnchorComparison loose = strict.ignoringThreads();
        assertEquals(0.5, loose.match(List.of(one)).get(0).timeRatio(), 1e-12);
        assertFalse(loose.find(ours("inference", "net0", 1, 128, 1, 1, 1)).isPresent());
    }

    @Test
    void sharedAnchorFileLoadsWithTheCondsegRows() {
        AnchorComparison cmp = AnchorComparison.load(AnchorComparison.DEFAULT_FILE);
        assertTrue(cmp.find(ours("inference", "condseg", 1, 256, 2, 1, 1)).isPresent());
        assertTrue(cmp.find(ours("train_step", "condseg", 4, 64, 2, 1, 1)).isPresent());
        assertTrue(cmp.anchors().stream().allMatch(a -> a.medianMs() > 0));
    }
}
