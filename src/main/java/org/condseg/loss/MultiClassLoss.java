package org.condseg.loss;

import org.condseg.nn.Softmax;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * Multi-class loss for Synapse (paper Table 10, whose code is not released): pixel-wise softmax cross-entropy,
 * optionally plus a soft multi-class Dice as in TransUNet (loss = 0.5*CE + 0.5*Dice, {@link LossConfig#multiClassDice}).
 *
 * <ul>
 *   <li>CE = -mean over B*H*W of sum_c y_c * log softmax_c(logits).</li>
 *   <li>Dice (TransUNet's DiceLoss with softmax): per class c, over the whole batch,
 *       d_c = 1 - (2*sum(s_c*y_c) + 1e-5) / (sum(s_c^2) + sum(y_c^2) + 1e-5), averaged over all C classes
 *       (background included), s = softmax(logits).</li>
 * </ul>
 */
public final class MultiClassLoss {
    /** TransUNet's Dice smoothing. */
    public static final double DICE_SMOOTH = 1e-5;

    private MultiClassLoss() {
    }

    /** Softmax cross-entropy of logits [B,C,H,W] against one-hot labels [B,C,H,W]; a scalar. */
    public static SDVariable multiClassCrossEntropy(SameDiff sd, SDVariable logits, SDVariable oneHot) {
        SDVariable logSm = logSoftmax(sd, logits);                        // [B,C,H,W]
        return Reduce.mean(oneHot.mul(logSm).sum(1)).neg();               // [B,H,W] -> [] scalar
    }

    /**
     * log softmax over the class axis 1, written out (log_softmax with an axis fails to build its gradient in
     * SameDiff M2.1): x - m - log(sum exp(x - m)), with the max m behind a stop-gradient (the result does not
     * depend on m, so this is exact).
     */
    static SDVariable logSoftmax(SameDiff sd, SDVariable logits) {
        SDVariable m = new StopGradient(sd, sd.max(logits, true, 1)).outputVariable(); // [B,1,H,W]
        SDVariable shifted = logits.sub(m);                                              // [B,C,H,W]
        return shifted.sub(sd.math().log(sd.math().exp(shifted).sum(true, 1)));         // [B,C,H,W]
    }

    /** TransUNet-style soft Dice of softmax(logits) [B,C,H,W] against one-hot labels; a scalar. */
    public static SDVariable multiClassDice(SameDiff sd, SDVariable logits, SDVariable oneHot) {
        SDVariable s = Softmax.apply(sd, logits, 1);                        // [B,C,H,W]
        SDVariable inter = Reduce.sum(s.mul(oneHot), 0, 2, 3);                                   // [C]
        SDVariable den = Reduce.sum(s.mul(s), 0, 2, 3).add(Reduce.sum(oneHot.mul(oneHot), 0, 2, 3)) // [C]
                .add(DICE_SMOOTH);
        return inter.mul(2.0).add(DICE_SMOOTH).div(den).rsub(1.0).mean(); // [] scalar
    }

    /** CE, or 0.5*CE + 0.5*Dice when cfg.multiClassDice; a scalar. */
    public static SDVariable multiClassLoss(SameDiff sd, SDVariable logits, SDVariable oneHot, LossConfig cfg) {
        SDVariable ce = multiClassCrossEntropy(sd, logits, oneHot);
        if (!cfg.multiClassDice) {
            return ce;
        }
        return ce.mul(0.5).add(multiClassDice(sd, logits, oneHot).mul(0.5));
    }
}
