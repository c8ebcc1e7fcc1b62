package org.condseg.eval;

/**
 * Per-image metrics of a binary segmentation, exactly as the official {@code utils/utils.calculate_metrics}
 * (condseg-reference §11), with I = TP, |Y| = TP + FN, |P| = TP + FP and ε = 1e-15:
 * <pre>
 *   Jaccard   = (I + ε) / (|Y| + |P| − I + ε)
 *   Dice (F1) = (2I + ε) / (|Y| + |P| + ε)
 *   recall    = (I + ε) / (|Y| + ε)
 *   precision = (I + ε) / (|P| + ε)
 *   F2        = 5·p·r / (4p + r + ε)
 *   accuracy  = (TP + TN) / N        (fraction of equal pixels)
 * </pre>
 * The paper's "mIoU"/"mDSC" are per-image means of Jaccard/Dice of the foreground class ({@link MetricSummary}).
 * The arithmetic follows the Python expressions operation by operation, so the values are bit-identical to the
 * official float64 results. Under {@link EmptyPolicy#NAN_UNDEFINED} the ratios are exact (no ε) and NaN when
 * undefined; there F2 = 5·TP / (5·TP + 4·FN + FP), the same F2 written on counts.
 */
public final class MaskMetrics {
    /** The official smoothing constant. */
    public static final double EPS = 1e-15;

    private MaskMetrics() {
    }

    /** All metrics of one image under {@code config} (threshold already applied: the masks are binary). */
    public static ImageMetrics compute(BinaryMask pred, BinaryMask gt, EvalConfig config) {
        return compute(pred, gt, config.emptyPolicy, config.hd95, config.hd95EmptyPolicy);
    }

    /**
     * All metrics of one image.
     *
     * @param computeHd95 false leaves hd95 NaN (it is the only metric that costs more than one pass)
     */
    public static ImageMetrics compute(BinaryMask pred, BinaryMask gt, EmptyPolicy policy, boolean computeHd95,
            Hd95EmptyPolicy hd95Policy) {
        pred.requireSameSize(gt);
        boolean[] p = pred.pixels();
        boolean[] y = gt.pixels();
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i]) {
                if (y[i]) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (y[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        double hd = computeHd95 ? hd95(pred, gt, tp + fp == 0, tp + fn == 0, hd95Policy) : Double.NaN;
        return fromCounts(tp, fp, fn, tn, policy, hd);
    }

    /** The ratio metrics from confusion counts (hd95 passed through). */
    public static ImageMetrics fromCounts(long tp, long fp, long fn, long tn, EmptyPolicy policy, double hd95) {
        double accuracy = (double) (tp + tn) / (double) (tp + fp + fn + tn);
        if (policy == EmptyPolicy.NAN_UNDEFINED) {
            return new ImageMetrics(exactJaccard(tp, fp, fn), exactDice(tp, fp, fn), ratio(tp, tp + fn),
                    ratio(tp, tp + fp), ratio(5 * tp, 5 * tp + 4 * fn + fp), accuracy, hd95, tp, fp, fn, tn);
        }
        double p = precision(tp, fp);
        double r = recall(tp, fn);
        return new ImageMetrics(jaccard(tp, fp, fn), dice(tp, fp, fn), r, p, f2(p, r), accuracy, hd95, tp, fp, fn, tn);
    }

    /** Official Jaccard: {@code (intersection + 1e-15) / (union + 1e-15)}, union = |Y| + |P| − I. */
    public static double jaccard(long tp, long fp, long fn) {
        long union = (tp + fn) + (tp + fp) - tp;
        return (tp + EPS) / (union + EPS);
    }

    /** Official Dice: {@code (2·I + 1e-15) / (|Y| + |P| + 1e-15)}. */
    public static double dice(long tp, long fp, long fn) {
        return (2 * tp + EPS) / ((tp + fn) + (tp + fp) + EPS);
    }

    /** Official recall: {@code (I + 1e-15) / (|Y| + 1e-15)}. */
    public static double recall(long tp, long fn) {
        return (tp + EPS) / ((tp + fn) + EPS);
    }

    /** Official precision: {@code (I + 1e-15) / (|P| + 1e-15)}. */
    public static double precision(long tp, long fp) {
        return (tp + EPS) / ((tp + fp) + EPS);
    }

    /** Official F2 (β = 2): {@code (1 + β²)·(p·r) / (β²·p + r + 1e-15)}. */
    public static double f2(double precision, double recall) {
        return 5.0 * (precision * recall) / (4.0 * precision + recall + EPS);
    }

    /** Exact IoU, TP / (TP + FP + FN); NaN when both masks are empty. */
    public static double exactJaccard(long tp, long fp, long fn) {
        return ratio(tp, tp + fp + fn);
    }

    /** Exact Dice, 2TP / (2TP + FP + FN); NaN when both masks are empty. */
    public static double exactDice(long tp, long fp, long fn) {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    private static double ratio(long num, long den) {
        return den == 0 ? Double.NaN : (double) num / (double) den;
    }

    private static double hd95(BinaryMask pred, BinaryMask gt, boolean predEmpty, boolean gtEmpty,
            Hd95EmptyPolicy policy) {
        if (!predEmpty && !gtEmpty) {
            return SurfaceDistance.hd95(pred, gt);
        }
        if (policy == Hd95EmptyPolicy.NAN) {
            return Double.NaN;
        }
        return predEmpty && gtEmpty ? 0.0 : Math.hypot(pred.width(), pred.height());
    }
}
