package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Spatial attention (official {@code spatial_attention}, kernel 7): per pixel the channel mean and channel max,
 * concatenated to [B,2,H,W], a bias-free 7×7 conv {@code conv1} (padding 3) to one map, out = x · sigmoid(map).
 */
public final class Sam {
    private Sam() {
    }

    public static SDVariable apply(Scope s, SDVariable x) {
        SameDiff sd = s.sd();
        SDVariable avg = x.mean(true, 1); // [B,1,H,W]
        SDVariable max = x.max(true, 1); // [B,1,H,W]
        SDVariable cat = sd.concat(1, avg, max); // [B,2,H,W]
        SDVariable map = s.tap("conv1", Conv.conv2d(s.child("conv1"), cat, 2, 1, 7, 1, 3, 1, false)); // [B,1,H,W]
        return BroadcastMul.apply(x, sd.nn().sigmoid(map), 1);
    }
}
