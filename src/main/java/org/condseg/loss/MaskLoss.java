package org.condseg.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * L_mask = BCE + Dice (Eq. 2-4), used for the final mask, the auxiliary maps and both stage-1 outputs.
 * Official ({@link LossConfig#doubleSigmoid}): the official DiceBCELoss applies a sigmoid to its input although
 * it is already a probability, so both halves see q = sigmoid(P), which lies in (0.5, 0.731).
 */
public final class MaskLoss {
    private MaskLoss() {
    }

    /** The two halves and their sum, each a scalar. */
    public record Terms(SDVariable bce, SDVariable dice, SDVariable total) {
    }

    /** L_mask(p, y) for probabilities p [B,1,H,W] and targets y [B,1,H,W]; a scalar. */
    public static SDVariable maskLoss(SameDiff sd, SDVariable p, SDVariable y, LossConfig cfg) {
        return maskLossTerms(sd, p, y, cfg).total();
    }

    /** L_mask with its BCE and Dice halves, for logging. */
    public static Terms maskLossTerms(SameDiff sd, SDVariable p, SDVariable y, LossConfig cfg) {
        SDVariable q = cfg.doubleSigmoid ? sd.nn().sigmoid(p) : p;
        SDVariable bce = Bce.bce(sd, q, y);
        SDVariable dice = Dice.dice(sd, q, y, cfg);
        return new Terms(bce, dice, bce.add(dice));
    }
}
