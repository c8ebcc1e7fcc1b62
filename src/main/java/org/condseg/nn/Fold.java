package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torch.nn.Fold, the adjoint of {@link Unfold} (K×K windows, padding K/2, stride 1): every window slot adds its
 * value back to the pixel it was read from, with no normalisation, [B,C,K,K,H,W] → [B,C,H,W]:
 * out[c,y,x] = Σ_{kr,kc} cols[c,kr,kc, y−kr+K/2, x−kc+K/2] over valid positions. Written as one zero pad and
 * K² shifted slices (col2im has no gradient in M2.1).
 */
public final class Fold {
    private Fold() {
    }

    public static SDVariable apply(SDVariable cols, int k) {
        SameDiff sd = cols.getSameDiff();
        int p = k / 2;
        SDVariable pads = sd.constant(Nd4j.createFromArray(new int[][] {
            {0, 0}, {0, 0}, {0, 0}, {0, 0}, {p, p}, {p, p}}));
        SDVariable padded = sd.nn().pad(cols, pads, 0.0); // [B,C,K,K,H+2p,W+2p]
        // unstacked into the K² window slots first: each slot's spatial slice then back-propagates into a
        // [B,C,H+2p,W+2p] map, not into the whole padded tensor (K² full-size gradients ran K = 7 out of memory)
        SDVariable[] rows = sd.unstack(padded, 2, k); // K × [B,C,K,H+2p,W+2p]
        SDVariable[][] slots = new SDVariable[k][];
        for (int kr = 0; kr < k; kr++) {
            slots[kr] = sd.unstack(rows[kr], 2, k); // K × [B,C,H+2p,W+2p]
        }
        SDVariable sum = null;
        for (int kr = 0; kr < k; kr++) {
            for (int kc = 0; kc < k; kc++) {
                // rows [2p−kr, 2p−kr+H) of the padded map = [2p−kr, Hp−kr)
                long[] begin = {0, 0, 2L * p - kr, 2L * p - kc};
                long[] end = {0, 0, -kr, -kc};
                int endMask = 0b11 | (kr == 0 ? 1 << 2 : 0) | (kc == 0 ? 1 << 3 : 0);
                SDVariable slot = sd.stridedSlice(slots[kr][kc], begin, end, new long[] {1, 1, 1, 1},
                        0b11, endMask, 0, 0, 0); // [B,C,H,W]
                sum = sum == null ? slot : sum.add(slot);
            }
        }
        return sum;
    }
}
