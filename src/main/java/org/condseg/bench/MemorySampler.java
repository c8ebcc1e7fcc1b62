package org.condseg.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;

/**
 * Samples heap and off-heap use on a daemon thread while a workload runs, and reports their peaks.
 * Heap: the larger of the sampled MemoryMXBean total and the largest heap pool's peak usage (reset at start). Off-heap: JavaCPP's
 * {@link Pointer#totalBytes()} (what ND4J's native buffers hold). RSS: the kernel's VmHWM from /proc/self/status,
 * reset at start by writing "5" to /proc/self/clear_refs where allowed.
 */
public final class MemorySampler implements AutoCloseable {
    private static final double MB = 1024.0 * 1024.0;
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private final long periodMs;
    private final Thread thread;
    private final boolean rssReset;
    private volatile boolean running = true;
    private volatile long peakHeap;
    private volatile long peakOffHeap;

    private MemorySampler(long periodMs) {
        this.periodMs = periodMs;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
        rssReset = resetPeakRss();
        sample();
        thread = new Thread(this::loop, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts sampling every {@code periodMs} milliseconds (≥ 1). */
    public static MemorySampler start(long periodMs) {
        return new MemorySampler(Math.max(1, periodMs));
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long off = Pointer.totalBytes();
        if (heap > peakHeap) {
            peakHeap = heap;
        }
        if (off > peakOffHeap) {
            peakOffHeap = off;
        }
    }

    /** Stops sampling and returns the peaks since {@link #start}. */
    public MemoryPeaks stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        long poolPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
                poolPeak = Math.max(poolPeak, pool.getPeakUsage().getUsed());
            }
        }
        // The sampled total can miss a short peak between samples; a single pool's peak cannot exceed the true one.
        double heap = Math.max(peakHeap, poolPeak) / MB;
        return new MemoryPeaks(heap, peakOffHeap / MB, peakRssMb(), rssReset);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    /** The process's peak resident set (VmHWM) in MiB, or -1 where /proc is missing. */
    public static double peakRssMb() {
        return statusKb("VmHWM:") / 1024.0;
    }

    /** The process's current resident set (VmRSS) in MiB, or -1 where /proc is missing. */
    public static double rssMb() {
        return statusKb("VmRSS:") / 1024.0;
    }

    /**
     * The process's minor page faults and system CPU seconds so far (/proc/self/stat fields 10 and 15, at 100 ticks a
     * second), or {-1, NaN} where /proc is missing: what fresh native memory costs shows up here, not in the heap.
     */
    public static double[] faultsAndSystemSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new double[] {Double.parseDouble(f[7]), Double.parseDouble(f[12]) / 100.0};
        } catch (IOException | RuntimeException e) {
            return new double[] {-1, Double.NaN};
        }
    }

    private static double statusKb(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Double.parseDouble(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: reported as unmeasured
        }
        return -1024.0;
    }

    /** Resets VmHWM to the current RSS (Linux ≥ 4.0); false where not permitted. */
    static boolean resetPeakRss() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
