package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torch.nn.Fold, the adjoint of {@link Unfold} (K×K windows, padding K/2, stride 1): every window slot adds its
 * value back to the pixel it was read from, with no normalisation, [B,C,K,K,H,W] → [B,C,H,W]:
 * out[c,y,x] = Σ_{kr,kc} cols[c,kr,kc, y−kr+K/2, x−kc+K/2] over valid positions (col2im has no gradient in M2.1, and
 * its output size is a build-time constant). Written as: each of the K² window slots [B,C,H,W] zero-padded by
 * (kr, 2p−kr) rows and (kc, 2p−kc) columns, p = K/2, so that it lands shifted by (p−kr, p−kc) in a
 * [B,C,H+2p,W+2p] frame; the K² frames summed ({@link Add}); the centre cropped. None of these ops keeps an input
 * for its backward pass except the crop (one frame): the earlier form (pad the whole [B,C,K,K,H+2p,W+2p] tensor,
 * then K² strided slices and adds) kept ≈ 20 full-size maps alive per fold until the backward pass.
 */
public final class Fold {
    private Fold() {
    }

    public static SDVariable apply(SDVariable cols, int k) {
        SameDiff sd = cols.getSameDiff();
        SDVariable[] rows = sd.unstack(cols, 2, k); // K × [B,C,K,H,W]
        SDVariable[] slots = new SDVariable[k * k];
        for (int kr = 0; kr < k; kr++) {
            SDVariable[] row = sd.unstack(rows[kr], 2, k); // K × [B,C,H,W]
            System.arraycopy(row, 0, slots, kr * k, k);
        }
        return slots(slots, k);
    }

    /** Fold from the K² window slots [B,C,H,W] (slot kr·K + kc holds cols[:,:,kr,kc]). */
    public static SDVariable slots(SDVariable[] slots, int k) {
        if (slots.length != k * k) {
            throw new IllegalArgumentException("fold of a " + k + "×" + k + " window needs " + k * k + " slots, got "
                    + slots.length);
        }
        if (k == 1) {
            return slots[0];
        }
        SameDiff sd = slots[0].getSameDiff();
        int p = k / 2;
        SDVariable sum = null;
        for (int kr = 0; kr < k; kr++) {
            for (int kc = 0; kc < k; kc++) {
                SDVariable pads = sd.constant(Nd4j.createFromArray(new int[][] {
                    {0, 0}, {0, 0}, {kr, 2 * p - kr}, {kc, 2 * p - kc}}));
                SDVariable frame = sd.nn().pad(slots[kr * k + kc], pads, 0.0); // [B,C,H+2p,W+2p]
                sum = sum == null ? frame : Add.same(sum, frame);
            }
        }
        // rows and columns [p, p+H) of the frame: begin p, end −p
        return sd.stridedSlice(sum, new long[] {0, 0, p, p}, new long[] {0, 0, -p, -p}, new long[] {1, 1, 1, 1},
                0b11, 0b11, 0, 0, 0); // [B,C,H,W]
    }
}
