package org.condseg.loss;

/**
 * The stage-1 consistency term between M1 = Net_0(X) and M2 = Net_0(Aug(X)).
 *
 * <ul>
 *   <li>{@link #BINARISED}: the paper's Eq. 5-6 (and the official code): each prediction is trained with BCE
 *       towards the other one thresholded at t; the thresholded reference carries no gradient.</li>
 *   <li>{@link #KL}: Fig. 7 alternative, per-pixel Bernoulli Kullback-Leibler divergence in both directions,
 *       KL(M1||M2) and KL(M2||M1) (mean over pixels); gradient flows into both maps.</li>
 *   <li>{@link #JS}: Fig. 7 alternative, Jensen-Shannon: KL(M1||A) and KL(M2||A) with A = (M1+M2)/2;
 *       gradient flows into both maps.</li>
 *   <li>{@link #NONE}: no consistency reinforcement (the "w/o CR" ablation): stage 1 is L_mask(M1) alone and
 *       the trainer needs no second, augmented forward pass.</li>
 * </ul>
 * The two directional terms are combined with a factor 1/2 or summed, see {@link LossConfig#consistencyMean}.
 */
public enum ConsistencyKind {
    BINARISED, KL, JS, NONE
}
