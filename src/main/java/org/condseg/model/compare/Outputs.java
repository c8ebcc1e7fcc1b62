package org.condseg.model.compare;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Names the outputs of a comparison network: {@code mask_logit} / {@code mask} for the prediction and
 * {@code sideN_logit} / {@code sideN} (N = 1, 2, ...) for deep-supervision maps, all [B,1,H,W] at input size.
 */
final class Outputs {
    private Outputs() {
    }

    /** Renames the logits, adds the sigmoids, and returns the output names in {@code BuiltModel} order. */
    static List<String> declare(SameDiff sd, SDVariable mainLogit, SDVariable... sideLogits) {
        List<String> names = new ArrayList<>(List.of("mask", "mask_logit"));
        mainLogit.rename("mask_logit");
        sd.nn().sigmoid("mask", mainLogit);
        for (int i = 0; i < sideLogits.length; i++) {
            String n = "side" + (i + 1);
            sideLogits[i].rename(n + "_logit");
            sd.nn().sigmoid(n, sideLogits[i]);
            names.add(n);
            names.add(n + "_logit");
        }
        return names;
    }
}
