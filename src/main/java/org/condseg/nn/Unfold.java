package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * torch.nn.Unfold for K×K windows (odd K, padding K/2, stride 1, zero padding), via im2col:
 * [B,C,H,W] → [B,C,K,K,H,W], where entry (c, kr, kc, y, x) = in[c, y+kr−K/2, x+kc−K/2] (0 outside). Reshaped to
 * [B, C·K·K, H·W] it is PyTorch's layout (row c·K²+kr·K+kc, column y·W+x).
 */
public final class Unfold {
    private Unfold() {
    }

    public static SDVariable apply(SDVariable x, int k) {
        if (k % 2 == 0) {
            throw new IllegalArgumentException("window size must be odd, got " + k);
        }
        return x.getSameDiff().cnn().im2Col(x, Conv.config(k, k, 1, k / 2, k / 2, 1).build()); // [B,C,K,K,H,W]
    }
}
