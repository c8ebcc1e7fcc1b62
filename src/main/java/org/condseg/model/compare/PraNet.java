package org.condseg.model.compare;

import java.util.List;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.encoder.EncoderTaps;
import org.condseg.model.encoder.ResNet;
import org.condseg.nn.BatchNorm;
import org.condseg.nn.Bilinear;
import org.condseg.nn.Conv;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Relu;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * PraNet (Fan et al., "PraNet: Parallel Reverse Attention Network for Polyp Segmentation", MICCAI 2020):
 * RFB modules on the three deepest encoder features (strides 8, 16, 32), a parallel partial decoder giving the
 * global map S_g (paper Eq. 1: aggregation by multiplication and concatenation), then three reverse-attention
 * stages from the deepest level up, each R_i = (1 − σ(S_{i+1}↑)) ⊙ f_i (Eq. 2) refined by convolutions into a
 * residual added to the upsampled previous map. Deep supervision on all four maps (Eq. 3–4: the structure loss
 * {@link org.condseg.loss.StructureLoss}).
 * <p>Deviations: the paper's Res2Net-50 backbone is replaced by {@code model.encoder} (ResNet-50 by default,
 * with layer4 built for the stride-32 feature); every resize is bilinear with align_corners = True (the
 * original's F.interpolate uses False). Outputs: {@code mask_logit} = the finest map S_2 (what PraNet predicts
 * with), {@code side1_logit} = S_g, {@code side2_logit} = S_4, {@code side3_logit} = S_3, all at input size.
 * Widths: RFB/decoder 32, reverse attention 256 (deepest) and 64, scaled by {@link Widths}.
 */
