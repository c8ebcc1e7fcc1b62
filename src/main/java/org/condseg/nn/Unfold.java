package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

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
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).pH(k / 2).pW(k / 2).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
        return x.getSameDiff().cnn().im2Col(x, cfg); // [B,C,K,K,H,W]
    }
}
