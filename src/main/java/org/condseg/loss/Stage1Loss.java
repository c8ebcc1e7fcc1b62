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
        SDVariable lossMask = MaskLoss.maskLoss(sd, m1, y, cfg).rename(prefix + "loss_mask");
        if (cfg.consistency == ConsistencyKind.NONE) {
            SDVariable total = sd.identity(prefix + "total", lossMask);
            return new Terms(lossMask, null, null, null, null, total);
        }
        if (m2 == null) {
            throw new IllegalArgumentException("stage-1 consistency " + cfg.consistency + " needs M2 = Net_0(Aug(X))");
        }
        SDVariable lossMaskAug = MaskLoss.maskLoss(sd, m2, y, cfg).rename(prefix + "loss_mask_aug");
        ConsistencyLoss.Terms cons = ConsistencyLoss.consistencyTerms(sd, m1, m2, cfg);
        SDVariable c1 = cons.first().rename(prefix + "loss_cons_1");
        SDVariable c2 = cons.second().rename(prefix + "loss_cons_2");
        SDVariable lossCons = cons.total().rename(prefix + "loss_cons");
        SDVariable total = sd.math().add(prefix + "total", lossMask.add(lossMaskAug), lossCons);
        return new Terms(lossMask, lossMaskAug, c1, c2, lossCons, total);
    }
}
