package org.condseg.util;

import java.lang.ref.Cleaner;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float arrays over native memory that nobody zero-fills, for op outputs that the op overwrites anyway. libnd4j fills
 * every buffer it allocates with zeros, "uninitialised" ones included (ND4J M2.1's createUninitialized): 2.1 ms per
 * 32 MB array with the launcher's allocator setting, 22 ms without it, against 0.03 ms here ({@code OverheadProbe
 * alloc}), paid for every op output of a training step. Here the memory comes from
 * {@code malloc} and ND4J wraps it without copying; it is freed by {@link #close} (which closes the array too) or, for
 * an array nobody closes, once Java collects the array's buffer (a {@link Cleaner}). Only the CPU backend
 * (a CUDA array's memory is the device's), only float arrays of at least {@link #MIN_ELEMENTS} elements (below
 * that the fill costs less than wrapping). {@code -D}{@value #PROPERTY}{@code =false} turns it off;
 * {@code =poison} makes every float array here, whatever its size, filled with NaNs, so that an op reading an output
 * it did not write shows (tests).
 */
public final class UnfilledArrays {
    /** System property: "false" leaves every allocation to ND4J, "poison" fills new memory with NaNs. */
    public static final String PROPERTY = "condseg.unfilledArrays";
    /** Smallest array (elements) made here: 256 KB. */
    public static final long MIN_ELEMENTS = 1 << 16;
    private static final Cleaner CLEANER = Cleaner.create();
    /** Native address → the action that frees it, for every array made here and not yet freed. */
    private static final Map<Long, Cleaner.Cleanable> OWNED = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong MADE = new java.util.concurrent.atomic.AtomicLong();
    private static final boolean CPU = NativeBackend.isCpu();

    private UnfilledArrays() {
    }

    /** Whether arrays are made here on this backend with the current setting of {@value #PROPERTY}. */
    public static boolean enabled() {
        return CPU && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /**
     * A new array of {@code shape} whose contents are whatever the memory held, or null where this class does not
     * apply (disabled, not float, smaller than {@link #MIN_ELEMENTS}): then allocate as usual.
     */
    public static INDArray create(DataType type, char order, long[] shape) {
        long n = 1; // not ArrayUtil.prodLong, which gives 0 for a scalar's empty shape
        for (long d : shape) {
            n *= d;
        }
        boolean poison = "poison".equalsIgnoreCase(System.getProperty(PROPERTY));
        if (type != DataType.FLOAT || (n < MIN_ELEMENTS && !poison) || !enabled()) {
            return null;
        }
        Pointer mem = Pointer.malloc(n * Float.BYTES);
        if (mem == null || mem.isNull()) {
            throw new OutOfMemoryError("malloc of " + n * Float.BYTES + " bytes for an array failed");
        }
        if (poison) {
            Pointer.memset(mem, 0xFF, n * Float.BYTES); // every float NaN
        }
        FloatPointer floats = new FloatPointer(mem).capacity(n).limit(n);
        DataBuffer buf = Nd4j.getDataBufferFactory().create(floats, DataType.FLOAT, n, FloatIndexer.create(floats));
        long address = mem.address();
        OWNED.put(address, CLEANER.register(buf, new Free(mem)));
        MADE.incrementAndGet();
        return Nd4j.create(buf, shape, Nd4j.getStrides(shape, order), 0, order);
    }

    /**
     * Closes {@code a} and frees its memory now if it was made here and owns its whole buffer; returns false (and
     * does nothing) otherwise.
     */
    public static boolean close(INDArray a) {
        if (a == null || a.isView() || a.wasClosed() || !a.closeable()) {
            return false;
        }
        Cleaner.Cleanable free = OWNED.get(a.data().address());
        if (free == null) {
            return false;
        }
        a.close();
        free.clean();
        return true;
    }

    /** Arrays made here so far. */
    public static long made() {
        return MADE.get();
    }

    /** Arrays made here whose memory is not freed yet. */
    public static int outstanding() {
        return OWNED.size();
    }

    /** Frees one malloc'd block once; holds nothing that keeps the array's buffer reachable. */
    private record Free(Pointer mem) implements Runnable {
        @Override
        public void run() {
            OWNED.remove(mem.address());
            Pointer.free(mem);
        }
    }
}
