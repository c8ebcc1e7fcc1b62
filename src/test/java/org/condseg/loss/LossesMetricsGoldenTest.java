package org.condseg.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ../shared/golden/losses-metrics (golden README 6.5): the official DiceBCE, BinaryConsistencyLoss and stage-2
 * loss on stored inputs, values and input gradients, at 1e-6 relative (README section 5).
 */
class LossesMetricsGoldenTest {
    private static final double TOL = 1e-6;
    private static final String DIR = "losses-metrics/";
    private static final JsonNode SCALARS = Golden.manifest("losses-metrics").get("scalars");

    @ParameterizedTest
    @ValueSource(strings = {"typical", "soft_target", "all_background", "all_foreground"})
    void officialDiceBceValueAndGradient(String c) {
        SameDiff sd = SameDiff.create();
        SDVariable p = sd.var("P", Golden.npy(DIR + "dicebce/" + c + "/pred.npy"));
        SDVariable y = sd.constant("Y", Golden.npy(DIR + "dicebce/" + c + "/target.npy"));
        MaskLoss.Terms t = MaskLoss.maskLossTerms(sd, p, y, LossConfig.official());
        sd.setLossVariables(t.total());
        Map<String, INDArray> out = sd.output(Map.of(), t.bce().name(), t.dice().name(), t.total().name());
        JsonNode ref = SCALARS.get("dicebce").get(c);
        Golden.assertClose(c + " loss", out.get(t.total().name()).getDouble(0), ref.get("loss").asDouble(), TOL);
        Golden.assertClose(c + " bce", out.get(t.bce().name()).getDouble(0), ref.get("bce_part").asDouble(), TOL);
        Golden.assertClose(c + " dice", out.get(t.dice().name()).getDouble(0), ref.get("dice_part").asDouble(), TOL);
        INDArray g = sd.calculateGradients(Map.of(), "P").get("P");
        Golden.assertClose(c + " grad", g, Golden.npy(DIR + "dicebce/" + c + "/grad_pred.npy"), TOL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"typical", "exact_half"})
    void officialConsistencyValueAndGradients(String c) {
        Run r = consistency(c);
        r.assertValues(c);
        Golden.assertClose(c + " grad M1", r.g1, Golden.npy(DIR + "consistency/" + c + "/grad_mask1.npy"), TOL);
        Golden.assertClose(c + " grad M2", r.g2, Golden.npy(DIR + "consistency/" + c + "/grad_mask2.npy"), TOL);
    }

    /**
     * The clamp case has exact 0.0 / 1.0 entries. The values (which include PyTorch's -100 log clamp) must match.
     * The gradients are compared only where 0 < M < 1: at exact 0 or 1 PyTorch's BCE backward returns
     * (p - y) / max(p(1-p), 1e-12) / N (about +-2e9 here), a number that carries no information (the sigmoid
     * that produced p has derivative 0 there). Ours is documented in {@link Bce}: the clamped side contributes 0,
     * the other side its ordinary derivative, i.e. (1 - y)/N at p = 0 and -y/N at p = 1.
     */
    @Test
    void officialConsistencyClampCase() {
        Run r = consistency("clamp");
        r.assertValues("clamp");
        checkClampGradient("M1", r.m1, r.m2, r.g1, Golden.npy(DIR + "consistency/clamp/grad_mask1.npy"));
        checkClampGradient("M2", r.m2, r.m1, r.g2, Golden.npy(DIR + "consistency/clamp/grad_mask2.npy"));
    }

    private static void checkClampGradient(String which, INDArray m, INDArray other, INDArray g, INDArray ref) {
        long n = m.length();
        int interior = 0;
        int saturated = 0;
        double maxRef = 0;
        double maxDiff = 0;
        for (long i = 0; i < n; i++) {
            double p = m.getDouble(i);
            double y = other.getDouble(i) > 0.5 ? 1 : 0;
            double gi = g.getDouble(i);
            assertTrue(Double.isFinite(gi), which + " gradient not finite at " + i);
            if (p > 0 && p < 1) {
                interior++;
                maxRef = Math.max(maxRef, Math.abs(ref.getDouble(i)));
                maxDiff = Math.max(maxDiff, Math.abs(gi - ref.getDouble(i)));
            } else {
                saturated++;
                double expected = p == 0 ? (1 - y) / n : -y / n;
                assertEquals(expected, gi, 1e-9, which + " saturated entry " + i + " (p=" + p + ")");
                assertTrue(Math.abs(ref.getDouble(i)) > 1e6 || ref.getDouble(i) == 0, "reference is PyTorch's 1e12 form");
            }
        }
        assertTrue(interior > 400 && saturated > 10, "case has both kinds of entries: " + interior + "/" + saturated);
        assertTrue(maxDiff <= TOL * maxRef, which + " interior gradient rel error " + maxDiff / maxRef);
    }

