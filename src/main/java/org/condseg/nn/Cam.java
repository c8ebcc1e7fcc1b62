package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Channel attention (CBAM style, official {@code channel_attention}): a = avgpool(x), m = maxpool(x),
 * out = x · sigmoid(MLP(a) + MLP(m)) with a shared bias-free MLP C → hidden → ReLU → C held as 1×1 convs
 * {@code fc1}, {@code fc2}. The official code hard-codes hidden = C/16 (8 at C = 128). Narrow quick profiles
 * would get a 1- or 0-unit bottleneck, so hidden = max(C/16, min(C, minHidden)); with minHidden = 4 the paper
 * widths (C ≥ 64) are unchanged.
 */
public final class Cam {
    private Cam() {
    }

    /** Hidden width of the MLP. */
    public static int hidden(int c, int minHidden) {
        return Math.max(c / 16, Math.min(c, minHidden));
    }

    public static SDVariable apply(Scope s, SDVariable x, int c, int minHidden) {
        SameDiff sd = s.sd();
        int h = hidden(c, minHidden);
        SDVariable w1 = s.child("fc1").uniformParam("weight", Init.bound(c), h, c, 1, 1);
        SDVariable w2 = s.child("fc2").uniformParam("weight", Init.bound(h), c, h, 1, 1);
        SDVariable avg = x.mean(true, 2, 3); // [B,C,1,1]
        SDVariable max = x.max(true, 2, 3); // [B,C,1,1]
        // both pooled vectors go through the shared MLP as one batch [avg; max]
        SDVariable both = sd.concat(0, avg, max); // [2B,C,1,1]
        SDVariable h1 = Conv.apply(both, w1, null, 1, 1, 0, 1); // [2B,h,1,1]
        SDVariable h2 = Conv.apply(Relu.apply(h1), w2, null, 1, 1, 0, 1); // [2B,C,1,1]
        SDVariable pair = h2.reshape(2, -1, c, 1, 1); // [2,B,C,1,1]: avg path, max path
        for (int i = 0; i < 2; i++) {
            // hook-style taps (avg path #0, max path #1); evaluated only when requested
            s.tap("fc1#" + i, pick(sd, h1.reshape(2, -1, h, 1, 1), i)); // [B,h,1,1]
            s.tap("fc2#" + i, pick(sd, pair, i)); // [B,C,1,1]
        }
        SDVariable att = sd.nn().sigmoid(pair.sum(0)); // [B,C,1,1]
        return BroadcastMul.apply(x, att, 2, 3);
    }

    private static SDVariable pick(SameDiff sd, SDVariable pair, int i) {
        return sd.stridedSlice(pair, new long[] {i, 0, 0, 0, 0}, new long[] {i + 1, 0, 0, 0, 0},
                new long[] {1, 1, 1, 1, 1}, 0, 0b11110, 0, 0, 0b1);
    }
}
