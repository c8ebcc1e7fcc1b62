package org.condseg.eval;

/**
 * HD95 of a binary image when the prediction and/or the ground truth is empty (a distance to nothing is
 * undefined). See docs/decisions-eval.md.
 */
public enum Hd95EmptyPolicy {
    /** NaN whenever either mask is empty; NaN values are left out of the HD95 mean and counted. */
    NAN,
    /**
     * Both empty: 0 (perfect agreement). Exactly one empty: the image diagonal sqrt(W² + H²), a bound no
     * HD95 between two non-empty masks of the image can reach, so a missed or hallucinated object costs the most.
     */
    DIAGONAL
}
