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

    /** Adds the mask loss of the {@code mask} output to an EVAL graph. */
    public Evaluator(BuiltModel model, LossConfig loss) {
        this.model = model;
        SameDiff sd = model.sd();
        SDVariable y = sd.placeHolder(TARGET, DataType.FLOAT, -1, 1, -1, -1);
        SDVariable l = MaskLoss.maskLoss(sd, sd.getVariable("mask"), y, loss);
        this.lossName = l.name();
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
                Map<String, INDArray> out = model.sd().output(
                        Map.of(BuiltModel.INPUT, b.image(), TARGET, b.mask()), "mask", lossName);
                lossSum += out.get(lossName).getDouble(0);
                batches++;
                score(summary, b.ids(), out.get("mask"), b.mask(), evalCfg.threshold);
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
