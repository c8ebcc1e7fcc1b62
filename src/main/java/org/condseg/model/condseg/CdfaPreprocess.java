package org.condseg.model.condseg;

import org.condseg.nn.Bilinear;
import org.condseg.nn.Cbr;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Guidance preparation for CDFA (official {@code CDFAPreprocess}, reference §5.1): CBR(in→out, 3×3) {@code c1},
 * then log2(upScale) times [↑2 → CBR(out→out, 3×3) {@code preprocess.conv_i}], bringing f_fg / f_bg from stride
 * 16 to the level of the CDFA that consumes it.
 */
public final class CdfaPreprocess {
    private CdfaPreprocess() {
    }

    public static SDVariable build(Scope s, SDVariable x, int inC, int outC, int stride, int upScale) {
        SDVariable y = s.tap("c1", Cbr.cbr(s.child("c1"), x, inC, outC, 3));
        int st = stride;
        for (int i = 0; (1 << i) < upScale; i++) {
            y = Bilinear.up(s, y, outC, st, 2); // [B,out,2h,2w]
            st /= 2;
            y = Cbr.cbr(s.child("preprocess").child("conv_" + i), y, outC, outC, 3);
        }
        return y;
    }
}
