package org.condseg.loss;

import java.util.List;
import org.condseg.util.UserError;

/**
 * Loss settings (config section {@code loss:}). The defaults are the paper's formulation (Eq. 2-10, 15); each
 * field marked "official" reproduces one behaviour of the official code instead, and {@link #official()} turns
 * them all on. Every switch is explained in docs/decisions-loss.md.
 */
public class LossConfig {
    /** Official: DiceBCE applies a sigmoid again to the (already sigmoid) predictions; paper: it does not. */
    public boolean doubleSigmoid = false;
    /** Dice smoothing added to numerator and denominator: paper 0, official 1 (1e-15 is always added to the denominator). */
    public double diceSmooth = 0.0;
    /** Dice pooled over the whole batch (paper reading and official code); false = per-image Dice, then the batch mean. */
    public boolean diceOverBatch = true;
    /** Stage-1 consistency term: BINARISED (Eq. 5-6), KL or JS (Fig. 7 alternatives), or NONE (no CR). */
    public ConsistencyKind consistency = ConsistencyKind.BINARISED;
    /** Binarisation threshold t of the consistency reference (Eq. 5). */
    public double consistencyThreshold = 0.5;
    /** Official: the reference is 1[M > t] (strict); paper: 1[M >= t]. */
    public boolean consistencyStrict = false;
    /** Paper: the two directional consistency terms are averaged (factor 1/2, Eq. 6); official: summed. */
    public boolean consistencyMean = true;
    /** Official: beta = 1/(tanh(sum of P over the batch / (H*W)) + 1e-15); paper: 1/tanh(mean of P over B*H*W). */
    public boolean betaOfficial = false;
    /** Official: L_compl on a softmax over the three maps [P_fg, P_bg, P_uc]; paper: on the raw probabilities (Eq. 10). */
    public boolean complSoftmax = false;
    /**
     * Loss of networks without the SID maps (comparison models): model_default (the network's own: structure
     * for PraNet, bce_dice otherwise), bce_dice (L_mask) or structure (PraNet Eq. 3); summed over side outputs.
     */
    public MaskLossKind maskLoss = MaskLossKind.MODEL_DEFAULT;
    /** Official PraNet code: the BCE half of the structure loss is the unweighted batch mean; paper: ω-weighted. */
    public boolean structureOfficialBce = false;
    /** Multi-class (Synapse): add a soft multi-class Dice, loss = 0.5*CE + 0.5*Dice as in TransUNet; false = CE only. */
    public boolean multiClassDice = false;

    /** The fidelity names accepted by {@link #forFidelity(String)}. */
    public static final List<String> FIDELITIES = List.of("paper", "official");

    /** The paper's formulation (the defaults). */
    public static LossConfig paper() {
        return new LossConfig();
    }

    /** Every official-code switch on: the loss exactly as in the official repository (reference doc section 8). */
    public static LossConfig official() {
        LossConfig c = new LossConfig();
        c.doubleSigmoid = true;
        c.diceSmooth = 1.0;
        c.diceOverBatch = true;
        c.consistency = ConsistencyKind.BINARISED;
        c.consistencyThreshold = 0.5;
        c.consistencyStrict = true;
        c.consistencyMean = false;
        c.betaOfficial = true;
        c.complSoftmax = true;
        return c;
    }

    /** The preset for a {@code fidelity:} value ("paper" or "official"); anything else is a {@link UserError}. */
    public static LossConfig forFidelity(String fidelity) {
        if ("paper".equals(fidelity)) {
            return paper();
        }
        if ("official".equals(fidelity)) {
            return official();
        }
        throw new UserError("fidelity: unknown value '" + fidelity + "'; valid: " + FIDELITIES);
    }
}