public final class PraNet {
    private PraNet() {
    }

    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, cfg.initSeed);
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        root.geometry().anchor(1, image);
        ResNet enc = CompareEncoder.resnet(cfg, "pranet");
        EncoderTaps t = enc.build(root, image);
        for (int i = 1; i <= 4; i++) {
            root.geometry().anchor(t.stride(i), t.tap(i));
        }
        SDVariable x4 = enc.buildLayer4(root, t.f4()); // [B,c5,H/32,W/32]
        root.geometry().anchor(32, x4);
        int[] ch = t.channels();
        int c5 = enc.layer4Channels();
        int c = Widths.scale(32, cfg.width);
        SDVariable r2 = rfb(root.child("rfb2_1"), t.f3(), ch[2], c); // [B,c,H/8,W/8]
        SDVariable r3 = rfb(root.child("rfb3_1"), t.f4(), ch[3], c); // [B,c,H/16,W/16]
        SDVariable r4 = rfb(root.child("rfb4_1"), x4, c5, c); // [B,c,H/32,W/32]
        SDVariable sg = root.tap("agg1", aggregation(root.child("agg1"), r4, r3, r2, c)); // [B,1,H/8,W/8]

        int w4 = Widths.scale(256, cfg.width);
        int w = Widths.scale(64, cfg.width);
        SDVariable crop4 = Bilinear.resize(root, sg, 1, 8, 32); // [B,1,H/32,W/32]
        SDVariable s4 = crop4.add(reverseAttention(root, "ra4", crop4, x4, c5, w4, 5, 3)); // [B,1,H/32,W/32]
        SDVariable crop3 = Bilinear.resize(root, s4, 1, 32, 16); // [B,1,H/16,W/16]
        SDVariable s3 = crop3.add(reverseAttention(root, "ra3", crop3, t.f4(), ch[3], w, 3, 2));
        SDVariable crop2 = Bilinear.resize(root, s3, 1, 16, 8); // [B,1,H/8,W/8]
        SDVariable s2 = crop2.add(reverseAttention(root, "ra2", crop2, t.f3(), ch[2], w, 3, 2));

        SDVariable main = Bilinear.resize(root, s2, 1, 8, 1); // [B,1,H,W]
        SDVariable side1 = Bilinear.resize(root, sg, 1, 8, 1);
        SDVariable side2 = Bilinear.resize(root, s4, 1, 32, 1);
        SDVariable side3 = Bilinear.resize(root, s3, 1, 16, 1);
        List<String> outputs = Outputs.declare(sd, main, side1, side2, side3);
        return new BuiltModel(cfg, mode, false, root, outputs, ResNet.PREFIXES_WITH_LAYER4, 16);
    }

    /** BasicConv2d of PraNet: conv (no bias) + BN, no activation; {@code <module>.conv}, {@code <module>.bn}. */
    static SDVariable basic(Scope s, SDVariable x, int cin, int cout, int kh, int kw, int dil) {
        int ph = dil * (kh - 1) / 2;
        int pw = dil * (kw - 1) / 2;
        SDVariable y = Conv.conv2d(s.child("conv"), x, cin, cout, kh, kw, ph, pw, dil, false);
        return BatchNorm.apply(s.child("bn"), y, cout);
    }

    /**
     * RFB_modified: branch0 = 1×1; branch k (k = 1, 2, 3, m = 2k+1) = 1×1, 1×m, m×1, 3×3 dilated m; concatenation
     * → 3×3 conv_cat; out = ReLU(conv_cat + conv_res(x)) with a 1×1 conv_res. Same spatial size.
     */
    static SDVariable rfb(Scope s, SDVariable x, int cin, int c) {
        SameDiff sd = s.sd();
        SDVariable[] br = new SDVariable[4];
        br[0] = basic(s.child("branch0").child("0"), x, cin, c, 1, 1, 1);
        for (int k = 1; k <= 3; k++) {
            int m = 2 * k + 1;
            Scope b = s.child("branch" + k);
            SDVariable y = basic(b.child("0"), x, cin, c, 1, 1, 1);
            y = basic(b.child("1"), y, c, c, 1, m, 1);
            y = basic(b.child("2"), y, c, c, m, 1, 1);
            br[k] = basic(b.child("3"), y, c, c, 3, 3, m);
        }
        SDVariable cat = basic(s.child("conv_cat"), sd.concat(1, br), 4 * c, c, 3, 3, 1); // [B,c,h,w]
        return Relu.apply(cat.add(basic(s.child("conv_res"), x, cin, c, 1, 1, 1)));
    }

    /**
     * Parallel partial decoder (paper Eq. 1) on x1 (/32), x2 (/16), x3 (/8), c channels each: multiplicative
     * fusion of upsampled deeper features, two concatenation stages, conv4 (3×3) and conv5 (1×1 with bias → 1).
     */
    static SDVariable aggregation(Scope s, SDVariable x1, SDVariable x2, SDVariable x3, int c) {
        SameDiff sd = s.sd();
        SDVariable up1 = Bilinear.up(s, x1, c, 32, 2); // [B,c,H/16,W/16]
        SDVariable up11 = Bilinear.up(s, up1, c, 16, 2); // [B,c,H/8,W/8]
        SDVariable up2 = Bilinear.up(s, x2, c, 16, 2); // [B,c,H/8,W/8]
        SDVariable x21 = basic(s.child("conv_upsample1"), up1, c, c, 3, 3, 1).mul(x2);
        SDVariable x31 = basic(s.child("conv_upsample2"), up11, c, c, 3, 3, 1)
                .mul(basic(s.child("conv_upsample3"), up2, c, c, 3, 3, 1)).mul(x3);
        SDVariable x22 = sd.concat(1, x21, basic(s.child("conv_upsample4"), up1, c, c, 3, 3, 1)); // [B,2c,H/16,W/16]
        x22 = basic(s.child("conv_concat2"), x22, 2 * c, 2 * c, 3, 3, 1);
        SDVariable up22 = Bilinear.up(s, x22, 2 * c, 16, 2); // [B,2c,H/8,W/8]
        SDVariable x32 = sd.concat(1, x31, basic(s.child("conv_upsample5"), up22, 2 * c, 2 * c, 3, 3, 1)); // [B,3c,..]
        x32 = basic(s.child("conv_concat3"), x32, 3 * c, 3 * c, 3, 3, 1);
        SDVariable y = basic(s.child("conv4"), x32, 3 * c, 3 * c, 3, 3, 1);
        return Conv.conv2d(s.child("conv5"), y, 3 * c, 1, 1, 1, 0, 1, true); // [B,1,H/8,W/8]
    }

    /**
     * One reverse-attention stage (paper Eq. 2): R = (1 − σ(crop)) ⊙ f, then {@code <name>_conv1} (1×1 → w),
     * {@code convs} ReLU(k×k) convs, and a last conv to one channel (1×1 for the deepest stage, else 3×3).
     * Returns the residual map [B,1,h,w].
     */
    static SDVariable reverseAttention(Scope root, String name, SDVariable crop, SDVariable f, int cf, int w, int k,
            int convs) {
        SameDiff sd = root.sd();
        SDVariable rev = sd.nn().sigmoid(crop).rsub(1.0); // [B,1,h,w], broadcast over channels
        SDVariable x = basic(root.child(name + "_conv1"), f.mul(rev), cf, w, 1, 1, 1);
        for (int i = 2; i < 2 + convs; i++) {
            x = Relu.apply(basic(root.child(name + "_conv" + i), x, w, w, k, k, 1));
        }
        int last = k == 5 ? 1 : 3;
        return basic(root.child(name + "_conv" + (2 + convs)), x, w, 1, last, last, 1); // [B,1,h,w]
    }
}
