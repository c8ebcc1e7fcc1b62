package org.condseg.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Soft Dice loss of Eq. 3: {@code 1 - (2*sum(p*y) + s) / (sum(p) + sum(y) + s + 1e-15)}, with s =
 * {@link LossConfig#diceSmooth} (paper 0, official 1). The 1e-15 keeps the paper's s = 0 finite when both sums
 * are 0 (the loss is then 1); with s = 1 it vanishes in float32 rounding, so the official value is unchanged.
 * Sums run over the whole batch ({@link LossConfig#diceOverBatch}, paper and official) or per image, followed
 * by the batch mean.
 */
public final class Dice {
    /** Added to the denominator so that the paper's un-smoothed Dice never divides by zero. */
    public static final double EPS = 1e-15;

    private Dice() {
    }

    /** Dice loss of probabilities p [B,1,H,W] against targets y [B,1,H,W]; a scalar. */
    public static SDVariable dice(SameDiff sd, SDVariable p, SDVariable y, LossConfig cfg) {
        int[] dims = cfg.diceOverBatch ? new int[0] : new int[] {1, 2, 3};
        SDVariable inter = Reduce.sum(p.mul(y), dims);                // [] or [B]
        SDVariable den = Reduce.sum(p, dims).add(Reduce.sum(y, dims)).add(cfg.diceSmooth).add(EPS);
        SDVariable loss = inter.mul(2.0).add(cfg.diceSmooth).div(den).rsub(1.0);
        return cfg.diceOverBatch ? loss : loss.mean();       // [] scalar
    }
}
