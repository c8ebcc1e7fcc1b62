package org.condseg.loss;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Stage-2 objective of Eq. 15: L = L_mask(P, Y) + beta1 * L_mask(P_fg, Y) + beta2 * L_mask(P_bg, Y_bg) + L_compl,
 * with beta1 = beta(P_fg), beta2 = beta(P_bg) (Eq. 8-9) and L_compl of Eq. 10. M_uc is supervised only through
 * L_compl. Outputs get stable names: {@code <prefix>loss_mask}, {@code loss_fg}, {@code loss_bg},
 * {@code beta1}, {@code beta2}, {@code loss_compl}, {@code total}.
 */
public final class Stage2Loss {
    private Stage2Loss() {
    }

    /** The named scalar terms. */
    public record Terms(SDVariable lossMask, SDVariable lossFg, SDVariable lossBg, SDVariable beta1,
            SDVariable beta2, SDVariable lossCompl, SDVariable total) {
        /** Term name (without prefix) to variable, in logging order. */
        public Map<String, SDVariable> asMap() {
            Map<String, SDVariable> m = new LinkedHashMap<>();
            m.put("loss_mask", lossMask);
            m.put("loss_fg", lossFg);
            m.put("loss_bg", lossBg);
            m.put("beta1", beta1);
            m.put("beta2", beta2);
            m.put("loss_compl", lossCompl);
            m.put("total", total);
            return m;
        }
    }

    /** Eq. 15 with unprefixed output names. All inputs are [B,1,H,W]; predictions are probabilities. */
    public static Terms stage2Total(SameDiff sd, SDVariable p, SDVariable pFg, SDVariable pBg, SDVariable pUc,
            SDVariable y, SDVariable yBg, LossConfig cfg) {
        return stage2Total(sd, p, pFg, pBg, pUc, y, yBg, cfg, "");
    }

    /** Eq. 15; the outputs are named with the given prefix (e.g. "val/"). */
    public static Terms stage2Total(SameDiff sd, SDVariable p, SDVariable pFg, SDVariable pBg, SDVariable pUc,
            SDVariable y, SDVariable yBg, LossConfig cfg, String prefix) {
        return withMaskTerm(sd, MaskLoss.maskLoss(sd, p, y, cfg), pFg, pBg, pUc, y, yBg, cfg, prefix);
    }

    /**
     * Eq. 15 with a given mask term in place of L_mask(P, Y): the multi-class model (Synapse, model.numClasses &gt; 1)
     * passes {@link MultiClassLoss} on its C-channel output, while the auxiliary SID terms stay binary with
     * Y = 1[any organ] and Y_bg = 1 - Y.
     */
    public static Terms withMaskTerm(SameDiff sd, SDVariable maskTerm, SDVariable pFg, SDVariable pBg, SDVariable pUc,
            SDVariable y, SDVariable yBg, LossConfig cfg, String prefix) {
        SDVariable lossMask = maskTerm.rename(prefix + "loss_mask");
        SDVariable lossFg = MaskLoss.maskLoss(sd, pFg, y, cfg).rename(prefix + "loss_fg");
        SDVariable lossBg = MaskLoss.maskLoss(sd, pBg, yBg, cfg).rename(prefix + "loss_bg");
        SDVariable beta1 = BetaWeight.beta(sd, pFg, cfg).rename(prefix + "beta1");
        SDVariable beta2 = BetaWeight.beta(sd, pBg, cfg).rename(prefix + "beta2");
        SDVariable lossCompl = ComplementarityLoss.complementarity(sd, pFg, pBg, pUc, cfg)
                .rename(prefix + "loss_compl");
        SDVariable sum = lossMask.add(beta1.mul(lossFg)).add(beta2.mul(lossBg));
        SDVariable total = sd.math().add(prefix + "total", sum, lossCompl);
        return new Terms(lossMask, lossFg, lossBg, beta1, beta2, lossCompl, total);
    }
}
