package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * nn.GELU() in its exact form, GELU(x) = x·Φ(x) = ½·x·(1 + erf(x/√2)). libnd4j's own gelu ops are the sigmoid and
 * tanh approximations, so the erf form is built from elementary ops (erf has a gradient in M2.1).
 */
public final class Gelu {
    private Gelu() {
    }

    public static SDVariable apply(SDVariable x) {
        return x.mul(x.getSameDiff().math().erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0)).mul(0.5);
    }
}
