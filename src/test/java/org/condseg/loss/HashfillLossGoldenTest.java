package org.condseg.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Loss terms of the hash-fill model fixtures (golden README 6.2, 6.3), computed from the stored train-mode model
 * outputs, at 5e-5 relative (README section 5: loss scalars).
 */
class HashfillLossGoldenTest {
    private static final double TOL = 5e-5;
    private static final String FULL = "hashfill/condseg-full-64/";
    private static final String GRAD = "hashfill/condseg-grad-64/";
    private static final String NET0 = "hashfill/net0-64/";

    /** The outputs in condseg-full-64/train are the very forward that produced the condseg-grad-64 loss terms. */
    @Test
    void fullModelTrainOutputsAreTheGradFixtureForward() throws IOException {
        for (String f : new String[] {"input_x", "train/mask", "train/M_fg", "train/M_bg", "train/M_uc"}) {
            assertEquals(-1L, Files.mismatch(Golden.ROOT.resolve(FULL + f + ".npy"), Golden.ROOT.resolve(GRAD + f + ".npy")),
                    f + " differs between the two fixtures");
        }
        String model = Golden.manifest(GRAD).get("model").asText();
        assertTrue(model.contains("train mode") && model.contains("same fill and input as hashfill/condseg-full-64"), model);
    }

    @Test
    void officialStage2Terms() {
        Map<String, INDArray> out = stage2(LossConfig.official());
        INDArray ref = Golden.npy(GRAD + "official/loss_terms.npy");
        String[] names = {"loss_mask", "loss_fg", "loss_bg", "beta1", "beta2", "loss_compl", "total"};
        for (int i = 0; i < names.length; i++) {
            Golden.assertClose("official " + names[i], out.get(names[i]).getDouble(0), ref.getDouble(i), TOL);
        }
    }

    /** The paper terms must come out of the default configuration. */
    @Test
    void paperStage2TermsFromTheDefaultConfig() {
        Map<String, INDArray> out = stage2(new LossConfig());
        INDArray ref = Golden.npy(GRAD + "paper/loss_terms.npy");
        String[] names = {"bce_mask", "dice_mask", "loss_mask", "bce_fg", "dice_fg", "loss_fg", "bce_bg", "dice_bg",
            "loss_bg", "beta1", "beta2", "loss_compl", "total"};
        for (int i = 0; i < names.length; i++) {
            Golden.assertClose("paper " + names[i], out.get(names[i]).getDouble(0), ref.getDouble(i), TOL);
        }
    }

    @Test
    void officialStage1Terms() {
        INDArray m1 = Golden.npy(NET0 + "train/M1.npy");
        INDArray m2 = Golden.npy(NET0 + "train/M2.npy");
        // the stored probabilities are the sigmoid of the stored head logits of the two forwards
        Golden.assertClose("M1 = sigmoid(logit#0)", Transforms.sigmoid(Golden.npy(NET0 + "train/head.sig.in0#0.npy")), m1, 1e-6);
        Golden.assertClose("M2 = sigmoid(logit#1)", Transforms.sigmoid(Golden.npy(NET0 + "train/head.sig.in0#1.npy")), m2, 1e-6);
        SameDiff sd = SameDiff.create();
        Stage1Loss.Terms t = Stage1Loss.stage1Total(sd, sd.var("M1", m1), sd.var("M2", m2),
                sd.constant("Y", Golden.npy(NET0 + "Y.npy")), LossConfig.official());
        String[] names = {"loss_mask", "loss_mask_aug", "loss_cons_1", "loss_cons_2", "loss_cons", "total"};
        Map<String, INDArray> out = sd.output(Map.of(), names);
        INDArray ref = Golden.npy(NET0 + "official/loss_terms.npy");
        for (int i = 0; i < names.length; i++) {
            Golden.assertClose("stage-1 " + names[i], out.get(names[i]).getDouble(0), ref.getDouble(i), TOL);
        }
        assertEquals(t.asMap().keySet().stream().toList(), java.util.List.of(names));
    }

    private static Map<String, INDArray> stage2(LossConfig cfg) {
        SameDiff sd = SameDiff.create();
        Golden.stage2Graph(sd, cfg, Golden.npy(FULL + "train/mask.npy"), Golden.npy(FULL + "train/M_fg.npy"),
                Golden.npy(FULL + "train/M_bg.npy"), Golden.npy(FULL + "train/M_uc.npy"), Golden.npy(GRAD + "Y.npy"),
                Golden.npy(GRAD + "Y_bg.npy"));
        return sd.output(Map.of(), Golden.STAGE2_TERMS);
    }
}
