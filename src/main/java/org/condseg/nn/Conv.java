package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * 2-D convolution with the weight stored in PyTorch layout [out, in, kh, kw] under the PyTorch name
 * ({@code <module>.weight}, {@code <module>.bias}). The graph permutes the weight to SameDiff's [kh, kw, in, out]
 * before the op in TRAIN graphs: in M2.1 the OIYX weight format works forward but conv2d_bp ignores it (a
 * gradient-shape error), while a permute is exact and differentiable. EVAL graphs use OIYX directly.
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
        return apply(x, w, b, k, stride, pad, dil, s.mode() == GraphMode.TRAIN);
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
     * As above; {@code differentiable = false} (inference graphs) passes the PyTorch-layout weight straight to
     * conv2d with weight format OIYX, saving the permute op.
     */
    public static SDVariable apply(SDVariable x, SDVariable wOihw, SDVariable b, int k, int stride, int pad, int dil,
            boolean differentiable) {
        Conv2DConfig.Conv2DConfigBuilder cb = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad)
                .dH(dil).dW(dil).paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW);
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
     * nn.Linear(in→out) applied to every pixel of an NCHW map (what the official code does on a channels-last
     * view): weight [out, in] and bias [out] in PyTorch layout, computed as a 1×1 convolution.
     */
    public static SDVariable pointwiseLinear(Scope s, SDVariable x, int in, int out) {
        double bound = Init.bound(in);
        SDVariable w = s.uniformParam("weight", bound, out, in);
        SDVariable b = s.uniformParam("bias", bound, out);
        return apply(x, w.reshape(out, in, 1, 1), b, 1, 1, 0, 1, s.mode() == GraphMode.TRAIN); // [B,out,H,W]
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
