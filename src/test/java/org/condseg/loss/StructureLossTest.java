package org.condseg.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** PraNet's structure loss (Eq. 3) on tiny tensors against values worked out by hand (double precision). */
class StructureLossTest {
    private static double sig(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** BCE with logits: −y log σ(z) − (1−y) log(1 − σ(z)). */
    private static double bce(double z, double y) {
        return -(y * Math.log(sig(z)) + (1 - y) * Math.log(1 - sig(z)));
    }

    private static double run(INDArray z, INDArray y, LossConfig cfg) {
        SameDiff sd = SameDiff.create();
        SDVariable l = StructureLoss.loss(sd, sd.constant(z), sd.constant(y), cfg);
        return sd.output(Map.of(), l.name()).get(l.name()).getDouble(0);
    }

    // image 1: y = [[1,0],[0,0]], z = [[2,-1],[0,1]]; image 2: y = 0, z = 0
    private static final INDArray Z = Nd4j.createFromArray(2.0, -1, 0, 1, 0, 0, 0, 0).reshape(2, 1, 2, 2);
    private static final INDArray Y = Nd4j.createFromArray(1.0, 0, 0, 0, 0, 0, 0, 0).reshape(2, 1, 2, 2);

    @Test
    void weightedIouPlusWeightedBceByHand() {
        // image 1: every 31×31 window covers the whole 2×2 image: avgpool = 1/961 everywhere (padding counted)
        double wFg = 1 + 5 * (1 - 1.0 / 961); // the foreground pixel
        double wBg = 1 + 5 * (1.0 / 961);     // the three background pixels
        double sumW = wFg + 3 * wBg;
        double wbce = (wFg * bce(2, 1) + wBg * (bce(-1, 0) + bce(0, 0) + bce(1, 0))) / sumW;
        double inter = wFg * sig(2);
        double union = wFg * (sig(2) + 1) + wBg * (sig(-1) + 0.5 + sig(1));
        double wiou = 1 - (inter + 1) / (union - inter + 1);
        double l1 = wbce + wiou;
        // image 2: ω = 1, BCE = log 2 everywhere; inter = 0, union = 4 · 0.5 = 2: wiou = 1 − 1/3
        double l2 = Math.log(2) + 2.0 / 3;
        assertEquals((l1 + l2) / 2, run(Z, Y, new LossConfig()), 1e-12);
        // ≈ (0.6044 + 1.3598) / 2: wbce₁ ≈ 0.343, wiou₁ ≈ 1 − 6.282/8.503 ≈ 0.261
        assertEquals(0.98221, (l1 + l2) / 2, 1e-5);
    }

    @Test
    void officialBceIsTheUnweightedBatchMean() {
        LossConfig cfg = new LossConfig();
        cfg.structureOfficialBce = true;
        double meanBce = (bce(2, 1) + bce(-1, 0) + bce(0, 0) + bce(1, 0) + 4 * Math.log(2)) / 8;
        double wFg = 1 + 5 * (1 - 1.0 / 961);
        double wBg = 1 + 5 * (1.0 / 961);
        double inter = wFg * sig(2);
        double union = wFg * (sig(2) + 1) + wBg * (sig(-1) + 0.5 + sig(1));
        double wiou1 = 1 - (inter + 1) / (union - inter + 1);
        double wiou2 = 2.0 / 3;
        assertEquals(meanBce + (wiou1 + wiou2) / 2, run(Z, Y, cfg), 1e-12);
    }

    @Test
    void boundaryWeightUsesA31WindowWithZeroPadding() {
        // a 1×40 row, ones at columns 0..9: ω(i) = 1 + 5·|#ones in [i−15, i+15] / 961 − y(i)|
        double[] row = new double[40];
        for (int i = 0; i < 10; i++) {
            row[i] = 1;
        }
        SameDiff sd = SameDiff.create();
        SDVariable w = StructureLoss.weight(sd, sd.constant(Nd4j.createFromArray(row).reshape(1, 1, 1, 40)));
        INDArray out = sd.output(Map.of(), w.name()).get(w.name());
        assertEquals(1 + 5 * (1 - 10.0 / 961), out.getDouble(0, 0, 0, 0), 1e-12); // window [0,15]: 10 ones
        assertEquals(1 + 5 * (1 - 10.0 / 961), out.getDouble(0, 0, 0, 9), 1e-12);  // window [0,24]: 10 ones
        assertEquals(1 + 5 * (5.0 / 961), out.getDouble(0, 0, 0, 20), 1e-12);      // window [5,35]: 5 ones
        assertEquals(1 + 5 * (1.0 / 961), out.getDouble(0, 0, 0, 24), 1e-12);      // window [9,39]: 1 one
        assertEquals(1.0, out.getDouble(0, 0, 0, 25), 1e-12);                      // window [10,39]: none
    }
}
