package org.condseg.nn;

import java.util.function.UnaryOperator;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The official code's CBR: Conv2d(k×k, padding = dilation·(k−1)/2, stride 1, no bias) → BatchNorm2d → ReLU,
 * held in a Sequential called {@code conv} (names {@code <module>.conv.0.weight}, {@code <module>.conv.1.*}).
 * With {@code relu = false} it is the CB block (conv + BN only).
 */
public final class Cbr {
    private Cbr() {
    }

    public static SDVariable apply(Scope s, SDVariable x, int cin, int cout, int k, int dilation, boolean relu) {
        return apply(s, x, cin, cout, k, dilation, relu, UnaryOperator.identity());
    }

    /**
     * CBR with {@code between} applied to the conv's output before BN: an op that commutes with the bias-free conv
     * (Net_0's upsampling) can then run on its cout channels instead of the cin of its input.
     */
    public static SDVariable apply(Scope s, SDVariable x, int cin, int cout, int k, int dilation, boolean relu,
            UnaryOperator<SDVariable> between) {
        Scope seq = s.child("conv");
        SDVariable y = Conv.conv2d(seq.child("0"), x, cin, cout, k, 1, dilation * (k - 1) / 2, dilation, false);
        y = BatchNorm.apply(seq.child("1"), between.apply(y), cout);
        return relu ? Relu.apply(y) : y;
    }

    /** CBR with dilation 1. */
    public static SDVariable cbr(Scope s, SDVariable x, int cin, int cout, int k) {
        return apply(s, x, cin, cout, k, 1, true);
    }

    /** CB (no ReLU) with dilation 1. */
    public static SDVariable cb(Scope s, SDVariable x, int cin, int cout, int k) {
        return apply(s, x, cin, cout, k, 1, false);
    }
}
