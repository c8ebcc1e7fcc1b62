package org.condseg.nn;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.condseg.util.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A reshape in row-major ('c') order of an array whose elements lie row-major without gaps, into an output laid out
 * the same way, is a copy of the bytes as they lie. libnd4j M2.1's reshape op copies such arrays element by element
 * (a [65,536, 9, 32] float array, 75 MB: 88 ms, under 1 GB/s; a 128² ConDSeg training step spends ≈ 0.75 s in
 * reshapes of 3 ms and more, all of this kind); this copies them with the JDK's bulk copy between direct buffers,
 * one contiguous part per libnd4j thread. Under a {@link SessionMemory} (training steps, forward passes) most such
 * reshapes are views instead ({@link SessionMemory#reshapeView}: 128² step's reshapes 0.92 s → 27 ms); this copies the
 * rest (reshapes of weights and inputs, outputs the caller keeps, sessions without that manager).
 *
 * <p>Run by {@link KernelSession} for float arrays of {@value #MIN_LENGTH} elements or more (smaller ones stay with
 * libnd4j, where the copy is not what costs); {@code -Dcondseg.flatCopy=false} leaves every reshape to libnd4j.
 */
public final class FlatCopy {
    /** Smallest array taken (elements): 256 KB of floats. */
    static final long MIN_LENGTH = 1 << 16;
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("condseg.flatCopy"))
            && org.condseg.util.NativeBackend.isCpu();
    private static final AtomicLong RUNS = new AtomicLong();

    private FlatCopy() {
    }

    /** Whether reshapes are copied here (CPU backend, not switched off). */
    public static boolean enabled() {
        return ENABLED;
    }

    /** Reshapes copied here so far. */
    public static long runs() {
        return RUNS.get();
    }

    /**
     * Whether this copies x into z for a reshape with integer arguments {@code iArgs}: row-major order (-99 first),
     * float x and z of the same length, both row-major without gaps in buffers of their own offset 0.
     */
    public static boolean handles(INDArray x, INDArray z, long[] iArgs) {
        return ENABLED && iArgs.length > 0 && iArgs[0] == -'c' && x != null && z != null && x != z
                && x.dataType() == DataType.FLOAT && z.dataType() == DataType.FLOAT && x.length() == z.length()
                && x.length() >= MIN_LENGTH && x.length() < Integer.MAX_VALUE / 4 && KernelSession.rowMajor(x)
                && KernelSession.rowMajor(z) && x.data().offset() == 0 && z.data().offset() == 0;
    }

    /** Copies x's elements into z in row-major order; the caller has checked {@link #handles}. */
    public static void copy(INDArray x, INDArray z) {
        RUNS.incrementAndGet();
        ByteBuffer src = x.data().asNio();
        ByteBuffer dst = z.data().asNio();
        int width = 4;
        int from = (int) x.offset() * width;
        int to = (int) z.offset() * width;
        int bytes = (int) x.length() * width;
        int parts = Parallel.THREADS;
        Parallel.run(parts, p -> {
            int a = (int) ((long) bytes * p / parts) & ~63; // parts start on 64-byte boundaries of the run
            int b = p == parts - 1 ? bytes : (int) ((long) bytes * (p + 1) / parts) & ~63;
            if (b > a) {
                dst.duplicate().position(to + a).put(src.duplicate().position(from + a).limit(from + b));
            }
        });
    }
}
