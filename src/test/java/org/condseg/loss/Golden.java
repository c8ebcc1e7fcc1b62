package org.condseg.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads ../shared/golden fixtures and compares with the README's rule max|a - ref| <= tol * max|ref|. */
final class Golden {
    static final Path ROOT = Path.of("..", "shared", "golden");

    private Golden() {
    }

    static INDArray npy(String rel) {
        return Nd4j.createFromNpyFile(ROOT.resolve(rel).toFile());
    }

    static JsonNode manifest(String fixture) {
        try {
            return new ObjectMapper().readTree(ROOT.resolve(fixture).resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** max|actual - ref| / max|ref| (0 if both are 0). */
    static double relErr(INDArray actual, INDArray ref) {
        INDArray a = actual.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        INDArray r = ref.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(a.shape());
        double diff = a.sub(r).amaxNumber().doubleValue();
        double scale = r.amaxNumber().doubleValue();
        return scale == 0 ? diff : diff / scale;
    }

    static void assertClose(String what, INDArray actual, INDArray ref, double tol) {
        double e = relErr(actual, ref);
        assertTrue(e <= tol, what + ": max rel error " + e + " > " + tol);
    }

    static void assertClose(String what, double actual, double ref, double tol) {
        double e = Math.abs(actual - ref) / Math.max(Math.abs(ref), Double.MIN_NORMAL);
        assertTrue(e <= tol, what + ": " + actual + " vs " + ref + " (rel " + e + " > " + tol + ")");
    }

    /** Stage-2 term names, in the golden files' order (official terms, then the paper's BCE and Dice halves). */
    static final String[] STAGE2_TERMS = {"loss_mask", "loss_fg", "loss_bg", "beta1", "beta2", "loss_compl", "total",
        "bce_mask", "dice_mask", "bce_fg", "dice_fg", "bce_bg", "dice_bg"};

    /**
     * The stage-2 loss on stored maps P, P_fg, P_bg, P_uc (variables of those names, for gradients) and targets, with
     * the BCE and Dice halves of each L_mask term named as in {@link #STAGE2_TERMS}.
     */
    static Stage2Loss.Terms stage2Graph(SameDiff sd, LossConfig cfg, INDArray p, INDArray pFg, INDArray pBg,
            INDArray pUc, INDArray target, INDArray background) {
        SDVariable vp = sd.var("P", p);
        SDVariable fg = sd.var("P_fg", pFg);
        SDVariable bg = sd.var("P_bg", pBg);
        SDVariable uc = sd.var("P_uc", pUc);
        SDVariable y = sd.constant("Y", target);
        SDVariable yBg = sd.constant("Y_bg", background);
        Stage2Loss.Terms t = Stage2Loss.stage2Total(sd, vp, fg, bg, uc, y, yBg, cfg);
        List<MaskLoss.Terms> halves = List.of(MaskLoss.maskLossTerms(sd, vp, y, cfg),
                MaskLoss.maskLossTerms(sd, fg, y, cfg), MaskLoss.maskLossTerms(sd, bg, yBg, cfg));
        List<String> suffix = List.of("mask", "fg", "bg");
        for (int i = 0; i < halves.size(); i++) {
            halves.get(i).bce().rename("bce_" + suffix.get(i));
            halves.get(i).dice().rename("dice_" + suffix.get(i));
        }
        return t;
    }
}
