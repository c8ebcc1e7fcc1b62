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
 * NATIVE: conv2d reads the weight in that layout (format OIYX) in training and inference graphs; its gradient is
 * {@link ConvOps}'s. IM2COL: see {@link #im2col}.
 */
public final class Conv {
    /** Name prefix of the matrix product that computes a convolution in {@link #im2col} (MacCounter counts it as conv). */
    public static final String IM2COL_PRODUCT = "conv_im2col";
    /** Name prefix of the patch-times-kernel product of a depth-wise convolution computed from im2col. */
    public static final String DEPTHWISE_PRODUCT = "dwconv_im2col";

    private Conv() {
    }

    /** Conv2d(cin→cout, k×k, stride, padding, dilation), PyTorch default init, optional bias. */
    public static SDVariable conv2d(Scope s, SDVariable x, int cin, int cout, int k, int stride, int pad, int dil,
            boolean bias) {
        long fanIn = (long) cin * k * k;
        double bound = Init.bound(fanIn);
        SDVariable w = s.uniformParam("weight", bound, cout, cin, k, k);
        SDVariable b = bias ? s.uniformParam("bias", bound, cout) : null;
        if (useIm2col(s.convImpl(), dil)) {
            return im2col(x, w, b, cin, cout, k, stride, pad, dil);
        }
        return nativeConv(x, w, b, config(k, stride, pad, dil));
    }

    /**
     * Whether a convolution goes through {@link #im2col}. AUTO: dilated convolutions only. The CPU backend is
     * libnd4j's oneDNN build (pom.xml), whose conv2d and conv2d_bp ran about 10× faster than the plain build's here,
     * but which rejects every dilated convolution ("could not create a descriptor for a dilated convolution"); the
     * im2col form computes those. NATIVE: conv2d everywhere (dilated ones then need the plain build,
     * {@code -Dnd4j.extension=} at build time). IM2COL: everywhere, for measurement.
     */
    public static boolean useIm2col(ConvImpl impl, int dil) {
        return impl == ConvImpl.IM2COL || (impl == ConvImpl.AUTO && dil > 1);
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
        if (useIm2col(s.convImpl(), dil)) {
            return im2col(x, w, b, cin, cout, kh, kw, 1, padH, padW, dil);
        }
        return nativeConv(x, w, b, config(kh, kw, 1, padH, padW, dil));
    }

    /**
     * A convolution with an existing [out,in,k,k] weight (and optional [out] bias), computed as {@link #useIm2col}
     * says for the system-wide setting ({@link ConvImpl#effective}).
     */
    public static SDVariable apply(SDVariable x, SDVariable wOihw, SDVariable b, int k, int stride, int pad, int dil) {
        if (useIm2col(ConvImpl.effective(null), dil)) {
            long[] shape = wOihw.getShape(); // [out,in,k,k]: a parameter's shape is known when the graph is built
            return im2col(x, wOihw, b, (int) shape[1], (int) shape[0], k, stride, pad, dil);
        }
        return nativeConv(x, wOihw, b, config(k, stride, pad, dil));
    }

    /** libnd4j's conv2d reading the PyTorch-layout weight (format OIYX) in training and inference graphs alike. */
    private static SDVariable nativeConv(SDVariable x, SDVariable wOihw, SDVariable b,
            Conv2DConfig.Conv2DConfigBuilder cfg) {
        return ConvOps.conv2d(x, wOihw, b, cfg.weightsFormat(WeightsFormat.OIYX).build());
    }

    /**
     * The same convolution from im2col: the input's k×k patches [B, C, k, k, Ho, Wo], viewed as a map of C·k·k
     * channels [B, C·k·k, Ho, Wo] (a reshape of contiguous memory), go through a 1×1 conv2d whose weight is the
     * [O, C, k, k] kernel viewed as [O, C·k·k, 1, 1] (the same (c, ky, kx) order): one oneDNN convolution and no
     * permutes. Its conv2d_bp recomputes the columns instead of keeping them ({@link Recompute}). (The previous form,
     * the columns moved to [C·k·k, B·Ho·Wo] for one matrix product and the result moved back, spent more in its 6-D
     * permutes than in the product: 2.7 s of permutes in a 14.7 s 128² step, README, Performance.) A 1×1 stride-1
     * kernel without padding (the IM2COL setting's pointwise layers) is the input itself times the weight as one
     * matrix product {@link #IM2COL_PRODUCT}. Batch and spatial sizes are read from the graph at run time.
     */
    public static SDVariable im2col(SDVariable x, SDVariable wOihw, SDVariable b, int cin, int cout, int k,
            int stride, int pad, int dil) {
        return im2col(x, wOihw, b, cin, cout, k, k, stride, pad, pad, dil);
    }

