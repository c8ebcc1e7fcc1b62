package org.condseg.model.condseg;

import org.condseg.nn.Bilinear;
import org.condseg.nn.Cbr;
import org.condseg.nn.Conv;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Output fusion (official {@code output_block}, reference §6.1): cat[S, ↑2 M, ↑4 L] → CBR(3w→w, 3×3) {@code fuse}
 * → ↑2 (↑4 for PVT taps) → CBR(w→w, 3×3) {@code c1} → CBR(w→w/2, 1×1) {@code c2} → Conv1×1(w/2→C, bias) {@code c3}
 * → (sigmoid, or softmax for C &gt; 1 classes; C = 1 in the paper).
 * Returns the logit (tapped as {@code sig.in0}).
 */
public final class OutputBlock {
    private OutputBlock() {
    }

    /** S at {@code sStride}, M at 2·sStride, L at 4·sStride; the logit is at stride 1 (input resolution). */
    public static SDVariable build(Scope s, SDVariable sm, SDVariable m, SDVariable l, int w, int sStride) {
        return build(s, sm, m, l, w, sStride, 1);
    }

    /** As {@link #build(Scope, SDVariable, SDVariable, SDVariable, int, int)} with {@code classes} output channels. */
    public static SDVariable build(Scope s, SDVariable sm, SDVariable m, SDVariable l, int w, int sStride, int classes) {
        SDVariable cat = s.sd().concat(1, sm, Bilinear.up(s, m, w, 2 * sStride, 2),
                Bilinear.up(s, l, w, 4 * sStride, 4)); // [B,3w,h,w]
        SDVariable y = s.tap("fuse", Cbr.cbr(s.child("fuse"), cat, 3 * w, w, 3));
        return head(s, y, w, sStride, classes);
    }

    /**
     * The part after the fusion: ↑sStride (×2 for ResNet taps, ×4 for PVT's, reference §15.1) → c1 → c2 → c3,
     * from a [B,w,h,w] map at {@code sStride} to the [B,C,H,W] logit.
     */
    public static SDVariable head(Scope s, SDVariable y, int w, int sStride) {
        return head(s, y, w, sStride, 1);
    }

    /** As {@link #head(Scope, SDVariable, int, int)} with {@code classes} output channels. */
    public static SDVariable head(Scope s, SDVariable y, int w, int sStride, int classes) {
        y = Bilinear.up(s, y, w, sStride, sStride); // [B,w,H,W]
        y = Cbr.cbr(s.child("c1"), y, w, w, 3);
        y = s.tap("c2", Cbr.cbr(s.child("c2"), y, w, w / 2, 1));
        return s.tap("sig.in0", Conv.conv2d(s.child("c3"), y, w / 2, classes, 1, 1, 0, 1, true)); // [B,C,H,W]
    }
}
