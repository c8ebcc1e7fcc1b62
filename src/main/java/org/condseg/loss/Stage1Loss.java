package org.condseg.loss;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Stage-1 (Consistency Reinforcement) objective of Eq. 7:
 * L = L_mask(M1, Y) + L_mask(M2, Y) + L_cons(M1, M2), where M1 = Net_0(X), M2 = Net_0(Aug(X)) and the
 * augmented branch uses the same target Y. With {@link ConsistencyKind#NONE} (the "w/o CR" ablation) it is
 * L_mask(M1, Y) alone. Output variables get stable names: {@code <prefix>loss_mask}, {@code loss_mask_aug},
 * {@code loss_cons_1}, {@code loss_cons_2}, {@code loss_cons}, {@code total}.
 */
public final class Stage1Loss {
    private Stage1Loss() {
    }

    /** The named scalar terms; the CR terms are null when consistency is NONE. */
    public record Terms(SDVariable lossMask, SDVariable lossMaskAug, SDVariable lossCons1, SDVariable lossCons2,
            SDVariable lossCons, SDVariable total) {
        /** Term name (without prefix) to variable, in logging order, skipping absent terms. */
        public Map<String, SDVariable> asMap() {
            Map<String, SDVariable> m = new LinkedHashMap<>();
            m.put("loss_mask", lossMask);
            if (lossCons != null) {
                m.put("loss_mask_aug", lossMaskAug);
                m.put("loss_cons_1", lossCons1);
                m.put("loss_cons_2", lossCons2);
                m.put("loss_cons", lossCons);
            }
            m.put("total", total);
            return m;
        }
    }

    /** Eq. 7 with unprefixed output names. m2 may be null when cfg.consistency is NONE. */
    public static Terms stage1Total(SameDiff sd, SDVariable m1, SDVariable m2, SDVariable y, LossConfig cfg) {
        return stage1Total(sd, m1, m2, y, cfg, "");
    }

    /** Eq. 7; the outputs are named with the given prefix (e.g. "val/"). */
    public static Terms stage1Total(SameDiff sd, SDVariable m1, SDVariable m2, SDVariable y, LossConfig cfg,
            String prefix) {
        SDVariable mask1 = MaskLoss.maskLoss(sd, m1, y, cfg);
        SDVariable mask2 = cfg.consistency == ConsistencyKind.NONE || m2 == null ? null : MaskLoss.maskLoss(sd, m2, y, cfg);
        return withMaskTerms(sd, mask1, mask2, m1, m2, cfg, prefix);
    }

    /**
     * Eq. 7 for the multi-class Net_0 (Synapse): the mask terms are {@link MultiClassLoss} on the logits of both
     * views, and L_cons compares the two softmax maps [B,C,H,W] channel by channel, each class channel taken as a
     * binary map (the Eq. 5-6 term averaged over B·C·H·W).
     */
    public static Terms multiClass(SameDiff sd, SDVariable logits1, SDVariable logits2, SDVariable p1, SDVariable p2,
            SDVariable oneHot, LossConfig cfg, String prefix) {
        SDVariable mask1 = MultiClassLoss.multiClassLoss(sd, logits1, oneHot, cfg);
        SDVariable mask2 = cfg.consistency == ConsistencyKind.NONE || logits2 == null ? null
                : MultiClassLoss.multiClassLoss(sd, logits2, oneHot, cfg);
        return withMaskTerms(sd, mask1, mask2, p1, p2, cfg, prefix);
    }

    private static Terms withMaskTerms(SameDiff sd, SDVariable mask1, SDVariable mask2, SDVariable m1, SDVariable m2,
            LossConfig cfg, String prefix) {
        SDVariable lossMask = mask1.rename(prefix + "loss_mask");
        if (cfg.consistency == ConsistencyKind.NONE) {
            SDVariable total = sd.identity(prefix + "total", lossMask);
            return new Terms(lossMask, null, null, null, null, total);
        }
        if (m2 == null) {
            throw new IllegalArgumentException("stage-1 consistency " + cfg.consistency + " needs M2 = Net_0(Aug(X))");
        }
        SDVariable lossMaskAug = mask2.rename(prefix + "loss_mask_aug");
        ConsistencyLoss.Terms cons = ConsistencyLoss.consistencyTerms(sd, m1, m2, cfg);
        SDVariable c1 = cons.first().rename(prefix + "loss_cons_1");
        SDVariable c2 = cons.second().rename(prefix + "loss_cons_2");
        SDVariable lossCons = cons.total().rename(prefix + "loss_cons");
        SDVariable total = sd.math().add(prefix + "total", lossMask.add(lossMaskAug), lossCons);
        return new Terms(lossMask, lossMaskAug, c1, c2, lossCons, total);
    }
}