    /** {@link #im2col} for a kh×kw kernel with padding (padH, padW). */
    public static SDVariable im2col(SDVariable x, SDVariable wOihw, SDVariable b, int cin, int cout, int kh, int kw,
            int stride, int padH, int padW, int dil) {
        SameDiff sd = x.getSameDiff();
        long ckk = (long) cin * kh * kw;
        if (kh == 1 && kw == 1 && stride == 1 && padH == 0 && padW == 0) {
            SDVariable shape = sd.shape(x); // [B,C,H,W]
            SDVariable cols = sd.reshape(x.permute(1, 0, 2, 3), ckk, -1); // [C, B·H·W]
            SDVariable y = sd.mmul(unique(sd, IM2COL_PRODUCT), wOihw.reshape(cout, ckk), cols); // [O,B·H·W]
            SDVariable bDim = sd.slice(shape, new int[] {0}, new int[] {1});
            SDVariable hw = sd.slice(shape, new int[] {2}, new int[] {2});
            y = sd.reshape(y, sd.concat(0, dims(sd, shape, cout), bDim, hw)).permute(1, 0, 2, 3); // [B,O,H,W]
            return b == null ? y : Add.broadcast(y, b.reshape(1, cout, 1, 1), 0, 2, 3);
        }
        SDVariable patches = sd.cnn().im2Col(x, config(kh, kw, stride, padH, padW, dil).build()); // [B,C,kh,kw,Ho,Wo]
        SDVariable shape = sd.shape(patches);
        SDVariable bDim = sd.slice(shape, new int[] {0}, new int[] {1});
        SDVariable hw = sd.slice(shape, new int[] {4}, new int[] {2});
        SDVariable cols = sd.reshape(patches, sd.concat(0, bDim, dims(sd, shape, ckk), hw)); // [B,C·kh·kw,Ho,Wo]
        return ConvOps.conv2d(cols, wOihw.reshape(cout, ckk, 1, 1), b,
                config(1, 1, 0, 1).weightsFormat(WeightsFormat.OIYX).build());
    }

    /** {@code prefix}_N for the first N not yet taken in {@code sd}. */
    private static String unique(SameDiff sd, String prefix) {
        int n = 0;
        while (sd.hasVariable(prefix + "_" + n)) {
            n++;
        }
        return prefix + "_" + n;
    }

    /** A constant shape vector of {@code shape}'s integer type. */
    private static SDVariable dims(SameDiff sd, SDVariable shape, long... d) {
        return sd.constant(Nd4j.createFromArray(d).castTo(shape.dataType()));
    }

    private static Conv2DConfig.Conv2DConfigBuilder config(int k, int stride, int pad, int dil) {
        return config(k, k, stride, pad, pad, dil);
    }

    /** NCHW, explicit padding ("VALID" plus pH/pW), the same stride and dilation along both axes. */
    static Conv2DConfig.Conv2DConfigBuilder config(int kh, int kw, int stride, int padH, int padW, int dil) {
        return Conv2DConfig.builder().kH(kh).kW(kw).sH(stride).sW(stride).pH(padH).pW(padW).dH(dil).dW(dil)
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
        if (useIm2col(s.convImpl(), 1)) {
            return im2col(x, w, b, in, out, 1, 1, 0, 1); // [B,out,H,W]
        }
        return apply(x, w.reshape(out, in, 1, 1), b, 1, 1, 0, 1); // [B,out,H,W]
    }

    /**
     * Depth-wise Conv2d(c→c, k×k, stride 1, padding k/2, groups = c) with bias, PyTorch weight [c, 1, k, k]
     * (permuted to SameDiff's [k, k, c, 1]).
     */
    public static SDVariable depthwise(Scope s, SDVariable x, int c, int k) {
        double bound = Init.bound((long) k * k);
        SDVariable w = s.uniformParam("weight", bound, c, 1, k, k);
        SDVariable b = s.uniformParam("bias", bound, c);
        return depthwise(x, w, b, c, k, k / 2, 1);
    }

    /**
     * Depth-wise k×k convolution (stride 1, padding {@code pad}, dilation {@code dil}) with an existing weight
     * [c, 1, k, k] (PyTorch layout) and optional bias. Dilated ones are computed from im2col (the oneDNN build rejects
     * them, see {@link #useIm2col}): the patches [B,c,k·k,Ho·Wo] times the kernel, summed over the window.
     */
    public static SDVariable depthwise(SDVariable x, SDVariable wC1kk, SDVariable b, int c, int k, int pad, int dil) {
        SameDiff sd = x.getSameDiff();
        Conv2DConfig cfg = config(k, 1, pad, dil).build();
        if (!useIm2col(ConvImpl.effective(null), dil)) {
            SDVariable w = wC1kk.permute(2, 3, 0, 1); // [k,k,c,1]
            return b == null ? sd.cnn().depthWiseConv2d(x, w, cfg) : sd.cnn().depthWiseConv2d(x, w, b, cfg); // [B,c,H,W]
        }
        SDVariable patches = sd.cnn().im2Col(x, cfg); // [B,c,k,k,Ho,Wo]
        SDVariable shape = sd.shape(patches);
        SDVariable bDim = sd.slice(shape, new int[] {0}, new int[] {1});
        SDVariable ho = sd.slice(shape, new int[] {4}, new int[] {1});
        SDVariable wo = sd.slice(shape, new int[] {5}, new int[] {1});
        SDVariable p = sd.reshape(patches, sd.concat(0, bDim, dims(sd, shape, c, (long) k * k), ho.mul(wo)));
        SDVariable prod = p.mul(unique(sd, DEPTHWISE_PRODUCT), wC1kk.reshape(1, c, (long) k * k, 1));
        SDVariable y = sd.reshape(prod.sum(2), sd.concat(0, bDim, dims(sd, shape, c), ho, wo)); // [B,c,Ho,Wo]
        return b == null ? y : Add.broadcast(y, b.reshape(1, c, 1, 1), 0, 2, 3);
    }
}
