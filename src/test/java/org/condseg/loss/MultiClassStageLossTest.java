package org.condseg.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/** The multi-class (Synapse) stage losses on a 2-class, 1x2-pixel example, against values worked out by hand. */
class MultiClassStageLossTest {
    private static final double EPS = 1e-9;

    private static double eval(SameDiff sd, SDVariable v) {
        return sd.output(Map.of(), v.name()).get(v.name()).getDouble(0);
    }

    private static double bce(double p, double y) {
        return -(y * Math.max(Math.log(p), -100) + (1 - y) * Math.max(Math.log(1 - p), -100));
    }

    /** softmax of (a, b): the probability of the first. */
    private static double sm(double a, double b) {
        return 1 / (1 + Math.exp(b - a));
    }

    @Test
    void stage1MultiClassIsCrossEntropyOfBothViewsPlusPerChannelConsistency() {
        // logits [1,2,1,2]: view 1 pixel 0 = (2, 0), pixel 1 = (0, 1); view 2 pixel 0 = (1, 1.5), pixel 1 = (-1, 1)
        double[] l1 = {2, 0, 0, 1};
        double[] l2 = {1, -1, 1.5, 1};
        double[] y = {1, 0, 0, 1}; // one-hot: pixel 0 is class 0, pixel 1 class 1
        SameDiff sd = SameDiff.create();
        SDVariable a = sd.var("l1", Nd4j.createFromArray(l1).reshape(1, 2, 1, 2));
        SDVariable b = sd.var("l2", Nd4j.createFromArray(l2).reshape(1, 2, 1, 2));
        SDVariable oh = sd.constant(Nd4j.createFromArray(y).reshape(1, 2, 1, 2));
        LossConfig cfg = new LossConfig(); // CE only, binarised consistency, mean of the two directions
        Stage1Loss.Terms t = Stage1Loss.multiClass(sd, a, b, sd.nn().softmax(a, 1), sd.nn().softmax(b, 1), oh, cfg, "");

        double[] p1 = {sm(2, 0), sm(0, 1)};       // class-0 probability per pixel, view 1
        double[] p2 = {sm(1, 1.5), sm(-1, 1)};    // view 2
        double ce1 = -(Math.log(p1[0]) + Math.log(1 - p1[1])) / 2;
        double ce2 = -(Math.log(p2[0]) + Math.log(1 - p2[1])) / 2;
        // channel maps: class 0 = p, class 1 = 1 - p; reference 1[q >= 0.5] of the other view; mean over 4 entries
        double t12 = 0;
        double t21 = 0;
        for (int i = 0; i < 2; i++) {
            t12 += bce(p1[i], p2[i] >= 0.5 ? 1 : 0) + bce(1 - p1[i], 1 - p2[i] >= 0.5 ? 1 : 0);
            t21 += bce(p2[i], p1[i] >= 0.5 ? 1 : 0) + bce(1 - p2[i], 1 - p1[i] >= 0.5 ? 1 : 0);
        }
        double cons = (t12 / 4 + t21 / 4) / 2;
        assertEquals(ce1, eval(sd, t.lossMask()), EPS);
        assertEquals(ce2, eval(sd, t.lossMaskAug()), EPS);
        assertEquals(cons, eval(sd, t.lossCons()), EPS);
        assertEquals(ce1 + ce2 + cons, eval(sd, t.total()), EPS);
    }

    @Test
    void stage2TakesTheGivenMaskTermAndKeepsTheBinaryAuxiliaryTerms() {
        SameDiff sd = SameDiff.create();
        SDVariable fg = sd.var("fg", Nd4j.createFromArray(0.8, 0.3).reshape(1, 1, 1, 2));
        SDVariable bg = sd.var("bg", Nd4j.createFromArray(0.1, 0.6).reshape(1, 1, 1, 2));
        SDVariable uc = sd.var("uc", Nd4j.createFromArray(0.2, 0.4).reshape(1, 1, 1, 2));
        SDVariable yfg = sd.constant(Nd4j.createFromArray(1.0, 0.0).reshape(1, 1, 1, 2));
        SDVariable ybg = sd.constant(Nd4j.createFromArray(0.0, 1.0).reshape(1, 1, 1, 2));
        SDVariable maskTerm = sd.constant(Nd4j.scalar(0.75));
        LossConfig cfg = new LossConfig();
        Stage2Loss.Terms withTerm = Stage2Loss.withMaskTerm(sd, maskTerm, fg, bg, uc, yfg, ybg, cfg, "mc/");
        // the same aux terms as the binary Eq. 15, only L_mask replaced
        SDVariable p = sd.constant(Nd4j.createFromArray(0.5, 0.5).reshape(1, 1, 1, 2));
        Stage2Loss.Terms binary = Stage2Loss.stage2Total(sd, p, fg, bg, uc, yfg, ybg, cfg, "bin/");
        double aux = eval(sd, binary.total()) - eval(sd, binary.lossMask());
        assertEquals(0.75, eval(sd, withTerm.lossMask()), EPS);
        assertEquals(0.75 + aux, eval(sd, withTerm.total()), 1e-6);
    }
}
