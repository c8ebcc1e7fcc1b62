package org.condseg.model.compare;

import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.encoder.EncoderTaps;
import org.condseg.model.encoder.ResNet;
import org.condseg.nn.BatchNorm;
import org.condseg.nn.Bilinear;
import org.condseg.nn.Cbr;
import org.condseg.nn.Conv;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Init;
import org.condseg.nn.Relu;
import org.condseg.nn.Scope;
import org.condseg.nn.Softmax;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * CPFNet (Feng et al., "CPFNet: Context Pyramid Fusion Network for Medical Image Segmentation", IEEE TMI 2020):
 * a ResNet encoder (ResNet-34 in the paper; here {@code model.encoder}, layer4 included) c1..c5, a scale-aware
 * pyramid fusion module SAPF on c5 (paper §II-C: one 3×3 kernel shared at dilations 1, 2, 4, fused pairwise by
 * spatial softmax attention, residual with a learnable γ initialised to 0), global pyramid guidance modules
 * GPG_4, GPG_3, GPG_2 (§II-B: every deeper feature projected by a 3×3 CBR, upsampled to level k, concatenated,
 * depthwise-separable convs at dilations 1, 2, 4, 8 (as many as levels), 1×1 fusion), and a decoder that
 * upsamples ×2, adds the guidance of each level, then a head (×2, 1×1 and 3×3 CBRs, 1×1 conv) to the logit.
 * <p>Deviations: the official SAPF declares second copies of its fusion convs that its forward never uses;
 * they are not built. Decoder/GPG widths are the ResNet-34 paper values 256, 128, 64 (levels 4, 3, 2) whatever
 * the encoder, head 32, scaled by {@link Widths}; the last decoder block outputs the encoder's c1 channels (64),
 * which it is added to. All resizes are bilinear with align_corners = True, as in the original.
 */
