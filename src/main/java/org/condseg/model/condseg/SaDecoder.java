package org.condseg.model.condseg;

import org.condseg.nn.Add;
import org.condseg.nn.Bilinear;
import org.condseg.nn.Cam;
import org.condseg.nn.Cbr;
import org.condseg.nn.Relu;
import org.condseg.nn.Sam;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Size-aware decoder block (official {@code decoder_block}, reference §6; paper Eq. 15–16): t = cat[↑2(x), skip];
 * s1 = CBR(1×1) {@code c1}; s2 = ReLU(CB3×3(s1) + s1); s3 = ReLU(CB3×3(s2) + s2 + s1);
 * s4 = ReLU(CB1×1(s3) + s3 + s2 + s1); out = SAM(CAM(s4)).
 */
public final class SaDecoder {
    private SaDecoder() {
    }

    /** x [B,inC,h,w] at {@code xStride}; skip [B,outC,2h,2w]. */
    public static SDVariable build(Scope s, SDVariable x, SDVariable skip, int inC, int outC, int xStride,
            int camMinHidden) {
        SameDiff sd = s.sd();
        SDVariable up = Bilinear.up(s, x, inC, xStride, 2); // [B,inC,2h,2w]
        SDVariable t = sd.concat(1, up, skip); // [B,inC+outC,2h,2w]
        SDVariable s1 = s.tap("c1", Cbr.cbr(s.child("c1"), t, inC + outC, outC, 1));
        SDVariable s2 = Relu.apply(Add.same(Cbr.cb(s.child("c2"), s1, outC, outC, 3), s1));
        SDVariable s3 = Relu.apply(Add.same(Cbr.cb(s.child("c3"), s2, outC, outC, 3), s2, s1));
        SDVariable s4 = Relu.apply(Add.same(Cbr.cb(s.child("c4"), s3, outC, outC, 1), s3, s2, s1));
        s.tap("ca.in0", s4);
        SDVariable ca = s.tap("ca", Cam.apply(s.child("ca"), s4, outC, camMinHidden));
        return Sam.apply(s.child("sa"), ca);
    }
}
