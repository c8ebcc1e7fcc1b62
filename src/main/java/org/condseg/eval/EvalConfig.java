package org.condseg.eval;

/** Config section {@code eval}: how predictions are binarised and scored. */
public class EvalConfig {
    /** Binarisation threshold on the 0..1 scale; a pixel is foreground when its value is strictly greater. */
    public double threshold = 0.5;
    /** Overlap ratios for empty masks: OFFICIAL_EPSILON (paper), EXCLUDE (empty-GT images out of the means), NAN_UNDEFINED. */
    public EmptyPolicy emptyPolicy = EmptyPolicy.OFFICIAL_EPSILON;
    /** Compute HD95 (pixels) per image; off leaves the hd95 column NaN. */
    public boolean hd95 = true;
    /** HD95 when a mask is empty: NAN (left out of the mean) or DIAGONAL (0 if both empty, else the image diagonal). */
    public Hd95EmptyPolicy hd95EmptyPolicy = Hd95EmptyPolicy.NAN;
}
