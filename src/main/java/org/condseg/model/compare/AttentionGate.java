package org.condseg.model.compare;

import org.condseg.nn.Bilinear;
import org.condseg.nn.Conv;
import org.condseg.nn.Relu;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Additive attention gate of Attention U-Net (Oktay et al. 2018, §2, Eq. 1–2): with skip features x_l
 * [B,c_x,h,w] and the gating signal g [B,c_g,h/2,w/2] from one level coarser,
 * q_att = ψᵀ·σ1(W_xᵀ·x_l + W_gᵀ·g + b_g) + b_ψ, α = σ2(q_att) (σ1 ReLU, σ2 sigmoid), x̂_l = α·x_l.
 * As in the paper's grid-attention gate, W_x is a 2×2 stride-2 conv (no bias) that brings x_l to the gating
 * resolution, W_g a 1×1 conv with bias b_g, ψ a 1×1 conv to one channel with bias b_ψ; α is resampled to x_l's
 * size bilinearly (align_corners = true). Intermediate width F_int = max(1, c_x/2). Modules {@code <m>.W_x},
 * {@code <m>.W_g}, {@code <m>.psi}; taps {@code <m>.alpha} [B,1,h,w] and {@code <m>} (the gated skip).
 * Parameters: 4·c_x·F_int + (c_g + 1)·F_int + F_int + 1.
 */
public final class AttentionGate {
    private AttentionGate() {
    }

    /** Intermediate width F_int for skip width {@code cx}. */
    public static int intermediate(int cx) {
        return Math.max(1, cx / 2);
    }

    /** Gated skip x̂_l = α·x_l for x at image stride {@code stride} (g at 2·stride). */
    public static SDVariable apply(Scope s, SDVariable x, int cx, SDVariable g, int cg, int stride) {
        SameDiff sd = s.sd();
        int f = intermediate(cx);
        SDVariable theta = Conv.conv2d(s.child("W_x"), x, cx, f, 2, 2, 0, 1, false); // [B,F,h/2,w/2]
        SDVariable phi = Conv.conv2d(s.child("W_g"), g, cg, f, 1, 1, 0, 1, true); // [B,F,h/2,w/2]
        SDVariable act = Relu.apply(theta.add(phi)); // σ1, [B,F,h/2,w/2]
        SDVariable q = Conv.conv2d(s.child("psi"), act, f, 1, 1, 1, 0, 1, true); // q_att, [B,1,h/2,w/2]
        SDVariable alpha = Bilinear.up(s, sd.nn().sigmoid(q), 1, 2 * stride, 2); // α, [B,1,h,w]
        s.tap("alpha", alpha);
        return x.mul(alpha); // [B,c_x,h,w]
    }
}
