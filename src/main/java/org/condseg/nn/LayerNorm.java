package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * nn.LayerNorm over the last axis of a token matrix [M, C], built from elementary ops so that the epsilon is the
 * module's own (PVT v2 uses 1e-6 in its blocks and 1e-5 in the patch embeddings and the spatial reduction):
 * y = (x − mean) / sqrt(var + eps) · weight + bias, with the biased variance, as PyTorch. Parameters
 * {@code weight} (1) and {@code bias} (0) in PyTorch layout [C].
 */
public final class LayerNorm {
    private LayerNorm() {
    }

    public static SDVariable apply(Scope s, SDVariable x, int c, double eps) {
        SDVariable gamma = s.constParam("weight", 1.0, c);
        SDVariable beta = s.constParam("bias", 0.0, c);
        SDVariable diff = x.sub(x.mean(true, 1)); // [M,C]
        SDVariable var = diff.mul(diff).mean(true, 1); // [M,1]
        SDVariable y = diff.mul(s.sd().math().rsqrt(var.add(eps)));
        return y.mul(gamma.reshape(1, c)).add(beta.reshape(1, c)); // [M,C]
    }
}
