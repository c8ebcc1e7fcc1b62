package org.condseg.model.compare;

import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.encoder.EncoderTaps;
import org.condseg.model.encoder.ResNet;
import org.condseg.nn.BatchNorm;
import org.condseg.nn.Bilinear;
import org.condseg.nn.Conv;
import org.condseg.nn.ConvTranspose;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Relu;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/**
 * CE-Net (Gu et al., "CE-Net: Context Encoder Network for 2D Medical Image Segmentation", IEEE TMI 2019): a
 * ResNet encoder (ResNet-34 in the paper; here {@code model.encoder}, layer4 included), the dense atrous
 * convolution block DAC (paper §II-B: four cascaded branches of 3×3 atrous convs with rates 1, 3, 5 and a shared
 * 1×1, summed with the input), the residual multi-kernel pooling RMP (§II-C: max pooling 2, 3, 5, 6, a shared
 * 1×1 conv to one channel each, bilinear upsampling, concatenation with the input: c5 + 4 channels), and a decoder
 * of blocks 1×1 → 3×3 transposed conv (stride 2) → 1×1 with skip additions, then a 4×4 transposed conv and two
 * 3×3 convs to the logit at input size.
 * <p>Deviations: RMP pools in ceil mode (SAME padding) so that maps smaller than the kernel still give one
 * cell (the original's floor mode needs ≥ 6×6 maps, i.e. inputs ≥ 192); its upsampling uses align_corners =
 * True. Input sides must be multiples of 32, as in the original (the transposed convs double exactly).
 * Widths: decoder outputs equal the encoder channels they are added to; the hidden in/4 widths, the last
 * decoder (64) and the head (32) scale by {@link Widths}.
 */
public final class CeNet {
    private CeNet() {
    }

    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, cfg.initSeed);
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        root.geometry().anchor(1, image);
        ResNet enc = CompareEncoder.resnet(cfg, "cenet");
        EncoderTaps t = enc.build(root, image);
        for (int i = 1; i <= 4; i++) {
            root.geometry().anchor(t.stride(i), t.tap(i));
        }
        SDVariable e4 = enc.buildLayer4(root, t.f4()); // [B,c5,H/32,W/32]
        root.geometry().anchor(32, e4);
        int[] ch = t.channels();
        int c5 = enc.layer4Channels();
        int w = cfg.width;
        SDVariable center = root.tap("dblock", dac(root.child("dblock"), e4, c5));
        center = root.tap("spp", rmp(root.child("spp"), center, c5)); // [B,c5+4,H/32,W/32]
        SDVariable d4 = decoder(root.child("decoder4"), center, c5 + 4, ch[3], w).add(t.f4()); // [B,c4,H/16,W/16]
        SDVariable d3 = decoder(root.child("decoder3"), d4, ch[3], ch[2], w).add(t.f3()); // [B,c3,H/8,W/8]
        SDVariable d2 = decoder(root.child("decoder2"), d3, ch[2], ch[1], w).add(t.f2()); // [B,c2,H/4,W/4]
        int c1 = Widths.scale(64, w);
        SDVariable d1 = decoder(root.child("decoder1"), d2, ch[1], c1, w); // [B,64,H/2,W/2]
        int f = Widths.scale(32, w);
        SDVariable y = Relu.apply(ConvTranspose.apply(root.child("finaldeconv1"), d1, c1, f, 4, 2, 1, 0, true));
        y = Relu.apply(Conv.conv2d(root.child("finalconv2"), y, f, f, 3, 1, 1, 1, true)); // [B,32,H,W]
        SDVariable logit = Conv.conv2d(root.child("finalconv3"), y, f, 1, 3, 1, 1, 1, true); // [B,1,H,W]
        return new BuiltModel(cfg, mode, false, root, Outputs.declare(sd, logit), ResNet.PREFIXES_WITH_LAYER4, 32);
    }

    /** DAC: x + ReLU(d1 x) + ReLU(c(d2 x)) + ReLU(c(d2 d1 x)) + ReLU(c(d3 d2 d1 x)), convs with bias. */
    static SDVariable dac(Scope s, SDVariable x, int c) {
        SameDiff sd = s.sd();
        SDVariable a1 = Conv.conv2d(s.child("dilate1"), x, c, c, 3, 1, 1, 1, true);
        SDVariable a2 = Conv.conv2d(s.child("dilate2"), x, c, c, 3, 1, 3, 3, true);
        SDVariable a21 = Conv.conv2d(s.child("dilate2"), a1, c, c, 3, 1, 3, 3, true);
        SDVariable a321 = Conv.conv2d(s.child("dilate3"), a21, c, c, 3, 1, 5, 5, true);
        Scope c11 = s.child("conv1x1");
        SDVariable out = x.add(Relu.apply(a1));
        out = out.add(Relu.apply(Conv.conv2d(c11, a2, c, c, 1, 1, 0, 1, true)));
        out = out.add(Relu.apply(Conv.conv2d(c11, a21, c, c, 1, 1, 0, 1, true)));
        return out.add(Relu.apply(Conv.conv2d(c11, a321, c, c, 1, 1, 0, 1, true))); // [B,c,h,w]
    }

    /** RMP: max-pool k ∈ {2,3,5,6} (stride k) → shared 1×1 conv (bias) to 1 channel → upsample; cat with x. */
    static SDVariable rmp(Scope s, SDVariable x, int c) {
        SameDiff sd = s.sd();
        SDVariable[] parts = new SDVariable[5];
        int[] kernels = {2, 3, 5, 6};
        for (int i = 0; i < 4; i++) {
            int k = kernels[i];
            Pooling2DConfig pool = Pooling2DConfig.builder().kH(k).kW(k).sH(k).sW(k).pH(0).pW(0).dH(1).dW(1)
                    .paddingMode(PaddingMode.SAME).isNHWC(false).build();
            SDVariable p = sd.cnn().maxPooling2d(x, pool); // [B,c,⌈h/k⌉,⌈w/k⌉]
            s.geometry().anchor(32 * k, p);
            SDVariable q = Conv.conv2d(s.child("conv"), p, c, 1, 1, 1, 0, 1, true); // [B,1,⌈h/k⌉,⌈w/k⌉]
            parts[i] = Bilinear.resize(s, q, 1, 32 * k, 32); // [B,1,h,w]
        }
        parts[4] = x;
        return sd.concat(1, parts); // [B,c+4,h,w]
    }

    /**
     * Decoder block: 1×1 (in→m) BN ReLU → ConvTranspose 3×3 stride 2 (padding 1, output_padding 1) BN ReLU →
     * 1×1 (m→out) BN ReLU, m = in/4 scaled by {@link Widths}; doubles the size.
     */
    static SDVariable decoder(Scope s, SDVariable x, int in, int out, int width) {
        SameDiff sd = s.sd();
        int m = Widths.scale(in / 4, width);
        SDVariable y = Conv.conv2d(s.child("conv1"), x, in, m, 1, 1, 0, 1, true);
        y = Relu.apply(BatchNorm.apply(s.child("norm1"), y, m));
        y = ConvTranspose.apply(s.child("deconv2"), y, m, m, 3, 2, 1, 1, true); // [B,m,2h,2w]
        y = Relu.apply(BatchNorm.apply(s.child("norm2"), y, m));
        y = Conv.conv2d(s.child("conv3"), y, m, out, 1, 1, 0, 1, true);
        return Relu.apply(BatchNorm.apply(s.child("norm3"), y, out)); // [B,out,2h,2w]
    }
}
