package org.condseg.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-organ metrics for Synapse (paper Table 10): per foreground class c = 1..C−1, Dice and HD95 between the
 * binary maps {@code pred == c} and {@code gt == c}, with the convention of TransUNet's
 * {@code calculate_metric_percase} (medpy {@code dc} and {@code hd95}):
 * <pre>
 *   pred has c and gt has c   → (Dice, HD95)      HD95 in voxels unless a spacing is given
 *   pred has c, gt has no c   → (1, 0)
 *   pred has no c             → (0, 0)            also when gt has no c either
 * </pre>
 * The last row is TransUNet's: a class absent from both scores Dice 0, HD95 0, and still counts in the
 * means. A case is one label map of shape {@code dims} ({H, W} for a slice, {D, H, W} for a volume: TransUNet
 * scores whole volumes, and the boundary and distances are then 3-D). Aggregation, as TransUNet: the mean of
 * each class over cases, then the mean over classes.
 */
public final class MultiClassMetrics {
    private MultiClassMetrics() {
    }

    /** Dice and HD95 per foreground class; index c − 1 holds class c. */
    public record CaseResult(double[] dice, double[] hd95) {
        public double dice(int cls) {
            return dice[cls - 1];
        }

        public double hd95(int cls) {
            return hd95[cls - 1];
        }
    }

    /** Per-class metrics of one case in pixel (voxel) units. */
    public static CaseResult compute(int[] pred, int[] gt, int[] dims, int numClasses) {
        return compute(pred, gt, dims, numClasses, null);
    }

    /**
     * Per-class metrics of one case.
     *
     * @param pred       predicted labels in [0, numClasses), row-major with shape {@code dims}
     * @param gt         ground-truth labels, same shape
     * @param numClasses C, background (0) included
     * @param spacing    voxel size per axis for HD95, or null for voxel units
     */
    public static CaseResult compute(int[] pred, int[] gt, int[] dims, int numClasses, double[] spacing) {
        DistanceTransform.checkShape(pred.length, dims);
        DistanceTransform.checkShape(gt.length, dims);
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
        }
        checkLabels(pred, numClasses, "prediction");
        checkLabels(gt, numClasses, "ground truth");
        double[] dice = new double[numClasses - 1];
        double[] hd = new double[numClasses - 1];
        boolean[] p = new boolean[pred.length];
        boolean[] g = new boolean[gt.length];
        for (int c = 1; c < numClasses; c++) {
            long np = 0;
            long ng = 0;
            long inter = 0;
            for (int i = 0; i < pred.length; i++) {
                p[i] = pred[i] == c;
                g[i] = gt[i] == c;
                if (p[i]) {
                    np++;
                }
                if (g[i]) {
                    ng++;
                }
                if (p[i] && g[i]) {
                    inter++;
                }
            }
            if (np > 0 && ng > 0) {
                dice[c - 1] = 2.0 * inter / (double) (np + ng);
                hd[c - 1] = SurfaceDistance.hausdorff(p, g, dims, spacing, 95.0);
            } else if (np > 0) {
                dice[c - 1] = 1.0;
                hd[c - 1] = 0.0;
            } else {
                dice[c - 1] = 0.0;
                hd[c - 1] = 0.0;
            }
        }
        return new CaseResult(dice, hd);
    }

    private static void checkLabels(int[] labels, int numClasses, String what) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(what + " label " + labels[i] + " at index " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
    }

    /** The cases of one evaluation and TransUNet's aggregates. */
    public static final class Summary {
        private final int numClasses;
        private final List<String> ids = new ArrayList<>();
        private final List<CaseResult> cases = new ArrayList<>();

        public Summary(int numClasses) {
            this.numClasses = numClasses;
        }

        public void add(String id, CaseResult result) {
            if (result.dice().length != numClasses - 1) {
                throw new IllegalArgumentException("case " + id + " has " + (result.dice().length + 1)
                        + " classes, expected " + numClasses);
            }
            if (ids.contains(id)) {
                throw new IllegalArgumentException("duplicate case id " + id);
            }
            ids.add(id);
            cases.add(result);
        }

        public List<String> ids() {
            return Collections.unmodifiableList(ids);
        }

        /** The results of the i-th added case. */
        public CaseResult result(int i) {
            return cases.get(i);
        }

        /** Mean Dice of class c over the cases. */
        public double meanDice(int cls) {
            return cases.stream().mapToDouble(r -> r.dice(cls)).average().orElse(Double.NaN);
        }

        /** Mean HD95 of class c over the cases. */
        public double meanHd95(int cls) {
            return cases.stream().mapToDouble(r -> r.hd95(cls)).average().orElse(Double.NaN);
        }

        /** Mean over classes 1..C−1 of the per-class mean Dice (Table 10's "DSC"). */
        public double meanDice() {
            double[] v = new double[numClasses - 1];
            Arrays.setAll(v, i -> meanDice(i + 1));
            return Arrays.stream(v).average().orElse(Double.NaN);
        }

        /** Mean over classes 1..C−1 of the per-class mean HD95 (Table 10's "HD95"). */
        public double meanHd95() {
            double[] v = new double[numClasses - 1];
            Arrays.setAll(v, i -> meanHd95(i + 1));
            return Arrays.stream(v).average().orElse(Double.NaN);
        }

        /** {@code dice}, {@code hd95} (means over classes), {@code dice.<c>}, {@code hd95.<c>}, {@code cases}. */
        public Map<String, Double> means() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("dice", meanDice());
            m.put("hd95", meanHd95());
            for (int c = 1; c < numClasses; c++) {
                m.put("dice." + c, meanDice(c));
                m.put("hd95." + c, meanHd95(c));
            }
            m.put("cases", (double) cases.size());
            return m;
        }
    }
}
