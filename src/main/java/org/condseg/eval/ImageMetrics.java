package org.condseg.eval;

/**
 * Metrics of one image (binary segmentation), with the confusion counts they come from. Ratios may be NaN
 * under {@link EmptyPolicy#NAN_UNDEFINED}; hd95 is NaN when not computed or undefined ({@link Hd95EmptyPolicy}).
 *
 * @param iou       Jaccard, the paper's per-image "IoU"
 * @param dice      Dice / F1, the paper's per-image "DSC"
 * @param hd95      95th-percentile symmetric boundary Hausdorff distance in pixels
 * @param tp        foreground in both
 * @param fp        foreground in the prediction only
 * @param fn        foreground in the ground truth only
 * @param tn        background in both
 */
public record ImageMetrics(double iou, double dice, double recall, double precision, double f2, double accuracy,
        double hd95, long tp, long fp, long fn, long tn) {

    /** True when the ground truth has no foreground pixel. */
    public boolean gtEmpty() {
        return tp + fn == 0;
    }

    /** True when the prediction has no foreground pixel. */
    public boolean predEmpty() {
        return tp + fp == 0;
    }

    /** Number of pixels. */
    public long pixels() {
        return tp + fp + fn + tn;
    }
}
