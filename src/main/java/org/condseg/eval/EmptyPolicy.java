package org.condseg.eval;

/**
 * What the overlap ratios (IoU, Dice, recall, precision, F2) do when a denominator is zero, i.e. when the
 * ground truth and/or the prediction is empty. Accuracy is always defined. See docs/decisions-eval.md.
 */
public enum EmptyPolicy {
    /**
     * The official code (condseg-reference §11): every ratio is (x + 1e-15)/(y + 1e-15). Empty GT and empty
     * prediction score 1 on every ratio; an empty GT with a non-empty prediction scores ~1e-17 (recall 1); an
     * empty prediction on a non-empty GT gets precision 1. Every image counts in the means. Reproduces the paper.
     */
    OFFICIAL_EPSILON,
    /**
     * Per-image values as {@link #OFFICIAL_EPSILON}, but images whose ground truth is empty are left out of
     * every per-image (macro) mean; they are counted ({@code excludedImages}) and still enter the micro
     * (summed-count) IoU/Dice, where an empty GT with false positives is penalised.
     */
    EXCLUDE,
    /**
     * Exact ratios without ε; a ratio whose denominator is 0 is NaN and left out of that metric's mean only
     * (the NaN count is reported). IoU/Dice/F2 are NaN only when both masks are empty, recall when the GT
     * is empty, precision when the prediction is empty.
     */
    NAN_UNDEFINED
}
