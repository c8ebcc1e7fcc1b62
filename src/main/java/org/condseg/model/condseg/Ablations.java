package org.condseg.model.condseg;

import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.nn.Cbr;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The module-ablation networks of Table 4. The official code has none of them (reference §7), so they are built
 * from the paper's description (§4.3, supplementary Fig. 12) on the ConDSeg modules; choices in docs/decisions.md.
 * <ul>
 * <li>{@code condseg_baseline}: encoder + dilated pre-enhancement; no SID (no decouple layer, no auxiliary head,
 * no guidance preprocessing); each CDFA replaced by {@link #plainAggregation} on the same input (d4, then
 * cat[d_i, ↑2 F_{i+1}]); a single decoder block on (F2, F1) instead of the three size-aware decoders, then the
 * output head (↑s1, CBR 3×3, CBR 1×1, conv 1×1). Output {@code mask} only, so stage 2 trains it on L_mask.</li>
 * <li>{@code condseg_no_sad} ("+SID & CDFA"): the full model up to CDFA1, then the same single decoder and head;
 * it keeps the auxiliary head and trains with the stage-2 loss (Eq. 15).</li>
 * </ul>
 * Variable names: the plain aggregation of level i is {@code fuse<i>.0}/{@code fuse<i>.1} (two CBRs), the single
 * decoder {@code decoder}, the head {@code output_block.c1..c3} (no {@code fuse}).
 */
public final class Ablations {
    private Ablations() {
    }

    /** Table 4 "Baseline". */
    public static BuiltModel baseline(ModelConfig cfg, GraphMode mode, boolean withAux) {
        return ConDSeg.build(cfg, mode, withAux, new ConDSeg.Variant(false, false, false));
    }

    /** Table 4 "+SID & CDFA" (no size-aware decoders). */
    public static BuiltModel noSad(ModelConfig cfg, GraphMode mode, boolean withAux) {
        return ConDSeg.build(cfg, mode, withAux, new ConDSeg.Variant(true, true, false));
    }

    /**
     * The plain convolutions that stand in for a CDFA block: CBR(in→w, 3×3) → CBR(w→w, 3×3), i.e. CDFA's own
     * input_cbr without the contrast-driven attention and its output CBRs.
     */
    static SDVariable plainAggregation(Scope s, SDVariable x, int inC, int w) {
        SDVariable y = Cbr.cbr(s.child("0"), x, inC, w, 3); // [B,w,h,w]
        return Cbr.cbr(s.child("1"), y, w, w, 3);
    }
}
