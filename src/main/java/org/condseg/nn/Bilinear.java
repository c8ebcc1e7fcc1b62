package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bilinear resizing with align_corners = True (every upsampling in ConDSeg), written as two matrix products:
 * out = A_h · x · A_wᵀ per channel, where row i of A (out×in) holds the weights 1−λ and λ at ⌊src⌋ and ⌊src⌋+1,
 * src = i·(in−1)/(out−1) computed in float32 as PyTorch does. SameDiff's resize ops have no backprop in M2.1;
 * mmul does, and the result equals PyTorch's up to the summation order of the two taps. The products are
 * {@link ColumnProduct}s, differentiated for the map only (the matrices need no gradient).
 * <p>{@link #up} works for any input size: the matrices are built inside the graph from the run-time sizes
 * of the {@link Geometry} (once per level and factor). {@link #toSize} uses static sizes and constant matrices.
 */
public final class Bilinear {
    /** Name prefix of the in-graph interpolation matrices of {@link #up}. */
    public static final String INTERP_PREFIX = "bilinear_interpT";

    private Bilinear() {
    }

    /**
     * Upsamples x (at {@code srcStride} of the image, {@code c} channels) by an integer factor:
     * [B,C,h,w] → [B,C,f·h,f·w].
     */
    public static SDVariable up(Scope s, SDVariable x, int c, int srcStride, int factor) {
        if (factor == 1) {
            return x;
        }
        Geometry g = s.geometry();
        g.anchor(srcStride, x);
        if (srcStride % factor != 0) {
            throw new IllegalArgumentException("stride " + srcStride + " is not divisible by factor " + factor);
        }
        return resize(s, x, c, srcStride, srcStride / factor);
    }

    /**
     * Resizes x from {@code srcStride} to the size of the map at {@code dst} stride (up or down), align_corners
     * = True: [B,C,h,w] → [B,C,H,W]. Both levels must be derivable from the {@link Geometry}'s anchors.
     */
    public static SDVariable resize(Scope s, SDVariable x, int c, int srcStride, int dst) {
        if (srcStride == dst) {
            return x;
        }
        Geometry g = s.geometry();
        g.anchor(srcStride, x);
        SDVariable ahT = matrixT(g, 2, srcStride, dst); // [h,H]
        SDVariable awT = matrixT(g, 3, srcStride, dst); // [w,W]
        SDVariable a = x.reshape(g.shape(-1, g.dim(3, srcStride))); // [B*C*h, w]
        a = ColumnProduct.apply(a, awT); // [B*C*h, W]
        a = a.reshape(g.shape(-1, g.dim(2, srcStride), g.dim(3, dst))); // [B*C, h, W]
        a = a.permute(0, 2, 1); // [B*C, W, h]
        a = a.reshape(g.shape(-1, g.dim(2, srcStride))); // [B*C*W, h]
        a = ColumnProduct.apply(a, ahT); // [B*C*W, H]
        a = a.reshape(g.shape(-1, c, g.dim(3, dst), g.dim(2, dst))); // [B, C, W, H]
        return a.permute(0, 1, 3, 2); // [B, C, H, W]
    }

    /** Transposed interpolation matrix [in, out] for one axis, built in the graph and cached per level pair. */
    private static SDVariable matrixT(Geometry g, int axis, int srcStride, int dstStride) {
        return g.cached("interpT" + axis + "/" + srcStride + ">" + dstStride, () -> {
            SameDiff sd = g.sd();
            SDVariable n = g.dim(axis, srcStride);
            SDVariable m = g.dim(axis, dstStride);
            SDVariable nF = n.castTo(Init.dtype());
            SDVariable mF = m.castTo(Init.dtype());
            // (in−1)/(out−1); an output of size 1 samples index 0 (PyTorch's scale 0), never 0/0
            SDVariable scale = nF.sub(1.0).div(sd.nn().relu(mF.sub(2.0), 0.0).add(1.0)); // max(out−1, 1)
            SDVariable zero = sd.constant(Nd4j.scalar(0L));
            SDVariable one = sd.constant(Nd4j.scalar(1L));
            SDVariable src = sd.range(zero, m, one, Init.dtype()).mul(scale).reshape(1, -1); // [1,out]
            SDVariable j = sd.range(zero, n, one, Init.dtype()).reshape(-1, 1); // [in,1]
            // named "bilinear_*" so that op counters can tell resizing products from model matmuls
            return sd.nn().relu(INTERP_PREFIX + axis + "_" + srcStride + "_" + dstStride,
                    sd.math().abs(src.sub(j)).rsub(1.0), 0.0); // [in,out]
        });
    }

    /** Resizes x [B,C,inH,inW] to a fixed [outH,outW] with constant matrices (static sizes). */
    public static SDVariable toSize(SameDiff sd, SDVariable x, int c, int inH, int inW, int outH, int outW) {
        SDVariable ahT = sd.constant(matrix(inH, outH).transpose().dup('c')); // [inH,outH]
        SDVariable awT = sd.constant(matrix(inW, outW).transpose().dup('c')); // [inW,outW]
        SDVariable a = ColumnProduct.apply(x.reshape(-1, inW), awT); // [B*C*inH, outW]
        a = a.reshape(-1, inH, outW).permute(0, 2, 1).reshape(-1, inH); // [B*C*outW, inH]
        a = ColumnProduct.apply(a, ahT); // [B*C*outW, outH]
        return a.reshape(-1, c, outW, outH).permute(0, 1, 3, 2); // [B,C,outH,outW]
    }

    /**
     * The align_corners interpolation matrix [out, in], computed exactly as PyTorch's CPU kernel does:
     * scale = (in−1)/(out−1) and src = scale·i in float32, h0 = ⌊src⌋, λ = src − h0.
     */
    public static INDArray matrix(int in, int out) {
        float[] m = new float[out * in];
        float scale = out > 1 ? (float) (in - 1) / (float) (out - 1) : 0f;
        for (int i = 0; i < out; i++) {
            float src = scale * i;
            int h0 = (int) src;
            int h1 = h0 + (h0 < in - 1 ? 1 : 0);
            float l1 = src - h0;
            float l0 = 1f - l1;
            m[i * in + h0] += l0;
            m[i * in + h1] += l1;
        }
        return Nd4j.create(m, new long[] {out, in}, 'c');
    }
}
