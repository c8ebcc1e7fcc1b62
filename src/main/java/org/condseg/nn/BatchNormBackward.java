package org.condseg.nn;

import java.nio.FloatBuffer;
import java.util.List;
import org.condseg.util.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * libnd4j's {@code batchnorm_bp} over channel axis 1 of an NCHW map (the backward of {@link BatchNormOps}' training-mode
 * batch norm), computed in Java, one pass over memory: each thread takes whole channels, copies a channel's B planes
 * of x and of the output gradient g into Java arrays, sums g and g·(x − μ) over them, and writes the channel's input
 * gradient. With σ = √(var + ε) and n = B·H·W:
 * dL/dβ = Σ g, dL/dγ = Σ g·(x − μ)/σ, dL/dx = γ/σ · (g − Σg/n − (x − μ)/σ² · Σ g·(x − μ)/n) (the batch statistics'
 * paths included, as libnd4j's; the mean and variance gradients are written as zeros, which {@link BatchNormOps}
 * replaces with zeros anyway). The sums run in double precision. libnd4j took 7.5 ms per call on average in a 128²
 * training step (76 ms on [4, 128, 128, 128]), about four passes' worth of memory traffic.
 * <p>Run by {@link KernelSession} for float maps laid out row-major without gaps, with γ and β applied; anything else
 * stays with libnd4j, as everything does with {@code -D}{@value #PROPERTY}{@code =false}.
 */
public final class BatchNormBackward {
    /** System property: "false" leaves batchnorm_bp to libnd4j. */
    public static final String PROPERTY = "condseg.javaBatchNormBackward";
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty(PROPERTY))
            && org.condseg.util.NativeBackend.isCpu();

    private static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();

    private BatchNormBackward() {
    }

    /** Whether batchnorm_bp is computed here at all (CPU backend, not switched off). */
    public static boolean enabled() {
        return ENABLED;
    }

    /** Ops computed here so far (all threads). */
    public static long runs() {
        return RUNS.get();
    }

    /**
     * Whether this computes the op with inputs (x, mean, var, γ, β, g), outputs (dx, dmean, dvar, dγ, dβ) and
     * integer arguments (apply γ, apply β, axis): γ and β applied, axis 1 of a rank-4 map.
     */
    public static boolean handles(List<INDArray> in, List<INDArray> out, long[] iArgs, double[] tArgs) {
        if (!ENABLED || in.size() != 6 || out.size() != 5 || tArgs.length < 1 || iArgs.length != 3 || iArgs[0] != 1
                || iArgs[1] != 1 || iArgs[2] != 1) {
            return false;
        }
        INDArray x = in.get(0);
        if (x == null || x.rank() != 4 || x.length() >= Integer.MAX_VALUE) {
            return false;
        }
        long c = x.size(1);
        for (int i = 0; i < 11; i++) {
            INDArray a = i < 6 ? in.get(i) : out.get(i - 6);
            boolean map = i == 0 || i == 5 || i == 6;
            if (a == null || a.dataType() != DataType.FLOAT || !KernelSession.rowMajor(a) || a.data().offset() != 0
                    || (map ? !java.util.Arrays.equals(a.shape(), x.shape()) : a.length() != c)) {
                return false;
            }
        }
        return true;
    }

    /** Computes the op; the caller has checked {@link #handles}. */
    public static void run(List<INDArray> in, List<INDArray> out, double eps) {
        RUNS.incrementAndGet();
        INDArray x = in.get(0);
        int b = (int) x.size(0);
        int c = (int) x.size(1);
        int plane = (int) (x.size(2) * x.size(3));
        float[] mean = in.get(1).toFloatVector();
        float[] var = in.get(2).toFloatVector();
        float[] gamma = in.get(3).toFloatVector();
        FloatBuffer fx = KernelSession.floats(x);
        FloatBuffer fg = KernelSession.floats(in.get(5));
        FloatBuffer fdx = KernelSession.floats(out.get(0));
        int baseX = (int) x.offset();
        int baseG = (int) in.get(5).offset();
        int baseDx = (int) out.get(0).offset();
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        int parts = Math.min(Parallel.THREADS, c);
        Parallel.run(parts, t -> {
            float[] xs = Parallel.scratch(0, b * plane);
            float[] gs = Parallel.scratch(1, b * plane);
            int len = b * plane;
            for (int ch = c * t / parts; ch < c * (t + 1) / parts; ch++) {
                for (int i = 0; i < b; i++) {
                    int at = (i * c + ch) * plane;
                    fx.get(baseX + at, xs, i * plane, plane);
                    fg.get(baseG + at, gs, i * plane, plane);
                }
                float mu = mean[ch];
                double sumG = 0;
                double sumGX = 0;
                for (int j = 0; j < len; j++) {
                    sumG += gs[j];
                    sumGX += gs[j] * (double) (xs[j] - mu);
                }
                double inv = 1.0 / Math.sqrt(var[ch] + eps);
                double n = len;
                dBeta[ch] = (float) sumG;
                dGamma[ch] = (float) (sumGX * inv);
                float k1 = (float) (gamma[ch] * inv); // dx = k1·g + k2·(x − μ) + k3
                float k2 = (float) (-gamma[ch] * inv * inv * inv * sumGX / n);
                float k3 = (float) (-gamma[ch] * inv * sumG / n);
                for (int j = 0; j < len; j++) {
                    xs[j] = k1 * gs[j] + k2 * (xs[j] - mu) + k3;
                }
                for (int i = 0; i < b; i++) {
                    fdx.put(baseDx + (i * c + ch) * plane, xs, i * plane, plane);
                }
            }
        });
        out.get(1).assign(0);
        out.get(2).assign(0);
        out.get(3).assign(org.nd4j.linalg.factory.Nd4j.createFromArray(dGamma).reshape(out.get(3).shape()));
        out.get(4).assign(org.nd4j.linalg.factory.Nd4j.createFromArray(dBeta).reshape(out.get(4).shape()));
    }
}
