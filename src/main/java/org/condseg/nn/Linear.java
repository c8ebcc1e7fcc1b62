package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * nn.Linear(in→out) on a token matrix [M, in]: y = x·Wᵀ + b, weight [out, in] and bias [out] in PyTorch layout,
 * PyTorch's default U(±1/√in) initialisation.
 */
public final class Linear {
    private Linear() {
    }

    public static SDVariable apply(Scope s, SDVariable x, int in, int out, boolean bias) {
        double bound = Init.bound(in);
        SDVariable w = s.uniformParam("weight", bound, out, in);
        SDVariable y = s.sd().mmul(x, w.permute(1, 0)); // [M,out]
        return bias ? y.add(s.uniformParam("bias", bound, out).reshape(1, out)) : y;
    }
}
