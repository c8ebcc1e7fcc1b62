package org.condseg.loss;

/** The segmentation loss of networks without the SID maps ({@code loss.maskLoss}). */
public enum MaskLossKind {
    /** Each network's published loss, as registered with it (structure for PraNet, BCE_DICE otherwise). */
    MODEL_DEFAULT,
    /** L_mask = BCE + Dice (ConDSeg Eq. 2–4), {@link MaskLoss}. */
    BCE_DICE,
    /** PraNet's structure loss: weighted IoU + weighted BCE, {@link StructureLoss}. */
    STRUCTURE
}
