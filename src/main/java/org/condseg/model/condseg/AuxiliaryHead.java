package org.condseg.model.condseg;

import org.condseg.nn.Bilinear;
import org.condseg.nn.Cbr;
import org.condseg.nn.Conv;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * SID auxiliary head (official {@code AuxiliaryHead}, reference §3.2): one branch per decoupled feature, each
 * CBR(w→2w) ↑2 CBR(2w→2w) ↑2 CBR(2w→w) ↑2 CBR(w→w/2) ↑2 CBR(w/2→w/2) → Conv1×1(w/2→1, bias) → sigmoid, giving
 * M_fg, M_bg, M_uc at full input resolution (widths 256, 256, 128, 64, 64 at w = 128). No CAM/SAM, as in the code.
 * The PVT variant (deepest tap at stride 32) has five upsamplings, see {@link #branch}. Returns the logits; the
 * pre-sigmoid logit of branch b is tapped as {@code branch_b.10.in0} ({@code .12.in0} for PVT).
 */
public final class AuxiliaryHead {
    private AuxiliaryHead() {
    }

    /**
     * Logit of one branch, from a feature at {@code stride} to the input resolution: log2(stride) upsamplings.
     * Stride 16 (ResNet taps): CBR widths 2w, 2w, w, w/2, w/2 (Sequential indices 0, 2, .., 8; conv 9).
     * Stride 32 (PVT, reference §15.1): w, w, w, w/2, w/2, w/4 (indices 0, 2, .., 10; conv 11).
     */
    public static SDVariable branch(Scope s, String branch, SDVariable f, int w, int stride) {
        Scope b = s.child("branch_" + branch);
        int[] widths = widths(w, stride);
        SDVariable y = f;
        int c = w;
        int st = stride;
        for (int i = 0; i < widths.length; i++) {
            y = Cbr.cbr(b.child(Integer.toString(2 * i)), y, c, widths[i], 3);
            c = widths[i];
            if (i < widths.length - 1) {
                y = Bilinear.up(s, y, c, st, 2); // [B,c,2h,2w]
                st /= 2;
            }
        }
        int conv = 2 * widths.length - 1;
        SDVariable logit = Conv.conv2d(b.child(Integer.toString(conv)), y, c, 1, 1, 1, 0, 1, true); // [B,1,H,W]
        return s.tap("branch_" + branch + "." + (conv + 1) + ".in0", logit);
    }

    /** CBR output widths of a branch starting at {@code stride} (16 or 32). */
    static int[] widths(int w, int stride) {
        return switch (stride) {
            case 16 -> new int[] {2 * w, 2 * w, w, w / 2, w / 2};
            case 32 -> new int[] {w, w, w, w / 2, w / 2, w / 4};
            default -> throw new IllegalArgumentException("the auxiliary head starts at stride 16 or 32, not " + stride);
        };
    }
}
