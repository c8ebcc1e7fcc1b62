package org.condseg.model.condseg;

import org.condseg.nn.Cbr;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Semantic Information Decoupling, the decouple part (official {@code DecoupleLayer}, reference §3.1; paper
 * Eq. 5): three branches fg, bg, uc with no shared weights, each CBR(in→in/2, 3×3) → CBR(in/2→w, 3×3) →
 * CBR(w→w, 1×1) on the deepest encoder feature. The inner width in/2 is the official code's (1024→512 for
 * ResNet-50; the PVT variant's 512→256 follows the same rule).
 */
public final class Sid {
    /** Branch names, in output order. */
    public static final String[] BRANCHES = {"fg", "bg", "uc"};

    private Sid() {
    }

    /** Builds the branches; {@code withUc = false} skips the uc branch (it feeds only the auxiliary head). */
    public static SDVariable[] decouple(Scope s, SDVariable x, int inC, int w, boolean withUc) {
        int inner = inC / 2;
        SDVariable[] out = new SDVariable[3];
        for (int i = 0; i < (withUc ? 3 : 2); i++) {
            Scope b = s.child("cbr_" + BRANCHES[i]);
            SDVariable y = Cbr.cbr(b.child("0"), x, inC, inner, 3);
            y = Cbr.cbr(b.child("1"), y, inner, w, 3);
            out[i] = s.tap("out" + i, Cbr.cbr(b.child("2"), y, w, w, 1)); // [B,w,H/16,W/16]
        }
        return out;
    }
}
