package org.condseg.nn;

import java.nio.FloatBuffer;
import org.condseg.util.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batched products of small matrices, C[n] = op(A[n]) · op(B[n]) for n &lt; N with every side at most {@value #MAX_SIDE}
 * (CDFA's K²×K² attention times its K²×d unfolded values, and the two products of their gradient,
 * {@link ColumnProduct}), computed in Java. libnd4j M2.1 multiplies each of the N pairs with its generic strided loop:
 * in a 128² paper-width training step 90 such products took 1.4 s, the largest ([65,536, 9, 9] · [65,536, 9, 32])
 * ≈ 190 ms each, about 1.8 GFLOP/s. Here the pairs are split among as many threads as libnd4j uses; each copies
 * a block of pairs into Java arrays, multiplies each pair eight output columns at a time in registers, and copies the
 * block of results back.
 * (The JDK's incubating vector API measured 2× faster again on the product itself, but needs a module flag that makes
 * every java command print a warning.)
 * <p>Used by {@link KernelSession} for rank-3 float products of arrays laid out row-major without gaps, without
 * scaling or a transposed result, on the CPU backend; every other product stays with libnd4j, as every product does
 * with {@code -D}{@value #PROPERTY}{@code =false}. Each sum over the inner dimension runs in order, so results differ
 * from the library's only by rounding.
 */
public final class SmallMatmul {
    /** System property: "false" leaves every product to libnd4j. */
    public static final String PROPERTY = "condseg.smallMatmul";
    /** The largest side of a matrix multiplied here. */
    public static final int MAX_SIDE = 64;
    /** Pairs each thread copies and multiplies at a time (9×9 · 9×32: ≈ 340 KB, within a core's L2 cache). */
    private static final int BLOCK = 128;
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty(PROPERTY))
            && org.condseg.util.NativeBackend.isCpu();
    private static final java.util.concurrent.atomic.AtomicLong PRODUCTS = new java.util.concurrent.atomic.AtomicLong();

    private SmallMatmul() {
    }

    /** Batched products computed here so far (all threads). */
    public static long products() {
        return PRODUCTS.get();
    }

    /** Whether products are computed here at all (CPU backend, not switched off). */
    public static boolean enabled() {
        return ENABLED;
    }

    /**
     * Whether {@code c = op(a) · op(b)} is computed here: rank-3 float arrays with the same batch, contiguous with
     * C-order strides, every matrix side at most {@value #MAX_SIDE}, and no transposed result or scaling.
     */
    public static boolean handles(INDArray a, INDArray b, INDArray c, boolean tA, boolean tB, boolean tC, double alpha,
            double beta) {
        if (!ENABLED || tC || alpha != 1.0 || beta != 0.0 || a == null || b == null || c == null) {
            return false;
        }
        for (INDArray x : new INDArray[] {a, b, c}) {
            if (x.rank() != 3 || x.dataType() != DataType.FLOAT || !KernelSession.rowMajor(x) || x.data().offset() != 0
                    || x.offset() + x.length() > Integer.MAX_VALUE) {
                return false;
            }
            for (long side : new long[] {x.size(1), x.size(2)}) {
                if (side > MAX_SIDE) {
                    return false;
                }
            }
        }
        long n = c.size(0);
        long k = tA ? a.size(1) : a.size(2);
        return n > 0 && a.size(0) == n && b.size(0) == n && (tA ? a.size(2) : a.size(1)) == c.size(1)
                && (tB ? b.size(2) : b.size(1)) == k && (tB ? b.size(1) : b.size(2)) == c.size(2);
    }

    /** {@code c = op(a) · op(b)}; the caller has checked {@link #handles}. */
    public static void multiply(INDArray a, INDArray b, INDArray c, boolean tA, boolean tB) {
        PRODUCTS.incrementAndGet();
        int n = (int) c.size(0);
        int m = (int) c.size(1);
        int p = (int) c.size(2);
        int k = (int) (tA ? a.size(1) : a.size(2));
        FloatBuffer fa = KernelSession.floats(a);
        FloatBuffer fb = KernelSession.floats(b);
        FloatBuffer fc = KernelSession.floats(c);
        int base = (int) a.offset();
        int baseB = (int) b.offset();
        int baseC = (int) c.offset();
        int parts = Math.min(Parallel.THREADS, Math.max(1, n / BLOCK));
        Parallel.run(parts, t -> range(fa, base, fb, baseB, fc, baseC, (int) ((long) n * t / parts),
                (int) ((long) n * (t + 1) / parts), m, k, p, tA, tB));
    }

    /** Pairs [lo, hi): blocks of {@link #BLOCK} copied in, multiplied, copied out. */
    private static void range(FloatBuffer fa, int baseA, FloatBuffer fb, int baseB, FloatBuffer fc, int baseC, int lo,
            int hi, int m, int k, int p, boolean tA, boolean tB) {
        int sa = m * k;
        int sb = k * p;
        int sc = m * p;
        float[] as = Parallel.scratch(0, BLOCK * sa);
        float[] bs = Parallel.scratch(1, BLOCK * sb);
        float[] cs = Parallel.scratch(2, BLOCK * sc);
        float[] aT = Parallel.scratch(3, sa); // op(A[n]) as [m,k] when A[n] is stored [k,m]
        float[] bT = Parallel.scratch(4, sb); // op(B[n]) as [k,p] when B[n] is stored [p,k]
        for (int s = lo; s < hi; s += BLOCK) {
            int count = Math.min(BLOCK, hi - s);
            fa.get(baseA + s * sa, as, 0, count * sa);
            fb.get(baseB + s * sb, bs, 0, count * sb);
            for (int q = 0; q < count; q++) {
                float[] aRows = as;
                int ao = q * sa;
                if (tA) {
                    transpose(as, ao, k, m, aT);
                    aRows = aT;
                    ao = 0;
                }
                float[] bRows = bs;
                int bo = q * sb;
                if (tB) {
                    transpose(bs, bo, p, k, bT);
                    bRows = bT;
                    bo = 0;
                }
                product(aRows, ao, bRows, bo, cs, q * sc, m, k, p);
            }
            fc.put(baseC + s * sc, cs, 0, count * sc);
        }
    }

    /** dst[j, i] = src[off + i·cols + j] for a rows×cols matrix. */
    private static void transpose(float[] src, int off, int rows, int cols, float[] dst) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                dst[j * rows + i] = src[off + i * cols + j];
            }
        }
    }

    /**
     * c[i, :] = Σ_j a[i, j] · b[j, :] (a: m×k, b: k×p, c: m×p, row-major at the offsets), eight output columns at a
     * time in registers, j in order.
     */
    private static void product(float[] a, int ao, float[] b, int bo, float[] c, int co, int m, int k, int p) {
        for (int i = 0; i < m; i++) {
            int ar = ao + i * k;
            int cr = co + i * p;
            int col = 0;
            for (; col + 8 <= p; col += 8) {
                float c0 = 0;
                float c1 = 0;
                float c2 = 0;
                float c3 = 0;
                float c4 = 0;
                float c5 = 0;
                float c6 = 0;
                float c7 = 0;
                for (int j = 0; j < k; j++) {
                    float w = a[ar + j];
                    int br = bo + j * p + col;
                    c0 += w * b[br];
                    c1 += w * b[br + 1];
                    c2 += w * b[br + 2];
                    c3 += w * b[br + 3];
                    c4 += w * b[br + 4];
                    c5 += w * b[br + 5];
                    c6 += w * b[br + 6];
                    c7 += w * b[br + 7];
                }
                c[cr + col] = c0;
                c[cr + col + 1] = c1;
                c[cr + col + 2] = c2;
                c[cr + col + 3] = c3;
                c[cr + col + 4] = c4;
                c[cr + col + 5] = c5;
                c[cr + col + 6] = c6;
                c[cr + col + 7] = c7;
            }
            for (; col < p; col++) {
                float sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += a[ar + j] * b[bo + j * p + col];
                }
                c[cr + col] = sum;
            }
        }
    }
}
