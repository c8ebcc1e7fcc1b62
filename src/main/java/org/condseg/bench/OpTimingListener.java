package org.condseg.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A SameDiff listener that accumulates wall time per op type ({@code conv2d}, {@code mul_bp}, ...) and per op
 * instance name, from {@code preOpExecution} to {@code opExecution} (the op's shape calculation, output allocation
 * and native execution). It also sums the "gaps" between one op's end and the next op's start: the session's own
 * scheduling and bookkeeping. Works with {@code sd.output} and {@code sd.calculateGradients*}, where
 * {@code ProfilingListener} records nothing in M2.1. Ops run on one thread per session; use one listener per thread.
 */
public final class OpTimingListener extends BaseListener {
    /** Accumulated figures for one key (op type or op name). */
    public static final class Entry {
        private final String key;
        private long count;
        private long nanos;
        private String inputs = "";

        Entry(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public long count() {
            return count;
        }

        public long nanos() {
            return nanos;
        }

        public double totalMs() {
            return nanos / 1e6;
        }

        public double meanUs() {
            return count == 0 ? 0 : nanos / 1e3 / count;
        }

        /** For an op instance: its input variables and their shapes at the first execution. */
        public String inputs() {
            return inputs;
        }
    }

    private final Map<String, Entry> byType = new HashMap<>();
    private final Map<String, Entry> byName = new HashMap<>();
    private long opStart = -1;
    private long lastEnd = -1;
    private long gapNanos;
    private long gaps;
    private long opNanos;
    private long ops;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void operationStart(SameDiff sd, Operation op) {
        lastEnd = -1;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
        long now = System.nanoTime();
        if (lastEnd >= 0) {
            gapNanos += now - lastEnd;
            gaps++;
        }
        opStart = now;
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
        long now = System.nanoTime();
        if (opStart >= 0) {
            long dt = now - opStart;
            add(byType, op.getOp().opName(), dt);
            Entry e = add(byName, op.getName(), dt);
            if (e.count == 1) {
                e.inputs = describeInputs(op, ctx);
            }
            opNanos += dt;
            ops++;
        }
        opStart = -1;
        lastEnd = System.nanoTime();
    }

    private static Entry add(Map<String, Entry> map, String key, long nanos) {
        Entry e = map.computeIfAbsent(key, Entry::new);
        e.count++;
        e.nanos += nanos;
        return e;
    }

    /** "name[shape] name[shape]" of the op's inputs, so that a slow instance can be found in the graph. */
    private static String describeInputs(SameDiffOp op, OpContext ctx) {
        List<String> names = op.getInputsToOp();
        List<INDArray> arrays = ctx == null ? null : ctx.getInputArrays();
        StringBuilder b = new StringBuilder();
        for (int i = 0; names != null && i < names.size(); i++) {
            INDArray a = arrays != null && i < arrays.size() ? arrays.get(i) : null;
            b.append(i == 0 ? "" : " ").append(names.get(i))
                    .append(a == null ? "" : java.util.Arrays.toString(a.shape()).replace(" ", ""));
        }
        return b.toString();
    }

    /** Forgets everything recorded so far (e.g. after warm-up). */
    public void reset() {
        byType.clear();
        byName.clear();
        opStart = -1;
        lastEnd = -1;
        gapNanos = 0;
        gaps = 0;
        opNanos = 0;
        ops = 0;
    }

    /** Op executions recorded. */
    public long opCount() {
        return ops;
    }

    /** Time inside ops (pre-execution to execution callbacks), ms. */
    public double opMs() {
        return opNanos / 1e6;
    }

    /** Time between consecutive ops (session overhead, listener calls included), ms. */
    public double gapMs() {
        return gapNanos / 1e6;
    }

    /** Mean gap between consecutive ops, µs. */
    public double meanGapUs() {
        return gaps == 0 ? 0 : gapNanos / 1e3 / gaps;
    }

    /** Per op type, by descending total time. */
    public List<Entry> byType() {
        return sorted(byType);
    }

    /** Per op instance, by descending total time. */
    public List<Entry> byName() {
        return sorted(byName);
    }

    private static List<Entry> sorted(Map<String, Entry> map) {
        List<Entry> list = new ArrayList<>(map.values());
        list.sort(Comparator.comparingLong(Entry::nanos).reversed().thenComparing(Entry::key));
        return list;
    }

    /** A text table of the {@code n} op types taking the most time, with counts, totals, means and shares. */
    public String top(int n) {
        return table("op type", byType(), n);
    }

    /** Like {@link #top} for op instances. */
    public String topNames(int n) {
        return table("op name", byName(), n);
    }

    private String table(String what, List<Entry> entries, int n) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-40s %8s %11s %10s %6s  %s", what, "count", "total ms", "mean µs", "share",
                entries.stream().anyMatch(e -> !e.inputs().isEmpty()) ? "inputs" : "").stripTrailing()).append('\n');
        double total = Math.max(1, opNanos);
        for (Entry e : entries.subList(0, Math.min(n, entries.size()))) {
            sb.append(String.format(Locale.ROOT, "%-40s %8d %11.1f %10.1f %5.1f%%  %s", abbreviate(e.key(), 40), e.count(),
                    e.totalMs(), e.meanUs(), 100.0 * e.nanos() / total, e.inputs()).stripTrailing()).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%d ops: %.1f ms in ops, %.1f ms between ops (mean gap %.1f µs)%n", ops,
                opMs(), gapMs(), meanGapUs()));
        return sb.toString();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
