package org.condseg.model.compare;

import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.nn.GraphMode;

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
        return UNet.build(cfg, mode, withAux, true); // U-Net with a gate on every skip
    }
}
