package org.condseg.nn;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A session memory manager that frees arrays instead of leaving them to the garbage collector. SameDiff M2.1's
 * default manager (ArrayCacheMemoryMgr) caches released arrays, and neither it nor NoOpMemoryMgr frees what it
 * does not reuse: a 64² paper-width training step left ≈ 5 GB of dead intermediate arrays for the next garbage
 * collection (results/bench, RSS per repetition), and SameDiff released only ≈ 1.5% of a training step's arrays
 * before the step ended, so a step held every intermediate array at once. This manager closes an array as soon as
 * the session releases it, as soon as every op that reads it has run ({@link #trainingStep}: a listener counts the
 * readers of each op output in the gradient function), and, after a step, every array it handed out that the caller
 * does not keep ({@link #closeAllBut}). A freed array's buffer goes to a pool and is handed out again for the next
 * array of the same type and length (a step repeats the previous step's shapes), up to {@link #poolLimitMb} of
 * idle buffers: fresh native buffers cost page faults and allocation inside each op (≈ 16% of a 128² step's
 * main-thread samples in a JFR profile; step 17.0 → 13.8 s, RSS +0.4 GB). Forward passes ({@link #inference}) use it
 * too since session 10: with buffers that nobody zero-fills ({@link org.condseg.util.UnfilledArrays}) and glibc keeping
 * freed memory (the launcher's setting), a fresh array costs no more than a cached one, and SameDiff's cache, which
 * frees nothing during a pass, held 4.7 GB at 256² batch 1 (this manager: 1.2 GB, and 4.4 → 2.9-3.6 s; session 4,
 * before both, freeing had made it slower, 2.7 → 3.9 s).
 * A row-major reshape of an array it handed out is a view of that array's buffer, not a copy ({@link #reshapeView}).
 * {@code -D}{@value #PROPERTY}{@code =false} leaves SameDiff's default in place.
 */
public final class SessionMemory extends AbstractMemoryMgr {
    /** System property: "false" keeps SameDiff's own session memory manager. */
    public static final String PROPERTY = "condseg.closeSessionArrays";
    /** -Dcondseg.debugMem=true: record the peak of live arrays ({@link #peakBreakdown}) and print step statistics. */
    public static final boolean DEBUG = Boolean.getBoolean("condseg.debugMem");
    /** -Dcondseg.debugMemNames=true (with debugMem): the breakdown also lists the 100 largest live arrays by name. */
    static final boolean DEBUG_NAMES = Boolean.getBoolean("condseg.debugMemNames");
    /** The pool's cap in bytes ({@link #poolLimitMb}). */
    private final long poolLimitBytes = poolLimitMb() << 20;

    private final Set<INDArray> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<SameDiff, Map<String, Integer>> readers = new IdentityHashMap<>();
    private final Map<String, Integer> unread = new java.util.HashMap<>();
    private final Map<String, INDArray> produced = new java.util.HashMap<>();
    private final Map<Object, Integer> bufferUsers = new IdentityHashMap<>();
    private Set<String> keepNames = Set.of();
    /** The graph whose session this manager serves; ops of other graphs (sharing the listener list) are ignored. */
    private SameDiff graph;
    /** This step's arrays named in {@link #keepNames}, as they were produced ({@link GradientStep}). */
    private final Map<String, INDArray> kept = new java.util.HashMap<>();
    private final Set<INDArray> keptArrays = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Reshape outputs made as views of their input's buffer ({@link #reshapeView}): view → the array owning it. */
    private final Map<INDArray, INDArray> aliasOf = new IdentityHashMap<>();
    /** Arrays with views made of them: the session's own release leaves them to this manager. */
    private final Set<INDArray> viewed = Collections.newSetFromMap(new IdentityHashMap<>());
    private long aliased;
    private final Map<PoolKey, java.util.ArrayDeque<DataBuffer>> pool = new java.util.HashMap<>();
    private long pooledBytes;
    private long reused;
    private long allocated;
    private long released;
    private long freedEarly;
    private long liveBytes;
    private long peakBytes;
    private String peakBreakdown = "";

    /**
     * Most bytes of freed buffers kept for reuse ({@code -Dcondseg.poolMB}; 0 frees at once). Default 0 where glibc
     * keeps freed memory itself ({@link org.condseg.util.NativeBackend#allocatorKeepsFreedMemory}, as the launcher
     * sets it), where a pool only holds memory twice (256² step: 7.7 GB without it, 9.1 GB with 512 MB); 1024
     * otherwise, where 1 GB measured as fast as 4 GB at 128² (14.6 / 15.9 s vs 16.2 / 13.9 s, back to back) and
     * held 0.9 GB less at 256².
     */
    public static long poolLimitMb() {
        return Long.getLong("condseg.poolMB", org.condseg.util.NativeBackend.allocatorKeepsFreedMemory() ? 0 : 1024);
    }

    /** Whether sessions get this manager (default true). */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /**
     * This thread's manager for {@code sd}'s training steps, or null when disabled. Gradients run in the separate
     * "grad" function SameDiff derives from the graph (built here if needed); the manager is installed on it, with
     * the listener that frees each intermediate array once its last reader has run. What the step returns (the
     * requested {@code outputs} and the gradients of {@code params}) is never freed early.
     */
    public static SessionMemory trainingStep(SameDiff sd, Collection<String> outputs, Collection<String> params) {
        if (!enabled()) {
            return null;
        }
        Graphs.createGradFunction(sd); // quietly, if not built yet
        SessionMemory m = install(sd.getFunction("grad"));
        java.util.Set<String> keep = new java.util.HashSet<>(outputs);
        for (String p : params) {
            keep.add(p);
            var g = sd.getVariable(p).getGradient();
            if (g != null) {
                keep.add(g.name());
            }
        }
        return m.watch(sd, keep);
    }

    /**
     * This thread's manager for forward passes of {@code sd} that return {@code outputs}, or null when disabled:
     * installed on {@code sd}'s own session, with the listener that frees each intermediate array once its last
     * reader has run; the caller ends each pass with {@link #closeAllBut} of what it returns.
     */
    public static SessionMemory inference(SameDiff sd, Collection<String> outputs) {
        if (!enabled()) {
            return null;
        }
        return install(sd).watch(sd, new java.util.HashSet<>(outputs));
    }

    /**
     * Keeps the arrays named in {@code keep} from now on and puts the listener that frees arrays early on {@code sd}
     * (whose ops, or whose gradient function's, it then sees), once.
     */
    private SessionMemory watch(SameDiff sd, Set<String> keep) {
        keepNames = keep;
        if (!sd.getListeners().contains(listener)) {
            sd.addListeners(listener);
        }
        return this;
    }

    /**
     * The arrays of the last step that {@link #trainingStep} was told to keep (requested outputs, gradients), by
     * variable name, as their ops produced them; the session never released them.
     */
    Map<String, INDArray> kept() {
        return kept;
    }

    /** Forgets the reader counts of {@code sd}, whose ops have changed. */
    void graphChanged(SameDiff sd) {
        readers.remove(sd);
    }

    /** The manager {@link #trainingStep} installed for {@code sd} on this thread, or null. */
    public static SessionMemory of(SameDiff sd) {
        SameDiff grad = sd.getFunction("grad");
        if (!enabled() || grad == null) {
            return null;
        }
        InferenceSession s = grad.getSessions().get(Thread.currentThread().getId());
        return s != null && s.getMmgr() instanceof SessionMemory m ? m : null;
    }

    private final org.nd4j.autodiff.listeners.BaseListener listener = new org.nd4j.autodiff.listeners.BaseListener() {
        @Override
        public boolean isActive(org.nd4j.autodiff.listeners.Operation operation) {
            return true;
        }

        @Override
        public void operationStart(SameDiff sd, org.nd4j.autodiff.listeners.Operation op) {
            unread.clear();
            produced.clear();
            bufferUsers.clear();
            kept.clear();
            keptArrays.clear();
        }

        @Override
        public void opExecution(SameDiff sd, org.nd4j.autodiff.listeners.At at,
                org.nd4j.linalg.dataset.api.MultiDataSet batch, org.nd4j.autodiff.samediff.internal.SameDiffOp op,
                org.nd4j.linalg.api.ops.OpContext ctx, INDArray[] outputs) {
            afterOp(sd, op, outputs);
        }
    };

    /** Records the op's outputs and frees each input whose readers have all run. */
    private void afterOp(SameDiff sd, org.nd4j.autodiff.samediff.internal.SameDiffOp op, INDArray[] outputs) {
        if (sd != graph) {
            return;
        }
        if (DEBUG && liveBytes > peakBytes * 1.02) {
            peakBytes = liveBytes;
            Map<String, Long> byType = new java.util.TreeMap<>();
            for (Map.Entry<String, INDArray> e : produced.entrySet()) {
                if (aliasOf.containsKey(e.getValue())) {
                    continue; // a view holds no memory of its own
                }
                var producer = sd.getVariableOutputOp(e.getKey());
                String type = producer == null ? "?" : producer.opName();
                byType.merge(type, e.getValue().length() * e.getValue().dataType().width(), Long::sum);
            }
            StringBuilder b = new StringBuilder("live " + liveBytes / (1 << 20) + " MB at " + op.getName() + ":");
            byType.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                    .forEach(e -> b.append(' ').append(e.getKey()).append('=').append(e.getValue() >> 20).append("MB"));
            if (DEBUG_NAMES) { // the largest live arrays by name, for finding what a change should free
                produced.entrySet().stream()
                        .sorted((x, y) -> Long.compare(y.getValue().length(), x.getValue().length())).limit(100)
                        .forEach(e -> b.append("\n   ").append(e.getKey()).append(' ')
                                .append(java.util.Arrays.toString(e.getValue().shape())).append(' ')
                                .append(e.getValue().length() * e.getValue().dataType().width() >> 20).append("MB"));
            }
            peakBreakdown = b.toString();
        }
        java.util.List<String> outs = op.getOutputsOfOp();
        for (int i = 0; outputs != null && outs != null && i < Math.min(outs.size(), outputs.length); i++) {
            INDArray a = outputs[i];
            if (a != null && keepNames.contains(outs.get(i))) {
                kept.put(outs.get(i), a);
                keptArrays.add(a);
            }
            if (a != null && (live.contains(a) || aliasOf.containsKey(a)) && produced.putIfAbsent(outs.get(i), a) == null) {
                bufferUsers.merge(a.data(), 1, Integer::sum);
            }
        }
        java.util.List<String> ins = op.getInputsToOp();
        if (ins == null) {
            return;
        }
        Map<String, Integer> counts = readers.computeIfAbsent(sd, SessionMemory::countReaders);
        for (String in : ins) {
            int left = unread.containsKey(in) ? unread.get(in) - 1 : counts.getOrDefault(in, 1) - 1;
            unread.put(in, left);
            if (left > 0 || keepNames.contains(in)) {
                continue;
            }
            INDArray a = produced.remove(in);
            if (a == null || !live.contains(a) && !aliasOf.containsKey(a)) {
                continue;
            }
            int users = bufferUsers.merge(a.data(), -1, Integer::sum);
            INDArray owner = aliasOf.getOrDefault(a, a); // a view's buffer belongs to the array it was made of
            if (users <= 0 && !owner.isView() && live.contains(owner) && !keptArrays.contains(owner)) {
                untrack(owner); // no other live output shares the buffer
                recycle(owner);
                freedEarly++;
            }
        }
    }

    /** How many op inputs of {@code sd} read each variable (an op reading it twice counts twice). */
    private static Map<String, Integer> countReaders(SameDiff sd) {
        Map<String, Integer> n = new java.util.HashMap<>();
        for (org.nd4j.autodiff.samediff.internal.SameDiffOp op : sd.getOps().values()) {
            if (op.getInputsToOp() != null) {
                for (String in : op.getInputsToOp()) {
                    n.merge(in, 1, Integer::sum);
                }
            }
        }
        return n;
    }

    private static SessionMemory install(SameDiff sd) {
        InferenceSession s = KernelSession.install(sd);
        if (s.getMmgr() instanceof SessionMemory m) {
            return m;
        }
        SessionMemory m = new SessionMemory();
        m.graph = sd;
        s.setMmgr(m);
        return m;
    }

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        return allocate(dataType, 'c', shape);
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        if (descriptor.isEmpty()) {
            return Nd4j.create(descriptor, false);
        }
        return allocate(descriptor.dataType(), descriptor.getOrder(), descriptor.getShape());
    }

    /**
     * A buffer of the same type and length from the pool when there is one, else a new array that is not zero-filled
     * ({@link org.condseg.util.UnfilledArrays}; every op writes its whole output).
     */
    private INDArray allocate(DataType type, char order, long[] shape) {
        long length = shape.length == 0 ? 1 : ArrayUtil.prodLong(shape); // a scalar: 1, as recycle keys it
        java.util.ArrayDeque<DataBuffer> free = pool.get(new PoolKey(type, length));
        DataBuffer buf = free == null ? null : free.pollLast();
        if (buf == null) {
            INDArray unfilled = org.condseg.util.UnfilledArrays.create(type, order, shape);
            return track(unfilled != null ? unfilled : Nd4j.createUninitializedDetached(type, order, shape));
        }
        pooledBytes -= length * type.width();
        reused++;
        return track(Nd4j.create(buf, shape, Nd4j.getStrides(shape, order), 0, order));
    }

    /**
     * Frees {@code a}: when it owns its whole buffer, the buffer goes to the pool for the next array of the same type
     * and length, unless the pool already holds its cap ({@link #poolLimitMb}, read when the manager is made);
     * otherwise {@link #closeArray} (a view is left alone).
     */
    private void recycle(INDArray a) {
        DataBuffer buf = a.data();
        long bytes = a.length() * a.dataType().width();
        if (a.isView() || a.wasClosed() || !a.closeable() || buf.length() != a.length()
                || pooledBytes + bytes > poolLimitBytes) {
            closeArray(a);
            return;
        }
        pool.computeIfAbsent(new PoolKey(a.dataType(), a.length()), k -> new java.util.ArrayDeque<>()).add(buf);
        pooledBytes += bytes;
    }

    /**
     * The output of a reshape of {@code x} (an array this manager handed out, or a view of one) into {@code z}'s
     * shape, as a view of x's buffer instead of a copy, when x lies row-major without gaps and the output is not one
     * the caller keeps; {@code z}, which the session allocated for the output, is freed. Null when it does not apply
     * (the op then runs as usual). x's buffer is freed once x and every view of it have no reader left.
     */
    INDArray reshapeView(INDArray x, INDArray z, String output) {
        INDArray owner = aliasOf.getOrDefault(x, x);
        if (keepNames.contains(output) || !live.contains(owner) || !KernelSession.rowMajor(x) || !KernelSession.rowMajor(z)
                || x.data().offset() != 0 || x.length() != z.length() || x.dataType() != z.dataType()
                || !live.contains(z) || keptArrays.contains(z)) {
            return null;
        }
        INDArray view = Nd4j.create(x.data(), z.shape(), z.stride(), x.offset(), 'c');
        aliasOf.put(view, owner);
        viewed.add(owner);
        untrack(z);
        recycle(z);
        aliased++;
        return view;
    }

    /** Reshapes made views ({@link #reshapeView}) so far. */
    public long aliased() {
        return aliased;
    }

    /** Arrays whose buffer came from the pool, so far. */
    public long reused() {
        return reused;
    }

    private record PoolKey(DataType type, long length) {
    }

    private INDArray track(INDArray a) {
        allocated++;
        live.add(a);
        liveBytes += a.length() * a.dataType().width();
        return a;
    }

    @Override
    public void release(INDArray array) {
        if (live.contains(array) && !keptArrays.contains(array) && !viewed.contains(array)) {
            untrack(array);
            released++;
            recycle(array);
        }
    }

    /** Closes every array this manager handed out and still holds, except those in {@code keep} (by identity). */
    public void closeAllBut(Collection<INDArray> keep) {
        Set<INDArray> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Object> keptBuffers = Collections.newSetFromMap(new IdentityHashMap<>()); // a kept view keeps its base
        for (INDArray a : keep) {
            if (a != null) {
                kept.add(a);
                keptBuffers.add(a.data());
                if (a.data().underlyingDataBuffer() != null) {
                    keptBuffers.add(a.data().underlyingDataBuffer());
                }
            }
        }
        for (INDArray a : live) {
            if (!kept.contains(a) && !keptBuffers.contains(a.data())) {
                recycle(a);
            }
        }
        live.clear();
        liveBytes = 0;
        aliasOf.clear();
        viewed.clear();
    }

    private void untrack(INDArray a) {
        if (live.remove(a)) {
            liveBytes -= a.length() * a.dataType().width();
        }
    }

    /**
     * Closes {@code a} if it owns its buffer and is still open, freeing its memory at once also when it is one of
     * {@link org.condseg.util.UnfilledArrays}'; views and nulls are left alone.
     */
    public static void closeArray(INDArray a) {
        if (!org.condseg.util.UnfilledArrays.close(a) && a != null && !a.wasClosed() && a.closeable()) {
            a.close();
        }
    }

    /** Arrays handed out so far. */
    public long allocated() {
        return allocated;
    }

    /** With -Dcondseg.debugMem=true: the largest live size seen and what held it, by producing op type. */
    public String peakBreakdown() {
        return peakBreakdown;
    }

    /** Arrays freed because every op reading them had run, so far. */
    public long freedEarly() {
        return freedEarly;
    }

    /** Arrays the session released (and this manager closed) so far. */
    public long released() {
        return released;
    }

    @Override
    public void close() {
        live.clear();
    }
}
