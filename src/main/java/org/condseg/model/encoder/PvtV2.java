package org.condseg.model.encoder;

import java.util.ArrayList;
import java.util.List;
import org.condseg.nn.Conv;
import org.condseg.nn.Gelu;
import org.condseg.nn.Geometry;
import org.condseg.nn.LayerNorm;
import org.condseg.nn.Linear;
import org.condseg.nn.Scope;
import org.condseg.nn.Softmax;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * PVT v2-B2 (Wang et al., "PVT v2: Improved baselines with Pyramid Vision Transformer", CVMJ 2022), as the
 * official ConDSeg PVT variant uses it ({@code network_pvt/pvtv2.py}, class {@code pvt_v2_b2}; reference §15.1).
 * Four stages with dims 64/128/320/512, depths 3/4/6/3, heads 1/2/5/8, spatial-reduction ratios 8/4/2/1 and MLP
 * ratios 8/8/4/4 (the b2 factory's values), qkv bias on. Each stage: overlapping patch embedding
 * ({@code patch_embedI.proj}: conv 7×7 stride 4 padding 3 for stage 1, 3×3 stride 2 padding 1 after, with bias;
 * {@code patch_embedI.norm}: LayerNorm eps 1e-5), then blocks {@code blockI.J}:
 * x += attn(norm1(x)), x += mlp(norm2(x)) (norm1/norm2 LayerNorm eps 1e-6), then {@code normI} (eps 1e-6), reshaped
 * to NCHW: the tap. Attention (Eq. of spatial-reduction attention): q = {@code attn.q}(x); for sr > 1 the keys and
 * values come from {@code attn.sr} (conv sr×sr stride sr, bias) + {@code attn.norm} (eps 1e-5) of the map, then
 * {@code attn.kv}; softmax(q·kᵀ·(C/heads)^−½)·v per head; {@code attn.proj}. MLP: {@code mlp.fc1} (C→ratio·C) →
 * {@code mlp.dwconv.dwconv} (depth-wise 3×3 with bias on the map) → exact GELU → {@code mlp.fc2}. Dropout and
 * drop-path are identities (eval behaviour; the official b2 trains with drop-path 0.1, not modelled).
 * <p>Taps: strides 4, 8, 16, 32 with 64, 128, 320, 512 channels. Names equal the official state_dict keys of the
 * backbone (the ImageNet file {@code pvt_v2_b2.pth}); ConDSeg_pvt nests them under {@code backbone.}, which this
 * port leaves out so the pretrained file loads as is. Parameters: 24,849,856 (no classification head). Layers
 * without loaded weights get PyTorch's default uniform initialisation, not PVT's truncated-normal scheme.
 */
public final class PvtV2 implements Encoder {
    private static final int[] DIMS = {64, 128, 320, 512};
    private static final int[] DEPTHS = {3, 4, 6, 3};
    private static final int[] HEADS = {1, 2, 5, 8};
    private static final int[] SR = {8, 4, 2, 1};
    private static final int[] MLP = {8, 8, 4, 4};
    private static final double EPS_BLOCK = 1e-6;
    private static final double EPS_DEFAULT = 1e-5;

    public static PvtV2 b2() {
        return new PvtV2();
    }

    @Override
    public String name() {
        return "pvt_v2_b2";
    }

    @Override
    public int[] channels() {
        return DIMS.clone();
    }

    @Override
    public int[] strides() {
        return new int[] {4, 8, 16, 32};
    }

    @Override
    public List<String> paramPrefixes() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            out.add("patch_embed" + i + ".");
            out.add("block" + i + ".");
            out.add("norm" + i + ".");
        }
        return out;
    }

    @Override
    public EncoderTaps build(Scope root, SDVariable image) {
        Geometry g = root.geometry();
        SDVariable x = image;
        int cin = 3;
        SDVariable[] taps = new SDVariable[4];
        for (int i = 0; i < 4; i++) {
            int c = DIMS[i];
            int st = strides()[i];
            Scope pe = root.child("patch_embed" + (i + 1));
            SDVariable m = i == 0 ? Conv.conv2d(pe.child("proj"), x, cin, c, 7, 4, 3, 1, true) // [B,64,H/4,W/4]
                    : Conv.conv2d(pe.child("proj"), x, cin, c, 3, 2, 1, 1, true); // [B,c,H/st,W/st]
            g.anchor(st, m);
            SDVariable t = LayerNorm.apply(pe.child("norm"), tokens(g, m, c, st), c, EPS_DEFAULT); // [B·N,c]
            for (int j = 0; j < DEPTHS[i]; j++) {
                Scope blk = root.child("block" + (i + 1)).child(Integer.toString(j));
                SDVariable a = attention(blk.child("attn"), LayerNorm.apply(blk.child("norm1"), t, c, EPS_BLOCK), c,
                        HEADS[i], SR[i], st);
                t = t.add(a);
                SDVariable f = mlp(blk.child("mlp"), LayerNorm.apply(blk.child("norm2"), t, c, EPS_BLOCK), c,
                        c * MLP[i], st);
                t = t.add(f); // [B·N,c]
            }
            t = LayerNorm.apply(root.child("norm" + (i + 1)), t, c, EPS_BLOCK);
            x = root.tap("norm" + (i + 1), map(g, t, c, st)); // [B,c,H/st,W/st]
            taps[i] = x;
            cin = c;
        }
        return new EncoderTaps(taps[0], taps[1], taps[2], taps[3], channels(), strides());
    }

    /** Spatial-reduction attention on tokens [B·N, c] of a map at {@code st}. */
    private static SDVariable attention(Scope s, SDVariable x, int c, int heads, int sr, int st) {
        SameDiff sd = s.sd();
        Geometry g = s.geometry();
        int d = c / heads;
        SDVariable n = g.area(st);
        SDVariable q = Linear.apply(s.child("q"), x, c, c, true)
                .reshape(g.shape(-1, n, heads, d)).permute(0, 2, 1, 3).reshape(g.shape(-1, n, d)); // [B·h,N,d]
        SDVariable kvIn = x;
        SDVariable nr = n;
        if (sr > 1) {
            SDVariable r = Conv.conv2d(s.child("sr"), map(g, x, c, st), c, c, sr, sr, 0, 1, true); // [B,c,H/st/sr,..]
            kvIn = LayerNorm.apply(s.child("norm"), tokens(g, r, c, st * sr), c, EPS_DEFAULT); // [B·N',c]
            nr = g.area(st * sr);
        }
        SDVariable kv = Linear.apply(s.child("kv"), kvIn, c, 2 * c, true) // [B·N',2c]
                .reshape(g.shape(-1, nr, 2, heads, d)).permute(2, 0, 3, 1, 4) // [2,B,h,N',d]
                .reshape(g.shape(2, -1, nr, d)); // [2,B·h,N',d]
        SDVariable[] kvs = sd.unstack(kv, 0, 2); // k, v: [B·h,N',d]
        SDVariable attn = sd.mmul(q, kvs[0].permute(0, 2, 1)).mul(1.0 / Math.sqrt(d)); // [B·h,N,N']
        attn = Softmax.lastAxis(sd, attn, 3);
        SDVariable y = sd.mmul(attn, kvs[1]) // [B·h,N,d]
                .reshape(g.shape(-1, heads, n, d)).permute(0, 2, 1, 3).reshape(-1, c); // [B·N,c]
        return Linear.apply(s.child("proj"), y, c, c, true);
    }

    /** Mix-FFN: fc1 → depth-wise 3×3 conv on the map → GELU → fc2. */
    private static SDVariable mlp(Scope s, SDVariable x, int c, int hidden, int st) {
        Geometry g = s.geometry();
        SDVariable h = Linear.apply(s.child("fc1"), x, c, hidden, true); // [B·N,hid]
        SDVariable m = Conv.depthwise(s.child("dwconv").child("dwconv"), map(g, h, hidden, st), hidden, 3);
        h = Gelu.apply(tokens(g, m, hidden, st)); // [B·N,hid]
        return Linear.apply(s.child("fc2"), h, hidden, c, true); // [B·N,c]
    }

    /** NCHW map at a stride → token matrix [B·H·W, c] (PyTorch's flatten(2).transpose(1, 2)). */
    private static SDVariable tokens(Geometry g, SDVariable m, int c, int st) {
        return m.reshape(g.shape(-1, c, g.area(st))).permute(0, 2, 1).reshape(-1, c); // [B·N,c]
    }

    /** Token matrix [B·H·W, c] → NCHW map at a stride. */
    private static SDVariable map(Geometry g, SDVariable t, int c, int st) {
        return t.reshape(g.shape(-1, g.area(st), c)).permute(0, 2, 1)
                .reshape(g.shape(-1, c, g.dim(2, st), g.dim(3, st))); // [B,c,H/st,W/st]
    }
}
