package org.condseg.train;

import java.util.List;
import org.condseg.data.DataConfig;
import org.condseg.data.ImageNorm;
import org.condseg.data.LabelMaps;
import org.condseg.data.RawPair;
import org.condseg.data.Resize;
import org.condseg.data.Volume;
import org.condseg.data.VolumeReader;
import org.condseg.eval.MultiClassMetrics;
import org.condseg.model.BuiltModel;
import org.condseg.util.Progress;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores a multi-class network on whole test volumes, as TransUNet's {@code test_single_volume}: every axial slice
 * is resized to the network size (bilinear here, cubic in TransUNet), predicted, reduced to class ids by argmax, and
 * the ids are resized back to the slice's own size with nearest neighbour; the slices are stacked into a [D,H,W]
 * volume and scored against the original-resolution labels per class in 3-D ({@link MultiClassMetrics}: Dice and
 * HD95 in voxel units, spacing 1, TransUNet's empty-mask convention).
 */
public final class VolumeEvaluator {
    private VolumeEvaluator() {
    }

    /** Predicted class ids of a whole volume, row-major [D,H,W]. */
    public static int[] predict(BuiltModel model, Volume v, DataConfig cfg, int batchSize) {
        int s = cfg.size;
        int plane = s * s;
        ImageNorm norm = ImageNorm.of(cfg);
        int[] out = new int[v.depth() * v.height() * v.width()];
        for (int d0 = 0; d0 < v.depth(); d0 += batchSize) {
            int n = Math.min(batchSize, v.depth() - d0);
            float[] x = new float[n * 3 * plane];
            for (int k = 0; k < n; k++) {
                RawPair p = v.slice(d0 + k);
                byte[] planar = Resize.toPlanar(p.rgb(), p.width(), p.height(), 3, s);
                float[] chw = new float[planar.length];
                for (int i = 0; i < chw.length; i++) {
                    chw[i] = (planar[i] & 255) / 255f;
                }
                norm.finish(chw, plane);
                System.arraycopy(chw, 0, x, k * 3 * plane, 3 * plane);
            }
            INDArray probs = model.output(Nd4j.create(x, new long[] {n, 3, s, s}, 'c'), "mask").get("mask");
            int[][] ids = LabelMaps.argmax(probs); // [n][s·s]
            StepMemory.close(probs);
            for (int k = 0; k < n; k++) {
                byte[] small = new byte[plane];
                for (int i = 0; i < plane; i++) {
                    small[i] = (byte) ids[k][i];
                }
                byte[] full = Resize.nearest(small, s, s, v.width(), v.height());
                int off = (d0 + k) * v.height() * v.width();
                for (int i = 0; i < full.length; i++) {
                    out[off + i] = full[i] & 255;
                }
            }
        }
        return out;
    }

    /** Predicts and scores every test volume of the reader. */
    public static MultiClassMetrics.Summary run(BuiltModel model, VolumeReader reader, DataConfig cfg, int batchSize) {
        int classes = model.config().numClasses;
        MultiClassMetrics.Summary summary = new MultiClassMetrics.Summary(classes);
        List<String> cases = reader.testVolumes();
        try (Progress p = Progress.start("evaluate volumes", cases.size())) {
            for (String c : cases) {
                Volume v = reader.volume(c);
                int[] pred = predict(model, v, cfg, batchSize);
                summary.add(c, MultiClassMetrics.compute(pred, v.labels(),
                        new int[] {v.depth(), v.height(), v.width()}, classes));
                p.step();
            }
        }
        return summary;
    }
}
