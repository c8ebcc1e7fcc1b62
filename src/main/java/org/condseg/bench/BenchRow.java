package org.condseg.bench;

import java.util.List;
import java.util.Locale;

/**
 * One row of results/bench/&lt;date&gt;.csv: a workload on a network at a batch, image size, thread count and device,
 * with its timing order statistics (ms), throughput and memory peaks (MiB; negative = unmeasured).
 */
public record BenchRow(String workload, String network, int batch, int size, int threads, String device,
        double medianMs, double minMs, double maxMs, double p10Ms, double p90Ms, double imagesPerS,
        double peakHeapMb, double peakOffheapMb, double peakRssMb, String notes) {

    /** The CSV header, in column order. */
    public static final List<String> HEADER = List.of("workload", "network", "batch", "size", "threads", "device",
            "median_ms", "min_ms", "max_ms", "p10_ms", "p90_ms", "images_per_s", "peak_heap_mb", "peak_offheap_mb",
            "peak_rss_mb", "notes");

    /**
     * A row from measured statistics; images per second are computed from {@code batch} and the median. The notes get
     * the caller's CPU median and the load average appended (e.g. "cpu=812ms load=3.10"), as the machine is shared.
     */
    public static BenchRow of(BenchStats s, String network, int batch, int size, int threads, String device,
            String notes) {
        MemoryPeaks m = s.memory();
        double ips = s.medianMs() > 0 ? batch * 1000.0 / s.medianMs() : 0;
        StringBuilder n = new StringBuilder(notes == null ? "" : notes);
        if (!Double.isNaN(s.cpuMedianMs())) {
            n.append(n.length() > 0 ? " " : "").append(String.format(Locale.ROOT, "cpu=%.0fms", s.cpuMedianMs()));
        }
        if (!Double.isNaN(s.loadAverage())) {
            n.append(n.length() > 0 ? " " : "").append(String.format(Locale.ROOT, "load=%.2f", s.loadAverage()));
        }
        return new BenchRow(s.workload(), network, batch, size, threads, device, s.medianMs(), s.minMs(), s.maxMs(),
                s.p10Ms(), s.p90Ms(), ips, m.heapMb(), m.offHeapMb(), m.rssMb(), n.toString());
    }

    /** The cells in {@link #HEADER} order (times to 0.1 ms, rates to 0.001, memory to 1 MiB). */
    public List<String> cells() {
        return List.of(workload, network, Integer.toString(batch), Integer.toString(size), Integer.toString(threads),
                device, f(medianMs, 1), f(minMs, 1), f(maxMs, 1), f(p10Ms, 1), f(p90Ms, 1), f(imagesPerS, 3),
                f(peakHeapMb, 0), f(peakOffheapMb, 0), f(peakRssMb, 0), notes);
    }

    /** The key that matches a row with an anchor: workload, network, batch, size, threads. */
    public String matchKey() {
        return key(workload, network, batch, size, threads);
    }

    static String key(String workload, String network, int batch, int size, int threads) {
        return workload + "|" + network + "|" + batch + "|" + size + "|" + threads;
    }

    private static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