public final class CpfNet {
    private CpfNet() {
    }

    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, cfg.initSeed);
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        root.geometry().anchor(1, image);
        ResNet enc = CompareEncoder.resnet(cfg, "cpfnet");
        EncoderTaps t = enc.build(root, image);
        for (int i = 1; i <= 4; i++) {
            root.geometry().anchor(t.stride(i), t.tap(i));
        }
        SDVariable c5 = enc.buildLayer4(root, t.f4()); // [B,ch5,H/32,W/32]
        root.geometry().anchor(32, c5);
        int[] ch = {t.channels()[0], t.channels()[1], t.channels()[2], t.channels()[3], enc.layer4Channels()};
        SDVariable[] c = {t.f1(), t.f2(), t.f3(), t.f4(), c5};
        int w = cfg.width;
        int w4 = Widths.scale(256, w);
        int w3 = Widths.scale(128, w);
        int w2 = Widths.scale(64, w);
        SDVariable m4 = root.tap("mce_4", gpg(root.child("mce_4"), c, ch, 4, w4)); // [B,w4,H/16,W/16]
        SDVariable m3 = root.tap("mce_3", gpg(root.child("mce_3"), c, ch, 3, w3)); // [B,w3,H/8,W/8]
        SDVariable m2 = root.tap("mce_2", gpg(root.child("mce_2"), c, ch, 2, w2)); // [B,w2,H/4,W/4]
        SDVariable s5 = root.tap("sap", sapf(root.child("sap"), c5, ch[4]));
        SDVariable d4 = Relu.apply(decoder(root.child("decoder5"), s5, ch[4], w4, 32, true).add(m4));
        SDVariable d3 = Relu.apply(decoder(root.child("decoder4"), d4, w4, w3, 16, false).add(m3));
        SDVariable d2 = Relu.apply(decoder(root.child("decoder3"), d3, w3, w2, 8, false).add(m2));
        SDVariable d1 = decoder(root.child("decoder2"), d2, w2, ch[0], 4, false).add(t.f1()); // [B,64,H/2,W/2]
        Scope head = root.child("main_head");
        int hw = Widths.scale(32, w);
        SDVariable y = Bilinear.up(head, d1, ch[0], 2, 2); // [B,64,H,W]
        Scope seq = head.child("conv_1x1_3x3");
        y = cbr(seq.child("0"), y, ch[0], hw, 1, 1);
        y = cbr(seq.child("1"), y, hw, hw, 3, 1);
        SDVariable logit = Conv.conv2d(head.child("conv_1x1_2"), y, hw, 1, 1, 1, 0, 1, true); // [B,1,H,W]
        return new BuiltModel(cfg, mode, false, root, Outputs.declare(sd, logit), ResNet.PREFIXES_WITH_LAYER4, 16);
    }

    /** ConvBnRelu (conv without bias, {@code <module>.conv}, {@code <module>.bn}). */
    static SDVariable cbr(Scope s, SDVariable x, int cin, int cout, int k, int dil) {
        SDVariable y = Conv.conv2d(s.child("conv"), x, cin, cout, k, 1, dil * (k - 1) / 2, dil, false);
        return Relu.apply(BatchNorm.apply(s.child("bn"), y, cout));
    }

    /**
     * GPG at level k (2, 3 or 4): conv{j} = CBR 3×3 (c_j → w) for j = k..5, each upsampled to level k, concatenated
     * deepest first; dilation{i} = separable conv (3×3 depthwise at dilation 2^(i−1), BN, 1×1) + BN + ReLU for
     * i = 1..6−k; conv_out = 1×1 (no bias) + BN. Output [B,w,H/2^k,W/2^k].
     */
    static SDVariable gpg(Scope s, SDVariable[] c, int[] ch, int k, int w) {
        SameDiff sd = s.sd();
        int n = 6 - k;
        int stride = 1 << k;
        SDVariable[] feats = new SDVariable[n];
        for (int j = 5; j >= k; j--) {
            Scope cj = s.child("conv" + j);
            SDVariable y = Conv.conv2d(cj.child("0"), c[j - 1], ch[j - 1], w, 3, 1, 1, 1, false);
            y = Relu.apply(BatchNorm.apply(cj.child("1"), y, w));
            feats[5 - j] = Bilinear.up(s, y, w, 1 << j, 1 << (j - k)); // [B,w,H/2^k,W/2^k]
        }
        SDVariable cat = sd.concat(1, feats); // [B,n·w,..]
        SDVariable[] dil = new SDVariable[n];
        for (int i = 1; i <= n; i++) {
            Scope di = s.child("dilation" + i);
            int d = 1 << (i - 1);
            SDVariable y = separable(di.child("0"), cat, n * w, w, d);
            dil[i - 1] = Relu.apply(BatchNorm.apply(di.child("1"), y, w));
        }
        Scope out = s.child("conv_out");
        SDVariable y = Conv.conv2d(out.child("0"), sd.concat(1, dil), n * w, w, 1, 1, 0, 1, false);
        s.geometry().anchor(stride, y);
        return BatchNorm.apply(out.child("1"), y, w); // [B,w,H/2^k,W/2^k]
    }

    /** SeparableConv2d: depthwise 3×3 at dilation d ({@code conv1}, no bias) → BN ({@code bn}) → 1×1 ({@code pointwise}). */
    static SDVariable separable(Scope s, SDVariable x, int cin, int cout, int d) {
        SDVariable dw = s.child("conv1").uniformParam("weight", Init.bound(9), cin, 1, 3, 3); // PyTorch [in,1,3,3]
        SDVariable y = Conv.depthwise(x, dw, null, cin, 3, d, d); // [B,cin,h,w]
        y = BatchNorm.apply(s.child("bn"), y, cin);
        return Conv.conv2d(s.child("pointwise"), y, cin, cout, 1, 1, 0, 1, false); // [B,cout,h,w]
    }

    /**
     * SAPF (paper §II-C): b_r = BN_r(conv3x3 at dilation r) for r = 1, 2, 4 with one shared kernel (bias on b_1
     * only, as the original); A = softmax over 2 channels of conv3x3_2(ReLU(conv3x3_1(ReLU(conv1x1[b_1, b_2]))));
     * f12 = A_1 b_1 + A_2 b_2; the same fusion convs weigh [f12, b_3]; out = CBR1×1(ReLU(γ·fused + (1−γ)·x)).
     */
    static SDVariable sapf(Scope s, SDVariable x, int c) {
        SameDiff sd = s.sd();
        Scope k3 = s.child("conv3x3");
        SDVariable b1 = BatchNorm.apply(s.child("bn").child("0"), Conv.conv2d(k3, x, c, c, 3, 1, 1, 1, true), c);
        SDVariable wk = sd.getVariable(k3.name("weight"));
        SDVariable b2 = BatchNorm.apply(s.child("bn").child("1"), Conv.apply(x, wk, null, 3, 1, 2, 2), c);
        SDVariable b3 = BatchNorm.apply(s.child("bn").child("2"), Conv.apply(x, wk, null, 3, 1, 4, 4), c);
        SDVariable[] a = attention(s, b1, b2, c);
        SDVariable f12 = a[0].mul(b1).add(a[1].mul(b2));
        SDVariable[] a2 = attention(s, f12, b3, c);
        SDVariable fused = a2[0].mul(f12).add(a2[1].mul(b3));
        SDVariable gamma = s.constParam("gamma", 0.0, 1);
        SDVariable y = Relu.apply(fused.mul(gamma).add(x.mul(gamma.rsub(1.0))));
        return cbr(s.child("conv_last"), y, c, c, 1, 1); // [B,c,h,w]
    }

    /** The two spatial attention maps [B,1,h,w] (softmax over 2 channels) for fusing p and q. */
    private static SDVariable[] attention(Scope s, SDVariable p, SDVariable q, int c) {
        SameDiff sd = s.sd();
        SDVariable f = Relu.apply(Conv.conv2d(s.child("conv1x1").child("0"), sd.concat(1, p, q), 2 * c, c, 1, 1, 0, 1,
                true));
        f = Relu.apply(Conv.conv2d(s.child("conv3x3_1").child("0"), f, c, c / 2, 3, 1, 1, 1, true));
        SDVariable att = Softmax.apply(sd, Conv.conv2d(s.child("conv3x3_2").child("0"), f, c / 2, 2, 3, 1, 1, 1, true), 1);
        SDVariable a1 = sd.stridedSlice(att, new long[] {0, 0, 0, 0}, new long[] {0, 1, 0, 0}, new long[] {1, 1, 1, 1},
                0b1101, 0b1101, 0, 0, 0); // [B,1,h,w]
        SDVariable a2 = sd.stridedSlice(att, new long[] {0, 1, 0, 0}, new long[] {0, 2, 0, 0}, new long[] {1, 1, 1, 1},
                0b1101, 0b1101, 0, 0, 0); // [B,1,h,w]
        return new SDVariable[] {a1, a2};
    }

    /**
     * Decoder block: CBR 3×3 (in→in, skipped for the first block as in the original {@code last=True}) → ×2
     * bilinear → CBR 1×1 (in→out). Input at {@code stride}, output at stride/2.
     */
    static SDVariable decoder(Scope s, SDVariable x, int in, int out, int stride, boolean first) {
        SDVariable y = first ? x : cbr(s.child("conv_3x3"), x, in, in, 3, 1);
        y = Bilinear.up(s, y, in, stride, 2); // [B,in,2h,2w]
        return cbr(s.child("conv_1x1"), y, in, out, 1, 1);
    }
}
