package org.condseg.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Paper formulas and the official switches on tiny tensors, against values worked out by hand (double precision). */
class LossHandTest {
    private static final double EPS = 1e-12;

    /** [B,1,H,W] double array. */
    private static INDArray arr(long b, long h, long w, double... v) {
        return Nd4j.createFromArray(v).reshape(b, 1, h, w);
    }

    private static double eval(SameDiff sd, SDVariable v) {
        return sd.output(Map.of(), v.name()).get(v.name()).getDouble(0);
    }

    private static double[] grad(SameDiff sd, SDVariable loss, String var) {
        sd.setLossVariables(loss);
        return sd.calculateGradients(Map.of(), var).get(var).dup().data().asDouble();
    }

    private static double bce1(double p, double y) {
        double lp = p <= 0 ? -100 : Math.max(Math.log(p), -100);
        double l1p = p >= 1 ? -100 : Math.max(Math.log(1 - p), -100);
        return -(y * lp + (1 - y) * l1p);
    }

    @Test
    void bceIsPyTorchsClampedMeanWithFiniteGradients() {
        SameDiff sd = SameDiff.create();
        SDVariable p = sd.var("p", arr(1, 1, 5, 0.9, 0.2, 0.0, 1.0, 0.3));
        SDVariable y = sd.constant(arr(1, 1, 5, 1, 0, 1, 1, 0.4));
        SDVariable l = Bce.bce(sd, p, y);
        double expected = (-Math.log(0.9) - Math.log(0.8) + 100 + 0 - 0.4 * Math.log(0.3) - 0.6 * Math.log(0.7)) / 5;
        assertEquals(expected, eval(sd, l), EPS);
        double[] g = grad(sd, l, "p");
        // d/dp = -y/p + (1-y)/(1-p), over N = 5; the clamped side contributes 0
        assertArrayEquals(new double[] {-1 / 0.9 / 5, 1 / 0.8 / 5, 0, -1.0 / 5, (-0.4 / 0.3 + 0.6 / 0.7) / 5}, g, EPS);
    }

    @Test
    void paperDiceHasNoSmoothingAndPoolsOverTheBatch() {
        SameDiff sd = SameDiff.create();
        SDVariable p = sd.var("p", arr(2, 1, 2, 0.2, 0.8, 0.5, 0.0));
        SDVariable y = sd.constant(arr(2, 1, 2, 0, 1, 1, 0));
        LossConfig paper = new LossConfig();
        assertEquals(1 - 2 * 1.3 / 3.5, eval(sd, Dice.dice(sd, p, y, paper)), EPS);
        LossConfig perImage = new LossConfig();
        perImage.diceOverBatch = false;
        assertEquals(0.5 * ((1 - 1.6 / 2.0) + (1 - 1.0 / 1.5)), eval(sd, Dice.dice(sd, p, y, perImage)), EPS);
        LossConfig smooth = new LossConfig();
        smooth.diceSmooth = 1;
        assertEquals(1 - (2 * 1.3 + 1) / (3.5 + 1), eval(sd, Dice.dice(sd, p, y, smooth)), EPS);
    }

