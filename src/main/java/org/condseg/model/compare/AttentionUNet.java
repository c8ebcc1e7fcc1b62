package org.condseg.model.compare;

import java.util.List;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.nn.Bilinear;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Attention U-Net (O. Oktay, J. Schlemper, L. Le Folgoc, M. Lee, M. Heinrich, K. Misawa, K. Mori, S. McDonagh,
 * N. Y. Hammerla, B. Kainz, B. Glocker, D. Rueckert, "Attention U-Net: Learning Where to Look for the Pancreas",
 * MIDL 2018), registry name {@code attention_unet}: {@link UNet} with an additive {@link AttentionGate} on each of
 * the four skip connections. At decoder level i (i = 3..0) the gating signal is the coarser decoder feature
 * (the bottleneck X^{4,0} for i = 3), so d_i = DC(c_i + c_{i+1} → c_i)([α_i·X^{i,0}, Up(d_{i+1})]).
 * Widths c_i = (width/2)·2^i; ignores {@code model.encoder}. Modules as {@link UNet}, plus {@code att0..att3}.
 * 32,430,277 parameters at width 128.
 */
public final class AttentionUNet {
    private AttentionUNet() {
    }

    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, cfg.initSeed);
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        int[] c = UNetBlocks.widths(cfg);
        SDVariable[] e = UNetBlocks.encoder(root, image, c); // X^{i,0}: [B,c_i,H/2^i,W/2^i]
        SDVariable d = e[4];
        for (int i = 3; i >= 0; i--) {
            int stride = 1 << i;
            String a = "att" + i;
            SDVariable skip = root.tap(a, AttentionGate.apply(root.child(a), e[i], c[i], d, c[i + 1], stride)); // [B,c_i,..]
            String m = "conv" + i + "_" + (4 - i);
            Scope s = root.child(m);
            SDVariable up = Bilinear.up(s, d, c[i + 1], 2 * stride, 2); // [B,c_{i+1},H/2^i,W/2^i]
            SDVariable cat = sd.concat(1, skip, up); // [B,c_i+c_{i+1},H/2^i,W/2^i]
            d = root.tap(m, UNetBlocks.doubleConv(s, cat, c[i] + c[i + 1], c[i])); // [B,c_i,H/2^i,W/2^i]
        }
        SDVariable logit = UNetBlocks.head(root.child("final"), d, c[0]); // [B,1,H,W]
        logit.rename("mask_logit");
        sd.nn().sigmoid("mask", logit);
        return new BuiltModel(cfg, mode, false, root, List.of("mask", "mask_logit"), List.of(), 16);
    }
}
