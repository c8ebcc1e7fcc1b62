package org.condseg.nn;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.condseg.util.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * libnd4j's {@code im2col} for stride 1 with zero padding, as row copies: entry (b, c, ki, kj, y, x) of the columns
 * [B,C,kH,kW,oH,oW] is input (b, c, y − pH + ki·dH, x − pW + kj·dW), 0 outside; for fixed (b, c, ki, kj, y) the
 * entries inside the input are one run of a single input row, so each output row is a bulk copy between zeros.
 * CDFA's unfold ({@link Unfold}: K = 3, padding 1) and the columns of the dilated convolutions ({@link Conv#im2col})
 * take this path. libnd4j M2.1 fills the columns element by element: a [1,128,128,128] input's 75 MB of columns
 * took 54 ms in a 256² inference (≈ 1.4 GB/s), and a 128² training step spent 0.6 s in im2col.
 *
 * <p>Run by {@link KernelSession} for float arrays laid out row-major without gaps; any other stride, "same" mode, a
 * non-zero padding value or a layout it does not expect stays with libnd4j; {@code -Dcondseg.rowIm2col=false} leaves
 * every im2col to libnd4j.
 */
public final class RowIm2col {
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("condseg.rowIm2col"))
            && org.condseg.util.NativeBackend.isCpu();
    private static final AtomicLong RUNS = new AtomicLong();
    private static final float[] ZEROS = new float[4096];

    private RowIm2col() {
    }

    /** Whether im2col ops are computed here (CPU backend, not switched off). */
    public static boolean enabled() {
        return ENABLED;
    }

    /** im2col ops computed here so far. */
    public static long runs() {
        return RUNS.get();
    }

    /**
     * Whether this computes im2col of x into z with integer arguments [kH, kW, sH, sW, pH, pW, dH, dW, sameMode] and
     * floating arguments {@code tArgs} (the padding value, 0 when absent): stride 1, explicit padding, padding value 0,
     * x [B,C,H,W] and z [B,C,kH,kW,oH,oW] with oH = H + 2pH − dH(kH − 1) (likewise oW), both float and row-major
     * without gaps in buffers of their own offset 0.
     */
    public static boolean handles(INDArray x, INDArray z, long[] iArgs, double[] tArgs) {
        if (!ENABLED || iArgs.length < 9 || iArgs[2] != 1 || iArgs[3] != 1 || iArgs[8] != 0
                || (tArgs.length > 0 && tArgs[0] != 0) || x == null || z == null || x.rank() != 4 || z.rank() != 6
                || x.dataType() != DataType.FLOAT || z.dataType() != DataType.FLOAT || z.length() >= Integer.MAX_VALUE
                || !KernelSession.rowMajor(x) || !KernelSession.rowMajor(z) || x.data().offset() != 0
                || z.data().offset() != 0) {
            return false;
        }
        long[] s = z.shape();
        long oh = x.size(2) + 2 * iArgs[4] - iArgs[6] * (iArgs[0] - 1);
        long ow = x.size(3) + 2 * iArgs[5] - iArgs[7] * (iArgs[1] - 1);
        return s[0] == x.size(0) && s[1] == x.size(1) && s[2] == iArgs[0] && s[3] == iArgs[1] && s[4] == oh
                && s[5] == ow && oh > 0 && ow > 0 && iArgs[4] >= 0 && iArgs[5] >= 0;
    }

    /** Computes the columns; the caller has checked {@link #handles}. */
    public static void run(INDArray x, INDArray z, long[] iArgs) {
        RUNS.incrementAndGet();
        int planes = (int) (x.size(0) * x.size(1));
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        int kh = (int) iArgs[0];
        int kw = (int) iArgs[1];
        int ph = (int) iArgs[4];
        int pw = (int) iArgs[5];
        int dh = (int) iArgs[6];
        int dw = (int) iArgs[7];
        int oh = (int) z.size(4);
        int ow = (int) z.size(5);
        FloatBuffer in = KernelSession.floats(x);
        FloatBuffer out = KernelSession.floats(z);
        int x0 = (int) x.offset();
        int z0 = (int) z.offset();
        int parts = Parallel.THREADS;
        Parallel.run(parts, part -> {
            for (int p = planes * part / parts; p < planes * (part + 1) / parts; p++) {
                int src = x0 + p * h * w;
                int dst = z0 + p * kh * kw * oh * ow;
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        int shiftX = kj * dw - pw; // input column of output column 0
                        int from = Math.min(ow, Math.max(0, -shiftX)); // output columns [from, to) lie inside
                        int to = Math.max(from, Math.min(ow, w - shiftX));
                        for (int y = 0; y < oh; y++, dst += ow) {
                            int iy = y + ki * dh - ph;
                            if (iy < 0 || iy >= h || to == from) {
                                zeros(out, dst, ow);
                                continue;
                            }
                            zeros(out, dst, from);
                            out.put(dst + from, in, src + iy * w + from + shiftX, to - from);
                            zeros(out, dst + to, ow - to);
                        }
                    }
                }
            }
        });
    }

    private static void zeros(FloatBuffer out, int at, int n) {
        for (int done = 0; done < n; done += ZEROS.length) {
            out.put(at + done, ZEROS, 0, Math.min(ZEROS.length, n - done));
        }
    }
}
