package org.condseg.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Timing and memory figures of one benchmarked workload: order statistics of the per-repetition wall times (ms),
 * throughput, and the peaks seen while it ran.
 *
 * @param workload      name of the workload
 * @param warmups       untimed repetitions run first
 * @param samplesMs     wall time of every timed repetition, in run order
 * @param medianMs      median of the samples
 * @param minMs         fastest repetition
 * @param maxMs         slowest repetition
 * @param p10Ms         10th percentile (linear interpolation between order statistics)
 * @param p90Ms         90th percentile
 * @param itemsPerRep   items (images) processed by one repetition
 * @param itemsPerSec   items per second at the median time
 * @param memory        peaks seen during warm-up and timed repetitions
 * @param cpuMedianMs   median CPU time of the calling thread per repetition (NaN if unmeasured): with one native
 *                      thread it is the work itself, robust to other processes competing for the cores
 * @param loadAverage   the 1-minute load average when the timed repetitions ended (NaN where unknown)
 */
public record BenchStats(String workload, int warmups, double[] samplesMs, double medianMs, double minMs,
        double maxMs, double p10Ms, double p90Ms, int itemsPerRep, double itemsPerSec, MemoryPeaks memory,
        double cpuMedianMs, double loadAverage) {

    /** Builds the statistics of {@code samplesMs} (at least one sample), without CPU times or load. */
    public static BenchStats of(String workload, int warmups, double[] samplesMs, int itemsPerRep, MemoryPeaks memory) {
        return of(workload, warmups, samplesMs, null, itemsPerRep, memory, Double.NaN);
    }

    /** Builds the statistics of {@code samplesMs}, with the calling thread's CPU ms per repetition ({@code null}: none). */
    public static BenchStats of(String workload, int warmups, double[] samplesMs, double[] cpuMs, int itemsPerRep,
            MemoryPeaks memory, double loadAverage) {
        if (samplesMs.length == 0) {
            throw new IllegalArgumentException("no samples for " + workload);
        }
        double[] sorted = samplesMs.clone();
        Arrays.sort(sorted);
        double median = percentile(sorted, 50);
        double perSec = median > 0 ? itemsPerRep * 1000.0 / median : Double.POSITIVE_INFINITY;
        double cpu = Double.NaN;
        if (cpuMs != null && cpuMs.length > 0) {
            double[] c = cpuMs.clone();
            Arrays.sort(c);
            cpu = percentile(c, 50);
        }
        return new BenchStats(workload, warmups, samplesMs.clone(), median, sorted[0], sorted[sorted.length - 1],
                percentile(sorted, 10), percentile(sorted, 90), itemsPerRep, perSec, memory, cpu, loadAverage);
    }

    /** Percentile {@code p} (0..100) of ascending {@code sorted}, interpolating linearly (type 7, as numpy's default). */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Number of timed repetitions. */
    public int reps() {
        return samplesMs.length;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%s: median %.1f ms (min %.1f, p10 %.1f, p90 %.1f, max %.1f; %d reps after %d warm-ups; caller CPU %.1f ms),"
                        + " %.2f items/s, %s, load %.2f",
                workload, medianMs, minMs, p10Ms, p90Ms, maxMs, reps(), warmups, cpuMedianMs, itemsPerSec, memory,
                loadAverage);
    }
}
