package org.condseg.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Area-adaptive weight of an auxiliary map (Eq. 8-9): beta = 1 / tanh(area of P), not detached (gradient flows
 * through beta into the auxiliary head, in the paper's reading and in the official code alike).
 *
 * <ul>
 *   <li>Paper: area = mean of P over all B*H*W pixels; no epsilon.</li>
 *   <li>Official ({@link LossConfig#betaOfficial}): beta = 1 / (tanh(sum of P over the whole batch / (H*W)) + 1e-15),
 *       i.e. the tanh argument is the SUM of the per-image area fractions (about B times the mean).</li>
 * </ul>
 */
public final class BetaWeight {
    /** The official code's epsilon inside the denominator. */
    public static final double OFFICIAL_EPS = 1e-15;

    private BetaWeight() {
    }

    /** beta for a probability map p [B,1,H,W] (P_fg gives beta1, P_bg beta2); a scalar. */
    public static SDVariable beta(SameDiff sd, SDVariable p, LossConfig cfg) {
        SDVariable area;
        if (cfg.betaOfficial) {
            SDVariable hw = sd.sizeAt(p, 2).mul(sd.sizeAt(p, 3)).castTo(p.dataType()); // [] H*W
            area = Reduce.sum(p).div(hw);                                              // []
        } else {
            area = Reduce.mean(p);                                                     // []
        }
        SDVariable t = sd.math().tanh(area);
        return (cfg.betaOfficial ? t.add(OFFICIAL_EPS) : t).rdiv(1.0);
    }
}
