package org.condseg.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * Consistency Reinforcement term L_cons between M1 = Net_0(X) and M2 = Net_0(Aug(X)), both probabilities
 * [B,1,H,W]. Two directional terms T12, T21 are built and combined as (T12 + T21)/2 (paper, Eq. 6) or
 * T12 + T21 (official, {@link LossConfig#consistencyMean} = false).
 *
 * <ul>
 *   <li>BINARISED (Eq. 5-6): T12 = BCE(M1, 1[M2 >= t]), T21 = BCE(M2, 1[M1 >= t]); official uses "> t"
 *       ({@link LossConfig#consistencyStrict}). The reference maps go through a stop-gradient and a comparison,
 *       so each term only trains the prediction that is not binarised.</li>
 *   <li>KL (Fig. 7): T12 = mean KL(M1||M2), T21 = mean KL(M2||M1), the per-pixel Bernoulli divergence
 *       KL(a||b) = a log(a/b) + (1-a) log((1-a)/(1-b)) in nats; so the paper's 1/2 gives the symmetric KL.</li>
 *   <li>JS (Fig. 7): T12 = mean KL(M1||A), T21 = mean KL(M2||A), A = (M1+M2)/2; with 1/2 this is the
 *       Jensen-Shannon divergence in nats (at most ln 2).</li>
 * </ul>
 * KL and JS are differentiable in both maps (no stop-gradient); their inputs are clipped to
 * [{@link #DIV_EPS}, 1 - {@link #DIV_EPS}] so the logs stay finite.
 */
public final class ConsistencyLoss {
    /** Probability clip for the KL/JS variants. */
    public static final double DIV_EPS = 1e-6;

    private ConsistencyLoss() {
    }

    /** The two directional terms and their combination, each a scalar. */
    public record Terms(SDVariable first, SDVariable second, SDVariable total) {
    }

    /** L_cons(M1, M2); a scalar. */
    public static SDVariable consistency(SameDiff sd, SDVariable m1, SDVariable m2, LossConfig cfg) {
        return consistencyTerms(sd, m1, m2, cfg).total();
    }

    /** L_cons with its two directional terms (first = the term that trains M1 in the BINARISED kind). */
    public static Terms consistencyTerms(SameDiff sd, SDVariable m1, SDVariable m2, LossConfig cfg) {
        SDVariable t12;
        SDVariable t21;
        switch (cfg.consistency) {
            case BINARISED -> {
                t12 = Bce.bce(sd, m1, binarise(sd, m2, cfg));
                t21 = Bce.bce(sd, m2, binarise(sd, m1, cfg));
            }
            case KL -> {
                SDVariable a = clip(sd, m1);
                SDVariable b = clip(sd, m2);
                t12 = Reduce.mean(bernoulliKl(sd, a, b));
                t21 = Reduce.mean(bernoulliKl(sd, b, a));
            }
            case JS -> {
                SDVariable a = clip(sd, m1);
                SDVariable b = clip(sd, m2);
                SDVariable mid = a.add(b).mul(0.5);
                t12 = Reduce.mean(bernoulliKl(sd, a, mid));
                t21 = Reduce.mean(bernoulliKl(sd, b, mid));
            }
            default -> throw new IllegalArgumentException("consistency kind NONE has no consistency term");
        }
        SDVariable sum = t12.add(t21);
        return new Terms(t12, t21, cfg.consistencyMean ? sum.mul(0.5) : sum);
    }

    /** 1[m >= t] (paper) or 1[m > t] (official) as a float map with no gradient. */
    public static SDVariable binarise(SameDiff sd, SDVariable m, LossConfig cfg) {
        SDVariable frozen = new StopGradient(sd, m).outputVariable();
        SDVariable cmp = cfg.consistencyStrict ? frozen.gt(cfg.consistencyThreshold)
                : frozen.gte(cfg.consistencyThreshold);
        return cmp.castTo(m.dataType());
    }

    /** Per-pixel KL(a||b) between Bernoulli(a) and Bernoulli(b); a, b in (0,1); same shape as a. */
    static SDVariable bernoulliKl(SameDiff sd, SDVariable a, SDVariable b) {
        SDVariable oneA = a.rsub(1.0);
        SDVariable pos = a.mul(sd.math().log(a).sub(sd.math().log(b)));
        SDVariable neg = oneA.mul(sd.math().log(oneA).sub(sd.math().log(b.rsub(1.0))));
        return pos.add(neg);
    }

    private static SDVariable clip(SameDiff sd, SDVariable m) {
        return sd.math().clipByValue(m, DIV_EPS, 1.0 - DIV_EPS);
    }
}
