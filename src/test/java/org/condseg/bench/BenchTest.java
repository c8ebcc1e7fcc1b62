package org.condseg.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BenchTest {
    @Test
    void percentilesInterpolateLinearlyBetweenOrderStatistics() {
        double[] s = {1, 2, 3, 4, 5};
        assertEquals(3.0, BenchStats.percentile(s, 50), 1e-12);
        assertEquals(1.4, BenchStats.percentile(s, 10), 1e-12);
        assertEquals(4.6, BenchStats.percentile(s, 90), 1e-12);
        assertEquals(1.0, BenchStats.percentile(s, 0), 1e-12);
        assertEquals(5.0, BenchStats.percentile(s, 100), 1e-12);
        assertEquals(2.5, BenchStats.percentile(new double[] {1, 2, 3, 4}, 50), 1e-12);
        assertEquals(7.0, BenchStats.percentile(new double[] {7}, 90), 1e-12);
    }

    @Test
    void warmUpsAreRunButNotTimedAndSelfTimedStepsGiveExactStatistics() {
        AtomicInteger calls = new AtomicInteger();
        // call k (1-based) reports k ms; 2 warm-ups (1, 2 ms) then 5 reps reported out of order
        long[] reported = {1, 2, 7, 3, 5, 4, 6};
        BenchStats s = Bench.of("fake").warmups(2).reps(5).items(4).progress(m -> { })
                .runTimed(() -> reported[calls.getAndIncrement()] * 1_000_000L);
        assertEquals(7, calls.get());
        assertEquals(2, s.warmups());
        assertEquals(5, s.reps());
        assertArrayEquals(new double[] {7, 3, 5, 4, 6}, s.samplesMs(), 1e-9);
        assertEquals(5.0, s.medianMs(), 1e-9);
        assertEquals(3.0, s.minMs(), 1e-9);
        assertEquals(7.0, s.maxMs(), 1e-9);
        assertEquals(3.4, s.p10Ms(), 1e-9);
        assertEquals(6.6, s.p90Ms(), 1e-9);
        assertEquals(4 * 1000.0 / 5.0, s.itemsPerSec(), 1e-9);
    }

    @Test
    void wallTimesOfSleepsAreOrderedAndAtLeastTheSleep() {
        int[] sleeps = {2, 30, 5, 10, 20, 15, 25};
        AtomicInteger k = new AtomicInteger();
        List<String> lines = new ArrayList<>();
        BenchStats s = Bench.of("sleep").warmups(1).reps(6).progress(lines::add).run(() -> {
            try {
                Thread.sleep(sleeps[k.getAndIncrement()]);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(7, lines.size());
        assertTrue(lines.get(0).contains("warm-up 1/1"), lines.get(0));
        for (int i = 0; i < 6; i++) {
            assertTrue(s.samplesMs()[i] >= sleeps[i + 1] - 0.5, "rep " + i + " " + s.samplesMs()[i]);
        }
        assertTrue(s.minMs() <= s.p10Ms() && s.p10Ms() <= s.medianMs() && s.medianMs() <= s.p90Ms()
                && s.p90Ms() <= s.maxMs());
        assertTrue(s.minMs() >= 4.5 && s.maxMs() >= 30, s.toString());
        // the 30 ms rep is the slowest unless the machine stalls by > 5 ms; the 5 ms one the fastest unless it stalls
        assertTrue(s.medianMs() >= 15 && s.medianMs() < 1000, s.toString());
    }

    @Test
    void callerCpuTimeSeparatesSpinningFromSleeping() {
        BenchStats sleep = Bench.of("sleep").warmups(0).reps(3).progress(m -> { }).run(() -> {
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(sleep.cpuMedianMs() < 0.5 * sleep.medianMs(), sleep.toString());
        BenchStats spin = Bench.of("spin").warmups(0).reps(3).progress(m -> { }).run(() -> {
            long t0 = System.nanoTime();
            double x = 0;
            while (System.nanoTime() - t0 < 30_000_000L) {
                x += Math.sqrt(x + 1);
            }
            assertTrue(x > 0);
        });
        assertTrue(spin.cpuMedianMs() > 0 && spin.cpuMedianMs() <= spin.medianMs() + 1, spin.toString());
        assertTrue(spin.cpuMedianMs() > sleep.cpuMedianMs(), spin + " vs " + sleep);
        assertTrue(spin.loadAverage() >= 0, "load average read from /proc/loadavg");
    }

    @Test
    void peakHeapSeesALargeArrayHeldDuringTheStep() {
        BenchStats s = Bench.of("alloc").warmups(0).reps(1).samplePeriodMs(2).progress(m -> { }).run(() -> {
            byte[] big = new byte[96 << 20];
            big[big.length - 1] = 1;
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            assertEquals(1, big[big.length - 1]);
        });
        assertTrue(s.memory().heapMb() >= 90, s.memory().toString());
        assertTrue(s.memory().rssMb() > 0, s.memory().toString());
    }

    @Test
    void eachLineCountsThePageFaultsOfFreshNativeMemory() {
        List<String> lines = new ArrayList<>();
        long bytes = 256L << 20;
        Bench.of("touch").warmups(0).reps(1).progress(lines::add).run(() -> {
            org.bytedeco.javacpp.BytePointer p = new org.bytedeco.javacpp.BytePointer(bytes);
            try {
                for (long i = 0; i < bytes; i += 4096) {
                    p.put(i, (byte) 1); // a page at a time: ≥ 65,536 faults with 4 KB pages, ≥ 128 with 2 MB ones
                }
            } finally {
                p.close();
            }
        });
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("RSS \\d+ MB, (\\d+) page faults, [0-9.]+ s system CPU").matcher(lines.get(0));
        assertTrue(m.find(), lines.get(0));
        assertTrue(Long.parseLong(m.group(1)) >= 128, lines.get(0));
    }

    @Test
    void rejectsNonsenseCounts() {
        assertThrows(IllegalArgumentException.class, () -> Bench.of("x").reps(0));
        assertThrows(IllegalArgumentException.class, () -> Bench.of("x").warmups(-1));
        assertThrows(IllegalArgumentException.class, () -> Bench.of("x").items(0));
    }
}
