package org.condseg.model.condseg;

import org.condseg.nn.Cbr;
import org.condseg.nn.ColumnProduct;
import org.condseg.nn.Conv;
import org.condseg.nn.Fold;
import org.condseg.nn.Geometry;
import org.condseg.nn.Scope;
import org.condseg.nn.Softmax;
import org.condseg.nn.Unfold;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Contrast-Driven Feature Aggregation (official {@code ContrastDrivenFeatureAggregation}, reference §5.2; paper
 * Eq. 11–14). Layers: input_cbr (2 CBRs, in→dim→dim), {@code v}, {@code attn_fg}, {@code attn_bg} and {@code proj}
 * (per-pixel Linear layers with bias; attn_* give K⁴·heads logits), output_cbr (2 CBRs).
 * <p>Official order (default, the parity path): V = v(X); fg pass: for every pixel and head, the K²×K² attention
 * softmax(scale · W_fg·fg) over the source slot weighs the K² unfolded values of V (zero padded after v, so
 * padded slots hold 0); the result is folded back (summing overlaps, no normalisation) and projected by proj;
 * then the bg pass does the same on that result with W_bg·bg and the same proj. scale = (dim/heads)^−1/2.
 * <p>Paper order ({@code paperOrder}, Eq. 13–14): both attentions act inside one window, background first then
 * foreground, Y = A_fg·(A_bg·U(V)), followed by a single fold and proj.
 */
public final class Cdfa {
    private Cdfa() {
    }

    /**
     * @param x      input features [B,inC,H,W] at {@code stride}
     * @param fg     foreground guidance [B,dim,H,W]
     * @param bg     background guidance [B,dim,H,W]
     */
    public static SDVariable build(Scope s, SDVariable x, SDVariable fg, SDVariable bg, int inC, int dim, int heads,
            int k, int stride, boolean paperOrder) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("CDFA width " + dim + " is not divisible by " + heads + " heads");
        }
        Geometry g = s.geometry();
        g.anchor(stride, x);
        SDVariable h = Cbr.cbr(s.child("input_cbr").child("0"), x, inC, dim, 3);
        h = s.tap("input_cbr", Cbr.cbr(s.child("input_cbr").child("1"), h, dim, dim, 3)); // [B,dim,H,W]
        SDVariable v = s.tap("v", Conv.pointwiseLinear(s.child("v"), h, dim, dim)); // [B,dim,H,W]
        int k2 = k * k;
        int logits = k2 * k2 * heads;
        SDVariable lf = s.tap("attn_fg", Conv.pointwiseLinear(s.child("attn_fg"), fg, dim, logits)); // [B,heads*K⁴,H,W]
        SDVariable lb = s.tap("attn_bg", Conv.pointwiseLinear(s.child("attn_bg"), bg, dim, logits));
        double scale = Math.pow((double) dim / heads, -0.5);
        SDVariable aFg = attention(g, lf, heads, k2, stride, scale); // [B*heads*L, K², K²]
        SDVariable aBg = attention(g, lb, heads, k2, stride, scale);
        SDVariable z;
        if (!paperOrder) {
            z = s.tap("proj#0", Conv.pointwiseLinear(s.child("proj"), pass(g, v, aFg, null, dim, heads, k, stride), dim, dim));
            z = s.tap("proj#1", Conv.pointwiseLinear(s.child("proj"), pass(g, z, aBg, null, dim, heads, k, stride), dim, dim));
        } else {
            z = s.tap("proj#0", Conv.pointwiseLinear(s.child("proj"), pass(g, v, aBg, aFg, dim, heads, k, stride), dim, dim));
        }
        s.tap("output_cbr.in0", z);
        SDVariable out = Cbr.cbr(s.child("output_cbr").child("0"), z, dim, dim, 3);
        return Cbr.cbr(s.child("output_cbr").child("1"), out, dim, dim, 3); // [B,dim,H,W]
    }

    /** Logits [B, heads·K⁴, H, W] (index h·K⁴ + i·K² + j) → softmax over j: [B·heads·L, K²(i), K²(j)]. */
    private static SDVariable attention(Geometry g, SDVariable logits, int heads, int k2, int stride, double scale) {
        SameDiff sd = g.sd();
        SDVariable a = logits.reshape(g.shape(-1, heads, k2, k2, g.area(stride))); // [B,heads,i,j,L]
        a = a.permute(0, 1, 4, 2, 3).reshape(-1, k2, k2); // [B*heads*L, i, j]
        return Softmax.lastAxis(sd, a.mul(scale), 3); // over j
    }

    /**
     * One outlook-attention pass: unfold v, weigh each window by {@code first} (and then {@code second}, if
     * given), fold back. [B,dim,H,W] → [B,dim,H,W].
     */
    private static SDVariable pass(Geometry g, SDVariable v, SDVariable first, SDVariable second, int dim, int heads,
            int k, int stride) {
        SameDiff sd = g.sd();
        int k2 = k * k;
        int hd = dim / heads;
        SDVariable u = Unfold.apply(v, k); // [B,dim,K,K,H,W]
        u = u.reshape(g.shape(-1, heads, hd, k2, g.area(stride))); // [B,heads,hd,j,L]
        u = u.permute(0, 1, 4, 3, 2).reshape(-1, k2, hd); // [B*heads*L, j, hd]
        SDVariable y = ColumnProduct.apply(first, u); // [B*heads*L, i, hd]; u is recomputed for the backward
        if (second != null) {
            y = sd.mmul(second, y);
        }
        y = y.reshape(g.shape(-1, heads, g.area(stride), k2, hd)); // [B,heads,L,i,hd]
        y = y.permute(3, 0, 1, 4, 2); // [i,B,heads,hd,L]: window slot first, so that each slot is one block
        y = y.reshape(g.shape(k2, -1, dim, g.dim(2, stride), g.dim(3, stride))); // [K²,B,dim,H,W]
        return Fold.slots(sd.unstack(y, 0, k2), k); // [B,dim,H,W]
    }
}
