package org.condseg.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.condseg.data.Batch;
import org.condseg.data.BatchLoader;
import org.condseg.data.DataConfig;
import org.condseg.data.Dataset;
import org.condseg.eval.BinaryMask;
import org.condseg.eval.EvalConfig;
import org.condseg.eval.MetricSummary;
import org.condseg.loss.LossConfig;
import org.condseg.loss.MaskLoss;
import org.condseg.loss.MultiClassLoss;
import org.condseg.data.LabelMaps;
import org.condseg.model.BuiltModel;
import org.condseg.util.Progress;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores an EVAL-mode network on a dataset split: per-image metrics (eval package) on the binarised
 * probability map against the binarised, resized ground truth, at the network's input size (as the official
 * code), plus the mean mask loss L_mask (Eq. 2-4) over batches, which drives the plateau scheduler.
 */
public final class Evaluator {
    static final String TARGET = "val_target";
    static final String LOSS = "val_loss_mask";

    private final BuiltModel model;
    private final String lossName;
    private final int classes;

    /** Adds the mask loss of the {@code mask} output to an EVAL graph. */
    public Evaluator(BuiltModel model, LossConfig loss) {
        this.model = model;
        SameDiff sd = model.sd();
        this.classes = model.config().numClasses;
        SDVariable l;
        if (classes > 1) {
            SDVariable y = sd.placeHolder(TARGET, DataType.FLOAT, -1, classes, -1, -1);
            l = MultiClassLoss.multiClassLoss(sd, sd.getVariable("mask_logit"), y, loss);
        } else {
            SDVariable y = sd.placeHolder(TARGET, DataType.FLOAT, -1, 1, -1, -1);
            l = MaskLoss.maskLoss(sd, sd.getVariable("mask"), y, loss);
        }
        this.lossName = l.name();
    }

    /**
     * The per-epoch validation row: {@code val_loss} and {@code val_mIoU} at least. Binary: the means of
     * {@link #run}. Multi-class: the mask loss (the multi-class loss) and, per organ class c = 1..C-1, Dice and IoU
     * pooled over all pixels of the split (2-D slices at the network size); {@code val_mIoU}/{@code val_mDSC} are
     * their means over the organ classes. Pooling keeps classes absent from most slices from dominating.
     */
    public Map<String, Double> validate(Dataset data, DataConfig dataCfg, EvalConfig evalCfg, int batchSize,
            String task) {
        if (classes <= 1) {
            return run(data, dataCfg, evalCfg, batchSize, task).asValRow();
        }
        long[] inter = new long[classes];
        long[] pred = new long[classes];
        long[] gt = new long[classes];
        double lossSum = 0;
        int batches = 0;
        try (BatchLoader loader = BatchLoader.eval(data, batchSize, dataCfg);
             BatchLoader.Epoch epoch = loader.epoch(0);
             Progress p = Progress.start(task, data.size())) {
            while (epoch.hasNext()) {
                Batch b = epoch.next();
                Map<String, INDArray> out = model.output(Map.of(BuiltModel.INPUT, b.image(), TARGET,
                        LabelMaps.oneHot(b.mask(), classes)), "mask", lossName);
                lossSum += out.get(lossName).getDouble(0);
                batches++;
                int[][] am = LabelMaps.argmax(out.get("mask"));
                float[] y = b.mask().dup('c').data().asFloat();
                int plane = am[0].length;
                for (int n = 0; n < am.length; n++) {
                    for (int i = 0; i < plane; i++) {
                        int pc = am[n][i];
                        int gc = Math.round(y[n * plane + i]);
                        pred[pc]++;
                        gt[gc]++;
                        if (pc == gc) {
                            inter[pc]++;
                        }
                    }
                }
                StepMemory.close(out.values());
                p.stepBy(b.size());
            }
        }
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("val_loss", batches == 0 ? Double.NaN : lossSum / batches);
        double dice = 0;
        double iou = 0;
        for (int c = 1; c < classes; c++) {
            long union = pred[c] + gt[c] - inter[c];
            dice += pred[c] + gt[c] == 0 ? 0 : 2.0 * inter[c] / (pred[c] + gt[c]);
            iou += union == 0 ? 0 : (double) inter[c] / union;
        }
        row.put("val_mIoU", iou / (classes - 1));
        row.put("val_mDSC", dice / (classes - 1));
        return row;
    }

    public BuiltModel model() {
        return model;
    }

    /** Results of one pass over a split. */
    public record Result(MetricSummary metrics, double meanLoss) {
        public Map<String, Double> asValRow() {
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("val_loss", meanLoss);
            row.put("val_mIoU", metrics.means().get("iou"));
            row.put("val_mDSC", metrics.means().get("dice"));
            row.put("val_recall", metrics.means().get("recall"));
            row.put("val_precision", metrics.means().get("precision"));
            return row;
        }
    }

    public Result run(Dataset data, DataConfig dataCfg, EvalConfig evalCfg, int batchSize, String task) {
        MetricSummary summary = new MetricSummary(evalCfg);
        double lossSum = 0;
        int batches = 0;
        try (BatchLoader loader = BatchLoader.eval(data, batchSize, dataCfg);
             BatchLoader.Epoch epoch = loader.epoch(0);
             Progress p = Progress.start(task, data.size())) {
            while (epoch.hasNext()) {
                Batch b = epoch.next();
                Map<String, INDArray> out = model.output(
                        Map.of(BuiltModel.INPUT, b.image(), TARGET, b.mask()), "mask", lossName);
                lossSum += out.get(lossName).getDouble(0);
                batches++;
                score(summary, b.ids(), out.get("mask"), b.mask(), evalCfg.threshold);
                StepMemory.close(out.values());
                p.stepBy(b.size());
            }
        }
        return new Result(summary, batches == 0 ? Double.NaN : lossSum / batches);
    }

    /** Adds one batch of probability maps [B,1,H,W] against binary targets [B,1,H,W] to {@code summary}. */
    static void score(MetricSummary summary, List<String> ids, INDArray prob, INDArray target, double threshold) {
        int h = (int) prob.size(2);
        int w = (int) prob.size(3);
        for (int i = 0; i < ids.size(); i++) {
            float[] p = prob.slice(i).dup().data().asFloat();
            float[] y = target.slice(i).dup().data().asFloat();
            summary.add(ids.get(i), BinaryMask.fromProbabilities(p, w, h, threshold),
                    BinaryMask.fromProbabilities(y, w, h, 0.5));
        }
    }
}
