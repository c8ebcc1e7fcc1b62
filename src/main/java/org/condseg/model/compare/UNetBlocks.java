package org.condseg.model.compare;

import org.condseg.model.ModelConfig;
import org.condseg.nn.Cbr;
import org.condseg.nn.Conv;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/**
 * The parts the U-Net family (U-Net, U-Net++, Attention U-Net) shares: the double convolution
 * [conv 3×3 (no bias) → BN → ReLU] ×2, the 2×2 max-pool, the five-level contracting path and the 1×1 output
 * head. Level widths are c_i = base·2^i, i = 0..4, with {@code base = model.width / 2}: the paper width 128
 * gives the papers' 64, 128, 256, 512, 1024.
 */
public final class UNetBlocks {
    /** Number of levels (X^{0,0} .. X^{4,0}); the deepest sits at stride 16. */
    public static final int LEVELS = 5;

    private UNetBlocks() {
    }

    /** Level widths c_0..c_4 = base·2^i with base = width / 2 (at least 1). */
    public static int[] widths(ModelConfig cfg) {
        int base = Math.max(1, cfg.width / 2);
        int[] c = new int[LEVELS];
        for (int i = 0; i < LEVELS; i++) {
            c[i] = base << i;
        }
        return c;
    }

    /**
     * Double convolution {@code <m>.c1}, {@code <m>.c2}: two CBR 3×3 blocks, cin → cout → cout (same size).
     * The conv bias is dropped because BN's beta makes it redundant.
     */
    public static SDVariable doubleConv(Scope s, SDVariable x, int cin, int cout) {
        SDVariable y = Cbr.cbr(s.child("c1"), x, cin, cout, 3); // [B,cout,h,w]
        return Cbr.cbr(s.child("c2"), y, cout, cout, 3); // [B,cout,h,w]
    }

    /** 2×2 max-pool, stride 2: [B,C,h,w] → [B,C,h/2,w/2]. */
    public static SDVariable maxPool(Scope s, SDVariable x) {
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build();
        return s.sd().cnn().maxPooling2d(x, pool); // [B,C,h/2,w/2]
    }

    /**
     * The contracting path: X^{0,0} = DC(3 → c_0) on the image, X^{i,0} = DC(c_{i−1} → c_i)(maxpool(X^{i−1,0})),
     * modules {@code conv0_0} .. {@code conv4_0}. Each level is registered as the geometry anchor of its stride
     * 2^i (the bilinear upsampling reads run-time sizes from it) and tapped under its module name.
     */
    public static SDVariable[] encoder(Scope root, SDVariable image, int[] c) {
        root.geometry().anchor(1, image);
        SDVariable[] e = new SDVariable[LEVELS];
        SDVariable x = image;
        int cin = 3;
        for (int i = 0; i < LEVELS; i++) {
            if (i > 0) {
                x = maxPool(root, x); // [B,c_{i-1},H/2^i,W/2^i]
            }
            String m = "conv" + i + "_0";
            x = root.tap(m, doubleConv(root.child(m), x, cin, c[i])); // [B,c_i,H/2^i,W/2^i]
            root.geometry().anchor(1 << i, x);
            e[i] = x;
            cin = c[i];
        }
        return e;
    }

    /** Output head: 1×1 conv c → 1 with bias, giving a logit map [B,1,h,w]. */
    public static SDVariable head(Scope s, SDVariable x, int c) {
        return Conv.conv2d(s, x, c, 1, 1, 1, 0, 1, true); // [B,1,h,w]
    }
}
