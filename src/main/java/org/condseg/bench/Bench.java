package org.condseg.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a named workload W times untimed (warm-up), then N times timed, and returns the order statistics of the
 * timed repetitions with the memory peaks seen meanwhile, the calling thread's CPU time and the load average. Usage:
 * <pre>{@code
 * BenchStats s = Bench.of("train_step").warmups(2).reps(5).items(4).run(() -> trainer.step(batch));
 * BenchStats t = Bench.of("inference").runTimed(() -> { prepare(); return Bench.time(net::forward); });
 * }</pre>
 */
public final class Bench {
    private static final Logger LOG = LoggerFactory.getLogger(Bench.class);

    /** A repetition that times itself (e.g. to leave its set-up out) and returns the elapsed nanoseconds. */
    @FunctionalInterface
    public interface TimedStep {
        long runNanos();
    }

    private final String name;
    private int warmups = 2;
    private int reps = 5;
    private int items = 1;
    private long samplePeriodMs = 20;
    private Consumer<String> progress = LOG::info;

    private Bench(String name) {
        this.name = Objects.requireNonNull(name);
    }

    /** A benchmark of the workload {@code name}, by default 2 warm-ups, 5 repetitions, 1 item per repetition. */
    public static Bench of(String name) {
        return new Bench(name);
    }

    /** Untimed repetitions run first (≥ 0). */
    public Bench warmups(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("warmups must be >= 0, got " + n);
        }
        this.warmups = n;
        return this;
    }

    /** Timed repetitions (≥ 1). */
    public Bench reps(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("reps must be >= 1, got " + n);
        }
        this.reps = n;
        return this;
    }

    /** Items (images) one repetition processes, for the throughput (≥ 1). */
    public Bench items(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("items must be >= 1, got " + n);
        }
        this.items = n;
        return this;
    }

    /** Period of the memory sampler in milliseconds. */
    public Bench samplePeriodMs(long ms) {
        this.samplePeriodMs = ms;
        return this;
    }

    /** Where a line per repetition goes (default: the log at INFO); {@code s -> {}} silences it. */
    public Bench progress(Consumer<String> sink) {
        this.progress = Objects.requireNonNull(sink);
        return this;
    }

    /** Times whole calls of {@code step}. */
    public BenchStats run(Runnable step) {
        return runTimed(() -> time(step));
    }

    /** Times by what {@code step} reports. */
    public BenchStats runTimed(TimedStep step) {
        double[] samples = new double[reps];
        double[] cpu = new double[reps];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuOn = threads.isCurrentThreadCpuTimeSupported();
        MemorySampler sampler = MemorySampler.start(samplePeriodMs);
        MemoryPeaks peaks;
        try {
            for (int i = 0; i < warmups; i++) {
                double[] k0 = MemorySampler.faultsAndSystemSeconds();
                double ms = step.runNanos() / 1e6;
                progress.accept(String.format(Locale.ROOT, "%s warm-up %d/%d: %.1f ms, %s", name, i + 1, warmups, ms,
                        memoryLine(k0)));
            }
            for (int i = 0; i < reps; i++) {
                double[] k0 = MemorySampler.faultsAndSystemSeconds();
                long c0 = cpuOn ? threads.getCurrentThreadCpuTime() : 0;
                samples[i] = step.runNanos() / 1e6;
                cpu[i] = cpuOn ? (threads.getCurrentThreadCpuTime() - c0) / 1e6 : Double.NaN;
                progress.accept(String.format(Locale.ROOT, "%s rep %d/%d: %.1f ms, %s", name, i + 1, reps, samples[i],
                        memoryLine(k0)));
            }
        } finally {
            peaks = sampler.stop();
        }
        return BenchStats.of(name, warmups, samples, cpuOn ? cpu : null, items, peaks, loadAverage());
    }

    /** RSS now, and the page faults and system CPU time since {@code before} (a {@link MemorySampler} reading). */
    private static String memoryLine(double[] before) {
        double[] now = MemorySampler.faultsAndSystemSeconds();
        return String.format(Locale.ROOT, "RSS %.0f MB, %.0f page faults, %.1f s system CPU", MemorySampler.rssMb(),
                now[0] - before[0], now[1] - before[1]);
    }

    /** The 1-minute load average from /proc/loadavg, NaN where unavailable. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Wall time of one call of {@code r}, in nanoseconds. */
    public static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }
}