    @Test
    void emptyPredictionAndTargetGiveDiceOneInThePaperAndZeroOfficially() {
        SameDiff sd = SameDiff.create();
        SDVariable p = sd.var("p", arr(1, 2, 2, 0, 0, 0, 0));
        SDVariable y = sd.constant(arr(1, 2, 2, 0, 0, 0, 0));
        assertEquals(1.0, eval(sd, Dice.dice(sd, p, y, new LossConfig())), 0);
        assertEquals(0.0, eval(sd, Dice.dice(sd, p, y, LossConfig.official())), EPS);
        double[] g = grad(sd, Dice.dice(sd, p, y, new LossConfig()), "p");
        for (double v : g) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void maskLossIsBcePlusDiceWithTheOfficialDoubleSigmoid() {
        double[] pv = {0.1, 0.7, 0.95, 0.4};
        double[] yv = {0, 1, 1, 0};
        SameDiff sd = SameDiff.create();
        SDVariable p = sd.var("p", arr(1, 2, 2, pv));
        SDVariable y = sd.constant(arr(1, 2, 2, yv));
        double bce = 0;
        double inter = 0;
        double sp = 0;
        double bceQ = 0;
        double interQ = 0;
        double sq = 0;
        for (int i = 0; i < 4; i++) {
            double q = 1 / (1 + Math.exp(-pv[i]));
            bce += bce1(pv[i], yv[i]) / 4;
            bceQ += bce1(q, yv[i]) / 4;
            inter += pv[i] * yv[i];
            interQ += q * yv[i];
            sp += pv[i];
            sq += q;
        }
        assertEquals(bce + 1 - 2 * inter / (sp + 2), eval(sd, MaskLoss.maskLoss(sd, p, y, new LossConfig())), EPS);
        assertEquals(bceQ + 1 - (2 * interQ + 1) / (sq + 2 + 1),
                eval(sd, MaskLoss.maskLoss(sd, p, y, LossConfig.official())), EPS);
    }

    @Test
    void binarisedConsistencyPaperOfficialAndThreshold() {
        double[] a = {0.5, 0.7, 0.2, 0.9};
        double[] b = {0.6, 0.5, 0.4, 0.1};
        SameDiff sd = SameDiff.create();
        SDVariable m1 = sd.var("m1", arr(1, 2, 2, a));
        SDVariable m2 = sd.var("m2", arr(1, 2, 2, b));
        // paper: >= 0.5, factor 1/2 -> ref2 = [1,1,0,0], ref1 = [1,1,0,1]
        double t12 = (bce1(0.5, 1) + bce1(0.7, 1) + bce1(0.2, 0) + bce1(0.9, 0)) / 4;
        double t21 = (bce1(0.6, 1) + bce1(0.5, 1) + bce1(0.4, 0) + bce1(0.1, 1)) / 4;
        assertEquals(0.5 * (t12 + t21), eval(sd, ConsistencyLoss.consistency(sd, m1, m2, new LossConfig())), EPS);
        // official: > 0.5, summed -> ref2 = [1,0,0,0], ref1 = [0,1,0,1]
        double o12 = (bce1(0.5, 1) + bce1(0.7, 0) + bce1(0.2, 0) + bce1(0.9, 0)) / 4;
        double o21 = (bce1(0.6, 0) + bce1(0.5, 1) + bce1(0.4, 0) + bce1(0.1, 1)) / 4;
        assertEquals(o12 + o21, eval(sd, ConsistencyLoss.consistency(sd, m1, m2, LossConfig.official())), EPS);
        // t = 0.3, paper: ref2 = [1,1,1,0], ref1 = [1,1,0,1]
        LossConfig t3 = new LossConfig();
        t3.consistencyThreshold = 0.3;
        double s12 = (bce1(0.5, 1) + bce1(0.7, 1) + bce1(0.2, 1) + bce1(0.9, 0)) / 4;
        assertEquals(0.5 * (s12 + t21), eval(sd, ConsistencyLoss.consistency(sd, m1, m2, t3)), EPS);
    }

    /** The binarised reference carries no gradient: d/dM2 [BCE(M1, 1[M2>=t]) + mean(M2)] is exactly 1/N. */
    @Test
    void binarisedReferenceCarriesNoGradient() {
        SameDiff sd = SameDiff.create();
        SDVariable m1 = sd.var("m1", arr(1, 2, 3, 0.1, 0.6, 0.5, 0.9, 0.3, 0.45));
        SDVariable m2 = sd.var("m2", arr(1, 2, 3, 0.7, 0.2, 0.5, 0.55, 0.49, 0.8));
        SDVariable ref = ConsistencyLoss.binarise(sd, m2, new LossConfig());
        SDVariable loss = Bce.bce(sd, m1, ref).add(m2.mean());
        double[] g = grad(sd, loss, "m2");
        for (double v : g) {
            assertEquals(1.0 / 6, v, 0.0);
        }
        // and in the full term, M2 gets only the gradient of its own BCE towards 1[M1 >= t], times 1/2
        SameDiff sd2 = SameDiff.create();
        double[] a = {0.1, 0.6, 0.5, 0.9, 0.3, 0.45};
        double[] b = {0.7, 0.2, 0.5, 0.55, 0.49, 0.8};
        SDVariable n1 = sd2.var("m1", arr(1, 2, 3, a));
        SDVariable n2 = sd2.var("m2", arr(1, 2, 3, b));
        double[] g2 = grad(sd2, ConsistencyLoss.consistency(sd2, n1, n2, new LossConfig()), "m2");
        for (int i = 0; i < 6; i++) {
            double y = a[i] >= 0.5 ? 1 : 0;
            assertEquals(0.5 * (-y / b[i] + (1 - y) / (1 - b[i])) / 6, g2[i], EPS);
        }
    }

    private static double kl(double a, double b) {
        return a * Math.log(a / b) + (1 - a) * Math.log((1 - a) / (1 - b));
    }

    @Test
    void klAndJsValuesAndFiniteDifferenceGradients() {
        double[] a = {0.1, 0.6, 0.5, 0.93, 0.3, 0.45};
        double[] b = {0.7, 0.2, 0.5, 0.55, 0.49, 0.8};
        double kl12 = 0;
        double kl21 = 0;
        double js1 = 0;
        double js2 = 0;
        for (int i = 0; i < 6; i++) {
            double m = 0.5 * (a[i] + b[i]);
            kl12 += kl(a[i], b[i]) / 6;
            kl21 += kl(b[i], a[i]) / 6;
            js1 += kl(a[i], m) / 6;
            js2 += kl(b[i], m) / 6;
        }
        for (ConsistencyKind kind : new ConsistencyKind[] {ConsistencyKind.KL, ConsistencyKind.JS}) {
            for (boolean mean : new boolean[] {true, false}) {
                LossConfig cfg = new LossConfig();
                cfg.consistency = kind;
                cfg.consistencyMean = mean;
                double expected = (kind == ConsistencyKind.KL ? kl12 + kl21 : js1 + js2) * (mean ? 0.5 : 1);
                SameDiff sd = SameDiff.create();
                SDVariable m1 = sd.var("m1", arr(1, 2, 3, a));
                SDVariable m2 = sd.var("m2", arr(1, 2, 3, b));
                SDVariable loss = ConsistencyLoss.consistency(sd, m1, m2, cfg);
                assertEquals(expected, eval(sd, loss), EPS, kind + " mean=" + mean);
                sd.setLossVariables(loss);
                Map<String, INDArray> g = sd.calculateGradients(Map.of(), "m1", "m2");
                for (String v : new String[] {"m1", "m2"}) {
                    INDArray x = sd.getVariable(v).getArr();
                    for (int i = 0; i < 6; i++) {
                        double x0 = x.getDouble(i);
                        double h = 1e-6;
                        x.putScalar(i, x0 + h);
                        double up = eval(sd, loss);
                        x.putScalar(i, x0 - h);
                        double down = eval(sd, loss);
                        x.putScalar(i, x0);
                        double fd = (up - down) / (2 * h);
                        assertEquals(fd, g.get(v).getDouble(i), 1e-7, kind + " d/d" + v + "[" + i + "]");
                    }
                }
            }
        }
        assertTrue(js1 + js2 > 0 && 0.5 * (js1 + js2) < Math.log(2));
    }

    @Test
    void betaPaperAndOfficialWithGradient() {
        double[] v = {0.2, 0.4, 0.6, 0.0, 0.9, 0.1, 0.3, 0.5};
        SameDiff sd = SameDiff.create();
        SDVariable p = sd.var("p", arr(2, 2, 2, v));
        double mean = 0.375;
        SDVariable paper = BetaWeight.beta(sd, p, new LossConfig());
        assertEquals(1 / Math.tanh(mean), eval(sd, paper), EPS);
        // official: sum over the batch / (H*W) = 3.0 / 4
        assertEquals(1 / (Math.tanh(0.75) + 1e-15), eval(sd, BetaWeight.beta(sd, p, LossConfig.official())), EPS);
        double t = Math.tanh(mean);
        double dBeta = -(1 - t * t) / (t * t) / 8;
        for (double gi : grad(sd, paper, "p")) {
            assertEquals(dBeta, gi, EPS);
        }
    }

    @Test
    void complementarityPaperAndSoftmax() {
        double[] f = {0.9, 0.1, 0.5, 0.0};
        double[] g = {0.2, 0.8, 0.5, 1.0};
        double[] u = {0.1, 0.3, 0.5, 0.0};
        SameDiff sd = SameDiff.create();
        SDVariable vf = sd.var("f", arr(1, 2, 2, f));
        SDVariable vg = sd.var("g", arr(1, 2, 2, g));
        SDVariable vu = sd.var("u", arr(1, 2, 2, u));
        double paper = 0;
        double soft = 0;
        for (int i = 0; i < 4; i++) {
            paper += (f[i] * g[i] + f[i] * u[i] + g[i] * u[i]) / 4;
            double z = Math.exp(f[i]) + Math.exp(g[i]) + Math.exp(u[i]);
            double sf = Math.exp(f[i]) / z;
            double sg = Math.exp(g[i]) / z;
            double su = Math.exp(u[i]) / z;
            soft += (sf * sg + sf * su + sg * su) / 4;
        }
        assertEquals(paper, eval(sd, ComplementarityLoss.complementarity(sd, vf, vg, vu, new LossConfig())), EPS);
        assertEquals(soft, eval(sd, ComplementarityLoss.complementarity(sd, vf, vg, vu, LossConfig.official())), EPS);
        // one map at 1, the others at 0 gives the official minimum 0.2891; all equal gives 1/3
        assertTrue(soft > 0.2891 && soft < 1.0 / 3);
    }

    @Test
    void stage2TotalCombinesItsNamedTerms() {
        SameDiff sd = SameDiff.create();
        INDArray y = arr(1, 2, 2, 1, 0, 0, 1);
        Stage2Loss.Terms t = Stage2Loss.stage2Total(sd, sd.var("P", arr(1, 2, 2, 0.8, 0.3, 0.1, 0.6)),
                sd.var("Pfg", arr(1, 2, 2, 0.7, 0.2, 0.4, 0.9)), sd.var("Pbg", arr(1, 2, 2, 0.3, 0.6, 0.7, 0.2)),
                sd.var("Puc", arr(1, 2, 2, 0.1, 0.5, 0.2, 0.3)), sd.constant(y), sd.constant(y.rsub(1.0)),
                new LossConfig(), "val/");
        Map<String, INDArray> o = sd.output(Map.of(), "val/loss_mask", "val/loss_fg", "val/loss_bg", "val/beta1",
                "val/beta2", "val/loss_compl", "val/total");
        double expected = o.get("val/loss_mask").getDouble(0)
                + o.get("val/beta1").getDouble(0) * o.get("val/loss_fg").getDouble(0)
                + o.get("val/beta2").getDouble(0) * o.get("val/loss_bg").getDouble(0)
                + o.get("val/loss_compl").getDouble(0);
        assertEquals(expected, o.get("val/total").getDouble(0), EPS);
        assertEquals(1 / Math.tanh(0.55), o.get("val/beta1").getDouble(0), EPS);
        assertEquals(List.of("loss_mask", "loss_fg", "loss_bg", "beta1", "beta2", "loss_compl", "total"),
                List.copyOf(t.asMap().keySet()));
    }

    @Test
    void stage1WithoutConsistencyIsMaskLossOfM1() {
        LossConfig cfg = new LossConfig();
        cfg.consistency = ConsistencyKind.NONE;
        SameDiff sd = SameDiff.create();
        SDVariable m1 = sd.var("M1", arr(1, 2, 2, 0.8, 0.3, 0.1, 0.6));
        SDVariable y = sd.constant(arr(1, 2, 2, 1, 0, 0, 1));
        Stage1Loss.Terms t = Stage1Loss.stage1Total(sd, m1, null, y, cfg);
        assertNull(t.lossCons());
        double mask = eval(sd, MaskLoss.maskLoss(sd, m1, y, cfg));
        assertEquals(mask, eval(sd, t.total()), 0);
        assertEquals(mask, eval(sd, sd.getVariable("loss_mask")), 0);
        assertEquals(List.of("loss_mask", "total"), List.copyOf(t.asMap().keySet()));
    }

    @Test
    void stage1WithConsistencyIsEq7() {
        SameDiff sd = SameDiff.create();
        SDVariable m1 = sd.var("M1", arr(1, 2, 2, 0.8, 0.3, 0.1, 0.6));
        SDVariable m2 = sd.var("M2", arr(1, 2, 2, 0.7, 0.5, 0.2, 0.4));
        SDVariable y = sd.constant(arr(1, 2, 2, 1, 0, 0, 1));
        LossConfig cfg = new LossConfig();
        Stage1Loss.Terms t = Stage1Loss.stage1Total(sd, m1, m2, y, cfg);
        double expected = eval(sd, MaskLoss.maskLoss(sd, m1, y, cfg)) + eval(sd, MaskLoss.maskLoss(sd, m2, y, cfg))
                + eval(sd, ConsistencyLoss.consistency(sd, m1, m2, cfg));
        assertEquals(expected, eval(sd, t.total()), EPS);
    }

    @Test
    void multiClassCrossEntropyAndDiceAgainstHandComputation() {
        // logits [1,3,1,2]: two pixels, three classes; labels: pixel 0 is class 2, pixel 1 is class 0
        double[][] z = {{1.0, -0.5}, {0.2, 0.3}, {2.0, 0.1}};   // z[c][pixel]
        int[] label = {2, 0};
        INDArray logits = Nd4j.createFromArray(new double[] {1.0, -0.5, 0.2, 0.3, 2.0, 0.1}).reshape(1, 3, 1, 2);
        INDArray oneHot = Nd4j.createFromArray(new double[] {0, 1, 0, 0, 1, 0}).reshape(1, 3, 1, 2);
        double[][] s = new double[3][2];
        double ce = 0;
        for (int px = 0; px < 2; px++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += Math.exp(z[c][px]);
            }
            for (int c = 0; c < 3; c++) {
                s[c][px] = Math.exp(z[c][px]) / sum;
            }
            ce += -Math.log(s[label[px]][px]) / 2;
        }
        double dice = 0;
        for (int c = 0; c < 3; c++) {
            double inter = 0;
            double ss = 0;
            double yy = 0;
            for (int px = 0; px < 2; px++) {
                double y = label[px] == c ? 1 : 0;
                inter += s[c][px] * y;
                ss += s[c][px] * s[c][px];
                yy += y;
            }
            dice += (1 - (2 * inter + 1e-5) / (ss + yy + 1e-5)) / 3;
        }
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", logits);
        SDVariable y = sd.constant(oneHot);
        SDVariable loss = MultiClassLoss.multiClassCrossEntropy(sd, x, y);
        assertEquals(ce, eval(sd, loss), EPS);
        assertEquals(dice, eval(sd, MultiClassLoss.multiClassDice(sd, x, y)), EPS);
        LossConfig cfg = new LossConfig();
        assertEquals(ce, eval(sd, MultiClassLoss.multiClassLoss(sd, x, y, cfg)), EPS);
        cfg.multiClassDice = true;
        assertEquals(0.5 * ce + 0.5 * dice, eval(sd, MultiClassLoss.multiClassLoss(sd, x, y, cfg)), EPS);
        // dCE/dz = (softmax - onehot) / (B*H*W)
        double[] g = grad(sd, loss, "x");
        for (int c = 0; c < 3; c++) {
            for (int px = 0; px < 2; px++) {
                assertEquals((s[c][px] - (label[px] == c ? 1 : 0)) / 2, g[c * 2 + px], EPS);
            }
        }
        // huge logits stay finite (max-shifted log-softmax): pixel 0 ~ 0, pixel 1 = 300 - (-500) = 800
        SameDiff big = SameDiff.create();
        SDVariable bx = big.var("x", logits.mul(1000));
        SDVariable bl = MultiClassLoss.multiClassCrossEntropy(big, bx, big.constant(oneHot));
        assertEquals((0 + 800) / 2.0, eval(big, bl), 1e-9);
        for (double v : grad(big, bl, "x")) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void officialPresetAndFidelityNames() {
        LossConfig o = LossConfig.official();
        assertTrue(o.doubleSigmoid && o.consistencyStrict && o.betaOfficial && o.complSoftmax && o.diceOverBatch);
        assertEquals(1.0, o.diceSmooth);
        assertTrue(!o.consistencyMean && o.consistency == ConsistencyKind.BINARISED);
        LossConfig p = LossConfig.forFidelity("paper");
        assertTrue(!p.doubleSigmoid && !p.consistencyStrict && !p.betaOfficial && !p.complSoftmax && p.consistencyMean);
        assertEquals(0.0, p.diceSmooth);
        assertEquals(0.5, p.consistencyThreshold);
        UserError e = assertThrows(UserError.class, () -> LossConfig.forFidelity("offical"));
        assertTrue(e.getMessage().contains("paper") && e.getMessage().contains("official"));
    }
}
