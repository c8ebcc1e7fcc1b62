package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D convolution with the weight stored in PyTorch layout [out, in, kh, kw] under the PyTorch name
 * ({@code <module>.weight}, {@code <module>.bias}), computed as {@link ConvImpl} says.
 * NATIVE: the graph permutes the weight to SameDiff's [kh, kw, in, out] before conv2d in TRAIN graphs (in M2.1
 * the OIYX weight format works forward but conv2d_bp ignores it, a gradient-shape error; a permute is exact and
 * differentiable); EVAL graphs use OIYX directly. IM2COL: see {@link #im2col}.
 */
public final class Conv {
    private Conv() {
    }

    /** Conv2d(cin→cout, k×k, stride, padding, dilation), PyTorch default init, optional bias. */
    public static SDVariable conv2d(Scope s, SDVariable x, int cin, int cout, int k, int stride, int pad, int dil,
            boolean bias) {
        long fanIn = (long) cin * k * k;
        double bound = Init.bound(fanIn);
        SDVariable w = s.uniformParam("weight", bound, cout, cin, k, k);
        SDVariable b = bias ? s.uniformParam("bias", bound, cout) : null;
        boolean train = s.mode() == GraphMode.TRAIN;
        if (useIm2col(s.convImpl(), train, cin, cout, k, stride, dil)) {
            return im2col(x, w, b, cin, cout, k, stride, pad, dil);
        }
        return apply(x, w, b, k, stride, pad, dil, train);
    }

    /**
     * Whether a convolution goes through {@link #im2col}. AUTO picks conv2d everywhere for now: per shape, im2col
     * measured faster for stride-1 convs (1×1: ≈ 0.5×, 3×3 in training: 0.7–0.9×), but a whole paper-width 64²
     * ConDSeg training step took 38.0 s CPU with it against 14.3 s with conv2d (docs/decisions.md, "speed and
     * memory"), so the per-shape gains do not carry over; IM2COL keeps it available for measurement.
     */
    public static boolean useIm2col(ConvImpl impl, boolean train, int cin, int cout, int k, int stride, int dil) {
        return impl == ConvImpl.IM2COL;
    }

    /**
     * Conv2d with a kh×kw kernel (e.g. PraNet's 1×3 / 3×1 RFB branches), padding (padH, padW), stride 1:
     * weight [out, in, kh, kw] as in PyTorch, optional bias.
     */
    public static SDVariable conv2d(Scope s, SDVariable x, int cin, int cout, int kh, int kw, int padH, int padW, int dil,
            boolean bias) {
        double bound = Init.bound((long) cin * kh * kw);
        SDVariable w = s.uniformParam("weight", bound, cout, cin, kh, kw);
        SDVariable b = bias ? s.uniformParam("bias", bound, cout) : null;
        Conv2DConfig.Conv2DConfigBuilder cb = Conv2DConfig.builder().kH(kh).kW(kw).sH(1).sW(1).pH(padH).pW(padW)
                .dH(dil).dW(dil).paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW);
        SDVariable wk = w;
        if (s.mode() == GraphMode.TRAIN) {
            wk = w.permute(2, 3, 1, 0); // [kh,kw,in,out]
        } else {
            cb.weightsFormat(WeightsFormat.OIYX);
        }
        Conv2DConfig cfg = cb.build();
        return b == null ? x.getSameDiff().cnn().conv2d(x, wk, cfg) : x.getSameDiff().cnn().conv2d(x, wk, b, cfg);
    }

    /** Applies a conv with an existing [out,in,k,k] weight (and optional [out] bias). */
    public static SDVariable apply(SDVariable x, SDVariable wOihw, SDVariable b, int k, int stride, int pad, int dil) {
        return apply(x, wOihw, b, k, stride, pad, dil, true);
    }

    /**
     * libnd4j's conv2d; {@code differentiable = false} (inference graphs) passes the PyTorch-layout weight straight
     * to conv2d with weight format OIYX, saving the permute op.
     */
    public static SDVariable apply(SDVariable x, SDVariable wOihw, SDVariable b, int k, int stride, int pad, int dil,
            boolean differentiable) {
        Conv2DConfig.Conv2DConfigBuilder cb = config(k, stride, pad, dil);
        SDVariable w = wOihw;
        if (differentiable) {
            w = wOihw.permute(2, 3, 1, 0); // [k,k,in,out]
        } else {
            cb.weightsFormat(WeightsFormat.OIYX);
        }
        Conv2DConfig cfg = cb.build();
        return b == null ? x.getSameDiff().cnn().conv2d(x, w, cfg) : x.getSameDiff().cnn().conv2d(x, w, b, cfg);
    }

    /**
     * The same convolution as im2col + one batched matrix product: the input's k×k patches become columns
     * [B, C·k·k, Ho·Wo] (1×1 stride-1 kernels: the input itself, reshaped), the weight [O, C, k, k] is viewed as
     * [O, C·k·k] (the same (c, ky, kx) order) and tiled over the batch, and [B,O,C·k·k]·[B,C·k·k,Ho·Wo] gives
     * the output. Batch and spatial sizes are read from the graph at run time. Costs k² times the input as a
     * column buffer; its backward is two matrix products and a col2im, cheaper than conv2d_bp here.
     */
    public static SDVariable im2col(SDVariable x, SDVariable wOihw, SDVariable b, int cin, int cout, int k,
            int stride, int pad, int dil) {
        SameDiff sd = x.getSameDiff();
        long ckk = (long) cin * k * k;
        SDVariable src;
        SDVariable shape;
        int hAxis;
        if (k == 1 && stride == 1 && pad == 0) {
            src = x;
            shape = sd.shape(x); // [B,C,H,W]
            hAxis = 2;
        } else {
            src = sd.cnn().im2Col(x, config(k, stride, pad, dil).build()); // [B,C,k,k,Ho,Wo]
            shape = sd.shape(src);
            hAxis = 4;
        }
        SDVariable bDim = sd.slice(shape, new int[] {0}, new int[] {1}); // [1]: B
        SDVariable ho = sd.slice(shape, new int[] {hAxis}, new int[] {1});
        SDVariable wo = sd.slice(shape, new int[] {hAxis + 1}, new int[] {1});
        SDVariable cols = sd.reshape(src, sd.concat(0, bDim, dims(sd, shape, ckk), ho.mul(wo))); // [B,C·k·k,Ho·Wo]
        SDVariable wb = sd.tile(wOihw.reshape(1, cout, ckk), sd.concat(0, bDim, dims(sd, shape, 1, 1))); // [B,O,C·k·k]
        SDVariable y = sd.mmul(wb, cols); // [B,O,Ho·Wo]
        y = sd.reshape(y, sd.concat(0, bDim, dims(sd, shape, cout), ho, wo)); // [B,O,Ho,Wo]
        return b == null ? y : y.add(b.reshape(1, cout, 1, 1));
    }

    /** A constant shape vector of {@code shape}'s integer type. */
    private static SDVariable dims(SameDiff sd, SDVariable shape, long... d) {
        return sd.constant(Nd4j.createFromArray(d).castTo(shape.dataType()));
    }

    private static Conv2DConfig.Conv2DConfigBuilder config(int k, int stride, int pad, int dil) {
        return Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad).dH(dil).dW(dil)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW);
    }

    /**
     * nn.Linear(in→out) applied to every pixel of an NCHW map (what the official code does on a channels-last
     * view): weight [out, in] and bias [out] in PyTorch layout, computed as a 1×1 convolution.
     */
    public static SDVariable pointwiseLinear(Scope s, SDVariable x, int in, int out) {
        double bound = Init.bound(in);
        SDVariable w = s.uniformParam("weight", bound, out, in);
        SDVariable b = s.uniformParam("bias", bound, out);
        boolean train = s.mode() == GraphMode.TRAIN;
        if (useIm2col(s.convImpl(), train, in, out, 1, 1, 1)) {
            return im2col(x, w, b, in, out, 1, 1, 0, 1); // [B,out,H,W]
        }
        return apply(x, w.reshape(out, in, 1, 1), b, 1, 1, 0, 1, train); // [B,out,H,W]
    }

    /**
     * Depth-wise Conv2d(c→c, k×k, stride 1, padding k/2, groups = c) with bias, PyTorch weight [c, 1, k, k]
     * (permuted to SameDiff's [k, k, c, 1]).
     */
    public static SDVariable depthwise(Scope s, SDVariable x, int c, int k) {
        double bound = Init.bound((long) k * k);
        SDVariable w = s.uniformParam("weight", bound, c, 1, k, k);
        SDVariable b = s.uniformParam("bias", bound, c);
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).pH(k / 2).pW(k / 2).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
        return x.getSameDiff().cnn().depthWiseConv2d(x, w.permute(2, 3, 0, 1), b, cfg); // [B,c,H,W]
    }
}
