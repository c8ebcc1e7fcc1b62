package org.condseg.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Measures SameDiff's per-op overhead and compute floors on synthetic graphs, to choose start-up settings.
 * Usage: {@code java -cp ... org.condseg.bench.OverheadProbe EXPERIMENT [key=value ...]} where EXPERIMENT is
 * {@code chain} (n), {@code raw} (n: the same chain as direct INDArray calls), {@code stack} (blocks, c, size, batch,
 * norm=HAND|FUSED|NONE), {@code conv} (c, size, batch), {@code convshape} (conv2d vs im2col per model conv shape:
 * shapes, batch, rounds, threads), {@code alloc} (mb: one uninitialised float array of that size made and closed, as
 * a session does for each op output, by ND4J and by {@link org.condseg.util.UnfilledArrays}; run it with and without
 * the launcher's {@code GLIBC_TUNABLES}) and the keys
 * {@code reps}, {@code warmups}, {@code setup} (apply {@link Nd4jSetup#configure()} first), {@code profile} (print an
 * op-time table). Prints one {@code RESULT}
 * line per measurement, with the load average.
 */
public final class OverheadProbe {
    private OverheadProbe() {
    }

    public static void main(String[] args) {
        org.condseg.util.NativeBackend.select();
        String exp = args.length > 0 ? args[0] : "chain";
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] p = args[i].split("=", 2);
            kv.put(p[0], p.length > 1 ? p[1] : "true");
        }
        if (Boolean.parseBoolean(kv.getOrDefault("setup", "false"))) {
            Nd4jSetup.configure();
        }
        applyLevers(kv);
        int reps = Integer.parseInt(kv.getOrDefault("reps", "7"));
        int warm = Integer.parseInt(kv.getOrDefault("warmups", "3"));
        String load0 = loadAverage();
        String res = switch (exp) {
            case "chain" -> graph(SyntheticGraphs.elementwiseChain(Integer.parseInt(kv.getOrDefault("n", "300"))), warm,
                    reps, kv);
            case "raw" -> raw(Integer.parseInt(kv.getOrDefault("n", "300")), warm, reps);
            case "stack" -> graph(SyntheticGraphs.convStack(Integer.parseInt(kv.getOrDefault("blocks", "8")),
                    Integer.parseInt(kv.getOrDefault("c", "32")), Integer.parseInt(kv.getOrDefault("batch", "4")),
                    Integer.parseInt(kv.getOrDefault("size", "32")),
                    SyntheticGraphs.Norm.valueOf(kv.getOrDefault("norm", "HAND"))), warm, reps, kv);
            case "suite" -> "CHAIN " + graph(SyntheticGraphs.elementwiseChain(300), 10, 9, kv) + " STACK "
                    + graph(SyntheticGraphs.convStack(8, 32, 4, 32, SyntheticGraphs.Norm.HAND), 3, 5, kv);
            case "ab" -> ab(kv.getOrDefault("lever", "threads"), Integer.parseInt(kv.getOrDefault("rounds", "6")));
            case "norms" -> norms(Integer.parseInt(kv.getOrDefault("c", "32")), Integer.parseInt(kv.getOrDefault("size", "32")),
                    Integer.parseInt(kv.getOrDefault("rounds", "5")));
            case "convimpl" -> convImpls(Integer.parseInt(kv.getOrDefault("c", "64")),
                    Integer.parseInt(kv.getOrDefault("size", "64")), Integer.parseInt(kv.getOrDefault("batch", "4")),
                    Integer.parseInt(kv.getOrDefault("rounds", "4")));
            case "convshape" -> convShapes(kv.getOrDefault("shapes", MODEL_CONV_SHAPES),
                    Integer.parseInt(kv.getOrDefault("batch", "4")), Integer.parseInt(kv.getOrDefault("rounds", "3")),
                    Integer.parseInt(kv.getOrDefault("threads", "1")));
            case "conv" -> graph(SyntheticGraphs.singleConv(Integer.parseInt(kv.getOrDefault("c", "64")),
                    Integer.parseInt(kv.getOrDefault("c", "64")), Integer.parseInt(kv.getOrDefault("batch", "4")),
                    Integer.parseInt(kv.getOrDefault("size", "64")), kv.getOrDefault("format", "NCHW"),
                    WeightsFormat.valueOf(kv.getOrDefault("weights", "YXIO"))), warm, reps, kv);
            case "alloc" -> alloc(Long.parseLong(kv.getOrDefault("mb", "32")), warm, reps);
            default -> throw new IllegalArgumentException("unknown experiment " + exp
                    + "; valid: chain, raw, stack, conv, alloc");
        };
        System.out.println("RESULT exp=" + exp + " " + kv + " " + res + " threads=" + System.getenv("OMP_NUM_THREADS")
                + " load=" + load0 + "->" + loadAverage());
    }

    /**
     * Median ms to make and close one uninitialised float array of {@code mb} MiB, and the page faults per array: what
     * every op output cost a session that does not reuse buffers (libnd4j zero-fills "uninitialised" buffers too);
     * then the same for an {@link org.condseg.util.UnfilledArrays} array, as training steps now make them.
     */
    static String alloc(long mb, int warm, int reps) {
        long n = (mb << 20) / 4;
        double[] k0 = MemorySampler.faultsAndSystemSeconds();
        double nd4j = allocMs(warm, reps, () -> Nd4j.createUninitializedDetached(DataType.FLOAT, n).close());
        double faults = (MemorySampler.faultsAndSystemSeconds()[0] - k0[0]) / ((warm + reps) * (double) ALLOCS_PER_REP);
        double unfilled = allocMs(warm, reps, () -> org.condseg.nn.SessionMemory.closeArray(
                org.condseg.util.UnfilledArrays.create(DataType.FLOAT, 'c', new long[] {n})));
        return String.format(Locale.ROOT, "alloc_ms=%.3f faults_per_array=%.0f unfilled_alloc_ms=%.3f mb=%d malloc=%s",
                nd4j, faults, unfilled, mb,
                org.condseg.util.NativeBackend.allocatorKeepsFreedMemory() ? "kept" : "glibc-default");
    }

    private static final int ALLOCS_PER_REP = 20;

    /** Median ms per call of {@code alloc}, timed by {@link Bench} over repetitions of {@link #ALLOCS_PER_REP} calls. */
    private static double allocMs(int warm, int reps, Runnable alloc) {
        BenchStats s = Bench.of("alloc").warmups(warm).reps(reps).progress(m -> { }).run(() -> {
            for (int i = 0; i < ALLOCS_PER_REP; i++) {
                alloc.run();
            }
        });
        return s.medianMs() / ALLOCS_PER_REP;
    }

    /** In-process settings named on the command line (each one alone, to measure it). */
    static void applyLevers(Map<String, String> kv) {
        var env = Nd4j.getEnvironment();
        if (kv.containsKey("prof")) {
            Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.valueOf(kv.get("prof")));
        }
        if (kv.containsKey("tadthr")) {
            env.setTadThreshold(Integer.parseInt(kv.get("tadthr")));
        }
        if (kv.containsKey("elemthr")) {
            env.setElementwiseThreshold(Integer.parseInt(kv.get("elemthr")));
        }
        if (kv.containsKey("maxthreads")) {
            env.setMaxThreads(Integer.parseInt(kv.get("maxthreads")));
            env.setMaxMasterThreads(Integer.parseInt(kv.get("maxthreads")));
        }
        if (kv.containsKey("helpers")) {
            env.allowHelpers(Boolean.parseBoolean(kv.get("helpers")));
        }
        if (kv.containsKey("debug")) {
            boolean on = Boolean.parseBoolean(kv.get("debug"));
            Nd4j.getExecutioner().enableDebugMode(on);
            Nd4j.getExecutioner().enableVerboseMode(on);
        }
    }

    /** Forward (sd.output) and forward+backward (sd.calculateGradients) medians, and µs per executed op. */
    static String graph(SyntheticGraphs.Graph g, int warm, int reps, Map<String, String> kv) {
        SameDiff sd = g.sd();
        if (kv.containsKey("cache")) {
            sd.setEnableCache(Boolean.parseBoolean(kv.get("cache")));
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, g.inputShape());
        Map<String, INDArray> ph = Map.of("x", x);
        boolean fwdOnly = Boolean.parseBoolean(kv.getOrDefault("fwdonly", "false"));
        boolean profile = Boolean.parseBoolean(kv.getOrDefault("profile", "false"));
        // count executed ops once, with a listener
        OpTimingListener l = new OpTimingListener();
        sd.setListeners(l);
        sd.output(ph, "out");
        long fwdOps = l.opCount();
        long gradOps = 0;
        if (!fwdOnly) {
            l.reset();
            sd.calculateGradients(ph, g.trainable());
            gradOps = l.opCount();
        }
        if (profile) {
            l.reset();
            for (int i = 0; i < 3; i++) {
                sd.output(ph, "out");
            }
            System.out.println("forward ×3:\n" + l.top(15));
            if (!fwdOnly) {
                l.reset();
                for (int i = 0; i < 3; i++) {
                    sd.calculateGradients(ph, g.trainable());
                }
                System.out.println("forward+backward ×3:\n" + l.top(25));
            }
        }
        sd.setListeners();
        BenchStats f = Bench.of("fwd").warmups(warm).reps(reps).progress(s -> { }).run(() -> sd.output(ph, "out"));
        double[] fc = cpuMedian(warm, reps, () -> sd.output(ph, "out"));
        String out = String.format(Locale.ROOT,
                "fwd_ops=%d fwd_ms=%.2f (min %.2f max %.2f) fwd_us_op=%.1f fwd_cpu_ms=%.2f fwd_cpu_us_op=%.1f", fwdOps,
                f.medianMs(), f.minMs(), f.maxMs(), 1000 * f.medianMs() / fwdOps, fc[0], 1000 * fc[0] / fwdOps);
        if (!fwdOnly) {
            List<String> vars = g.trainable();
            BenchStats b = Bench.of("grad").warmups(warm).reps(reps).progress(s -> { })
                    .run(() -> sd.calculateGradients(ph, vars));
            double[] bc = cpuMedian(1, reps, () -> sd.calculateGradients(ph, vars));
            long bwdOps = gradOps - fwdOps;
            out += String.format(Locale.ROOT,
                    " grad_ops=%d grad_ms=%.2f (min %.2f max %.2f) bwd_only_ms=%.2f bwd_us_op=%.1f grad_cpu_ms=%.2f"
                            + " bwd_cpu_us_op=%.1f rss=%.0fMB",
                    gradOps, b.medianMs(), b.minMs(), b.maxMs(), b.medianMs() - f.medianMs(),
                    1000 * (b.medianMs() - f.medianMs()) / bwdOps, bc[0], 1000 * (bc[0] - fc[0]) / bwdOps,
                    b.memory().rssMb());
        }
        return out;
    }

    /** Median calling-thread CPU ms of {@code reps} calls after {@code warm}; [median, min]. */
    static double[] cpuMedian(int warm, int reps, Runnable r) {
        for (int i = 0; i < warm; i++) {
            r.run();
        }
        double[] c = new double[reps];
        for (int i = 0; i < reps; i++) {
            long c0 = cpuNanos();
            r.run();
            c[i] = (cpuNanos() - c0) / 1e6;
        }
        Arrays.sort(c);
        return new double[] {BenchStats.percentile(c, 50), c[0]};
    }

    /** The elementwise chain as direct INDArray calls: the native-call floor without SameDiff. */
    static String raw(int n, int warm, int reps) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 16);
        INDArray w = Nd4j.rand(DataType.FLOAT, 1, 16).addi(0.5);
        BenchStats s = Bench.of("raw").warmups(warm).reps(reps).progress(m -> { }).run(() -> {
            INDArray y = x;
            for (int i = 0; i < n; i++) {
                switch (i % 3) {
                    case 0 -> y = y.mulRowVector(w);
                    case 1 -> y = y.add(0.01);
                    default -> y = Transforms.tanh(y, true);
                }
            }
        });
        return String.format(Locale.ROOT, "raw_ms=%.2f raw_us_op=%.1f", s.medianMs(), 1000 * s.medianMs() / n);
    }

    /**
     * The batch-norm formulations of {@link SyntheticGraphs.Norm} (all but FUSED, whose gradient cannot be built in
     * M2.1) in a 4-block stack, alternated round by round; calling-thread CPU medians of forward and forward+backward.
     */
    static String norms(int c, int size, int rounds) {
        threads(1);
        SyntheticGraphs.Norm[] kinds = {SyntheticGraphs.Norm.HAND, SyntheticGraphs.Norm.FOLDED, SyntheticGraphs.Norm.SHIFT,
            SyntheticGraphs.Norm.NONE};
        SyntheticGraphs.Graph[] gs = new SyntheticGraphs.Graph[kinds.length];
        List<List<Double>> fwd = new ArrayList<>();
        List<List<Double>> grad = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            gs[i] = SyntheticGraphs.convStack(4, c, 4, size, kinds[i]);
            fwd.add(new ArrayList<>());
            grad.add(new ArrayList<>());
        }
        for (int r = -1; r < rounds; r++) {
            for (int i = 0; i < kinds.length; i++) {
                SyntheticGraphs.Graph g = gs[i];
                Map<String, INDArray> ph = Map.of("x", Nd4j.rand(DataType.FLOAT, g.inputShape()));
                for (int k = 0; k < 2; k++) {
                    long c0 = cpuNanos();
                    g.sd().output(ph, "out");
                    long c1 = cpuNanos();
                    g.sd().calculateGradients(ph, g.trainable());
                    long c2 = cpuNanos();
                    if (r >= 0) {
                        fwd.get(i).add((c1 - c0) / 1e6);
                        grad.get(i).add((c2 - c1) / 1e6);
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "norms c=%d size=%d (4 blocks, batch 4, cpu ms):", c, size));
        for (int i = 0; i < kinds.length; i++) {
            sb.append(String.format(Locale.ROOT, " %s ops=%d fwd=%.1f grad=%.1f;", kinds[i], gs[i].forwardOps(),
                    median(fwd.get(i)), median(grad.get(i))));
        }
        return sb.toString();
    }

    /** conv2d op vs im2col + matrix product, alternated; checks they agree; calling-thread CPU medians. */
    static String convImpls(int c, int size, int batch, int rounds) {
        threads(1);
        SyntheticGraphs.ConvImpl[] kinds = SyntheticGraphs.ConvImpl.values();
        SyntheticGraphs.Graph[] gs = new SyntheticGraphs.Graph[kinds.length];
        List<List<Double>> fwd = new ArrayList<>();
        List<List<Double>> grad = new ArrayList<>();
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, c, size, size);
        Map<String, INDArray> ph = Map.of("x", x);
        INDArray ref = null;
        INDArray refGrad = null;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "convimpl c=%d size=%d batch=%d (cpu ms):", c, size, batch));
        for (int i = 0; i < kinds.length; i++) {
            gs[i] = SyntheticGraphs.convImpl(kinds[i], c, batch, size);
            fwd.add(new ArrayList<>());
            grad.add(new ArrayList<>());
            INDArray out = gs[i].sd().output(ph, "out").get("out");
            INDArray gw = gs[i].sd().calculateGradients(ph, "w").get("w");
            if (ref == null) {
                ref = out;
                refGrad = gw;
            } else {
                sb.append(String.format(Locale.ROOT, " %s maxdiff out %.2e grad %.2e;", kinds[i],
                        out.sub(ref).amaxNumber().doubleValue(), gw.sub(refGrad).amaxNumber().doubleValue()));
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < kinds.length; i++) {
                SyntheticGraphs.Graph g = gs[i];
                long c0 = cpuNanos();
                g.sd().output(ph, "out");
                long c1 = cpuNanos();
                g.sd().calculateGradients(ph, g.trainable());
                long c2 = cpuNanos();
                fwd.get(i).add((c1 - c0) / 1e6);
                grad.get(i).add((c2 - c1) / 1e6);
            }
        }
        for (int i = 0; i < kinds.length; i++) {
            sb.append(String.format(Locale.ROOT, " %s fwd=%.1f grad=%.1f;", kinds[i], median(fwd.get(i)), median(grad.get(i))));
        }
        return sb.toString();
    }

    /**
     * The convolution shapes of ConDSeg / ResNet-50 at a 128² input, as cin-cout-k-stride-dil-size (size = input
     * side): stem, ResNet 3×3 / strided 3×3 / 1×1 / strided 1×1, ConDSeg's dilated and fusing 3×3s at 32² and 64².
     */
    static final String MODEL_CONV_SHAPES = "3-64-7-2-1-128,64-64-3-1-1-32,128-128-3-2-1-32,256-64-1-1-1-32,"
            + "256-512-1-2-1-32,256-128-3-1-3-32,256-128-3-1-5-32,512-128-3-1-7-32,128-128-3-1-1-64,"
            + "384-128-3-1-1-64,128-128-3-1-1-128,128-64-1-1-1-128";

    /**
     * conv2d vs {@link org.condseg.nn.Conv#im2col} per convolution shape ({@code shapes}: comma-separated
     * cin-cout-k-stride-dil-size), alternated within each round; checks they agree; calling-thread CPU medians of
     * the forward pass and of forward+backward (weight and input gradients) with {@code threads} native threads.
     */
    static String convShapes(String shapes, int batch, int rounds, int threads) {
        threads(threads);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "convshape batch=%d threads=%d (cpu ms)", batch, threads));
        for (String spec : shapes.split(",")) {
            int[] p = Arrays.stream(spec.trim().split("-")).mapToInt(Integer::parseInt).toArray();
            SyntheticGraphs.Graph[] gs = {SyntheticGraphs.modelConv(p[0], p[1], p[2], p[3], p[4], batch, p[5], false),
                SyntheticGraphs.modelConv(p[0], p[1], p[2], p[3], p[4], batch, p[5], true)};
            Map<String, INDArray> ph = Map.of("x", Nd4j.rand(DataType.FLOAT, gs[0].inputShape()));
            INDArray o0 = gs[0].sd().output(ph, "out").get("out");
            INDArray o1 = gs[1].sd().output(ph, "out").get("out");
            Map<String, INDArray> g0 = gs[0].sd().calculateGradients(ph, gs[0].trainable());
            Map<String, INDArray> g1 = gs[1].sd().calculateGradients(ph, gs[1].trainable());
            double dOut = o1.sub(o0).amaxNumber().doubleValue();
            double dW = g1.get("w").sub(g0.get("w")).amaxNumber().doubleValue() / g0.get("w").amaxNumber().doubleValue();
            List<List<Double>> fwd = List.of(new ArrayList<>(), new ArrayList<>());
            List<List<Double>> both = List.of(new ArrayList<>(), new ArrayList<>());
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < 2; i++) {
                    SyntheticGraphs.Graph g = gs[(i + r) % 2 == 0 ? 0 : 1];
                    int which = g == gs[0] ? 0 : 1;
                    long c0 = cpuNanos();
                    g.sd().output(ph, "out");
                    long c1 = cpuNanos();
                    g.sd().calculateGradients(ph, g.trainable());
                    long c2 = cpuNanos();
                    fwd.get(which).add((c1 - c0) / 1e6);
                    both.get(which).add((c2 - c1) / 1e6);
                }
            }
            double f0 = median(fwd.get(0));
            double f1 = median(fwd.get(1));
            double b0 = median(both.get(0));
            double b1 = median(both.get(1));
            sb.append(String.format(Locale.ROOT, "%n  %-18s native fwd=%.1f grad=%.1f | im2col fwd=%.1f (%.2f) grad=%.1f (%.2f)"
                    + " | maxdiff out %.1e w(rel) %.1e", spec, f0, b0, f1, f1 / f0, b1, b1 / b0, dOut, dW));
            System.out.println(sb.substring(sb.lastIndexOf("\n") + 1));
        }
        return sb.toString();
    }

    /** Sets the OpenMP and OpenBLAS thread counts at run time (libnd4j's pool follows OMP_NUM_THREADS at load). */
    static void threads(int n) {
        Nd4jSetup.setThreads(n);
    }

    /**
     * A/B of one run-time setting within one JVM: rounds alternate the two states, each round timing 5 forward and
     * 3 forward+backward passes of the 300-op chain and of the 8-block conv stack, so load drift hits both alike.
     */
    static String ab(String lever, int rounds) {
        if (!lever.equals("threads") && !lever.equals("thr")) {
            threads(1); // two threads on a loaded 2-core machine swamp every other effect in noise
        }
        SyntheticGraphs.Graph chain = SyntheticGraphs.elementwiseChain(300);
        SyntheticGraphs.Graph stack = SyntheticGraphs.convStack(8, 32, 4, 32, SyntheticGraphs.Norm.HAND);
        Runnable[] states = switch (lever) {
            case "threads" -> new Runnable[] {() -> threads(1), () -> threads(2)};
            case "prof" -> new Runnable[] {
                () -> Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.SCOPE_PANIC),
                () -> Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED)};
            case "thr" -> new Runnable[] {() -> {
                Nd4j.getEnvironment().setTadThreshold(1);
                Nd4j.getEnvironment().setElementwiseThreshold(1024);
            }, () -> {
                Nd4j.getEnvironment().setTadThreshold(65536);
                Nd4j.getEnvironment().setElementwiseThreshold(65536);
            }};
            case "cache" -> new Runnable[] {() -> {
                chain.sd().setEnableCache(true);
                stack.sd().setEnableCache(true);
            }, () -> {
                chain.sd().setEnableCache(false);
                stack.sd().setEnableCache(false);
            }};
            default -> throw new IllegalArgumentException("unknown lever " + lever + "; valid: threads, prof, thr, cache");
        };
        String[] names = {"A", "B"};
        SyntheticGraphs.Graph[] graphs = {chain, stack};
        String[] gNames = {"chain", "stack"};
        List<List<Double>> samples = new ArrayList<>();
        List<List<Double>> cpu = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            samples.add(new ArrayList<>());
            cpu.add(new ArrayList<>());
        }
        for (int r = -1; r < rounds; r++) { // round -1 warms up both states
            for (int st = 0; st < 2; st++) {
                states[st].run();
                for (int gi = 0; gi < 2; gi++) {
                    SyntheticGraphs.Graph g = graphs[gi];
                    Map<String, INDArray> ph = Map.of("x", Nd4j.rand(DataType.FLOAT, g.inputShape()));
                    int nf = gi == 0 ? 5 : 2;
                    for (int k = 0; k < nf; k++) {
                        long c0 = cpuNanos();
                        long t = Bench.time(() -> g.sd().output(ph, "out"));
                        if (r >= 0) {
                            samples.get(st * 4 + gi * 2).add(t / 1e6);
                            cpu.get(st * 4 + gi * 2).add((cpuNanos() - c0) / 1e6);
                        }
                    }
                    for (int k = 0; k < 2; k++) {
                        long c0 = cpuNanos();
                        long t = Bench.time(() -> g.sd().calculateGradients(ph, g.trainable()));
                        if (r >= 0) {
                            samples.get(st * 4 + gi * 2 + 1).add(t / 1e6);
                            cpu.get(st * 4 + gi * 2 + 1).add((cpuNanos() - c0) / 1e6);
                        }
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder("lever=" + lever);
        for (int gi = 0; gi < 2; gi++) {
            for (int fb = 0; fb < 2; fb++) {
                double a = median(samples.get(gi * 2 + fb));
                double b = median(samples.get(4 + gi * 2 + fb));
                double ca = median(cpu.get(gi * 2 + fb));
                double cb = median(cpu.get(4 + gi * 2 + fb));
                sb.append(String.format(Locale.ROOT, " %s_%s wall A=%.1f B=%.1f B/A=%.2f cpu A=%.1f B=%.1f B/A=%.2f",
                        gNames[gi], fb == 0 ? "fwd" : "grad", a, b, b / a, ca, cb, cb / ca));
            }
        }
        return sb.toString();
    }

    /** CPU time of the calling thread (with one native thread, ops run on it), ns. */
    static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return BenchStats.percentile(a, 50);
    }

    static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", Bench.loadAverage());
    }
}