    @Test
    void officialStage2ValuesAndGradients() {
        JsonNode ref = SCALARS.get("stage2").get("official");
        Stage2Run r = stage2(LossConfig.official());
        String[] names = {"loss_mask", "loss_fg", "loss_bg", "beta1", "beta2", "loss_compl", "total"};
        String[] refNames = {"loss_mask", "loss_fg", "loss_bg", "beta1", "beta2", "loss_comp", "total"};
        for (int i = 0; i < names.length; i++) {
            Golden.assertClose("official " + names[i], r.out.get(names[i]).getDouble(0),
                    ref.get(refNames[i]).asDouble(), TOL);
        }
        r.assertGradients("official");
    }

    @Test
    void paperStage2ValuesAndGradients() {
        JsonNode ref = SCALARS.get("stage2").get("paper");
        Stage2Run r = stage2(LossConfig.paper());
        String[] names = {"bce_mask", "dice_mask", "loss_mask", "bce_fg", "dice_fg", "loss_fg", "bce_bg", "dice_bg",
            "loss_bg", "beta1", "beta2", "loss_compl", "total"};
        String[] refNames = names.clone();
        refNames[11] = "loss_comp";
        for (int i = 0; i < names.length; i++) {
            Golden.assertClose("paper " + names[i], r.out.get(names[i]).getDouble(0),
                    ref.get(refNames[i]).asDouble(), TOL);
        }
        r.assertGradients("paper");
    }

    /** The same loss built on placeholders with an unknown batch size (as the trainer feeds it). */
    @Test
    void officialStage2OnPlaceholdersWithDynamicBatch() {
        SameDiff sd = SameDiff.create();
        String[] in = {"P", "P_fg", "P_bg", "P_uc", "Y", "Y_bg"};
        SDVariable[] v = new SDVariable[in.length];
        java.util.Map<String, INDArray> feed = new java.util.HashMap<>();
        for (int i = 0; i < in.length; i++) {
            v[i] = sd.placeHolder(in[i], org.nd4j.linalg.api.buffer.DataType.FLOAT, -1, 1, 16, 16);
            feed.put(in[i], Golden.npy(DIR + "stage2/" + in[i] + ".npy"));
        }
        Stage2Loss.stage2Total(sd, v[0], v[1], v[2], v[3], v[4], v[5], LossConfig.official());
        double total = sd.output(feed, "total").get("total").getDouble(0);
        Golden.assertClose("placeholder total", total, SCALARS.get("stage2").get("official").get("total").asDouble(), TOL);
    }

    // ---------------------------------------------------------------------------------------------------

    private record Run(INDArray m1, INDArray m2, Map<String, INDArray> out, ConsistencyLoss.Terms t, INDArray g1,
            INDArray g2) {
        void assertValues(String c) {
            JsonNode ref = SCALARS.get("consistency").get(c);
            Golden.assertClose(c + " loss", out.get(t.total().name()).getDouble(0), ref.get("loss").asDouble(), TOL);
            Golden.assertClose(c + " term 1", out.get(t.first().name()).getDouble(0),
                    ref.get("loss1_bce_mask1_vs_bin_mask2").asDouble(), TOL);
            Golden.assertClose(c + " term 2", out.get(t.second().name()).getDouble(0),
                    ref.get("loss2_bce_mask2_vs_bin_mask1").asDouble(), TOL);
        }
    }

    private static Run consistency(String c) {
        SameDiff sd = SameDiff.create();
        INDArray a1 = Golden.npy(DIR + "consistency/" + c + "/mask1.npy");
        INDArray a2 = Golden.npy(DIR + "consistency/" + c + "/mask2.npy");
        SDVariable m1 = sd.var("M1", a1.dup());
        SDVariable m2 = sd.var("M2", a2.dup());
        ConsistencyLoss.Terms t = ConsistencyLoss.consistencyTerms(sd, m1, m2, LossConfig.official());
        sd.setLossVariables(t.total());
        Map<String, INDArray> out = sd.output(Map.of(), t.first().name(), t.second().name(), t.total().name());
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "M1", "M2");
        return new Run(a1, a2, out, t, g.get("M1"), g.get("M2"));
    }

    private record Stage2Run(Map<String, INDArray> out, Map<String, INDArray> grads) {
        void assertGradients(String mode) {
            for (String v : new String[] {"P", "P_fg", "P_bg", "P_uc"}) {
                Golden.assertClose(mode + " grad " + v, grads.get(v),
                        Golden.npy(DIR + "stage2/" + mode + "/grad_" + v + ".npy"), TOL);
            }
        }
    }

    private static Stage2Run stage2(LossConfig cfg) {
        SameDiff sd = SameDiff.create();
        Stage2Loss.Terms t = Golden.stage2Graph(sd, cfg, Golden.npy(DIR + "stage2/P.npy"),
                Golden.npy(DIR + "stage2/P_fg.npy"), Golden.npy(DIR + "stage2/P_bg.npy"),
                Golden.npy(DIR + "stage2/P_uc.npy"), Golden.npy(DIR + "stage2/Y.npy"), Golden.npy(DIR + "stage2/Y_bg.npy"));
        sd.setLossVariables(t.total());
        Map<String, INDArray> out = sd.output(Map.of(), Golden.STAGE2_TERMS);
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "P", "P_fg", "P_bg", "P_uc");
        return new Stage2Run(out, g);
    }
}
