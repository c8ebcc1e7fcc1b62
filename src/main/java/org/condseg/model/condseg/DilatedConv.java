package org.condseg.model.condseg;

import org.condseg.nn.Add;
import org.condseg.nn.Cam;
import org.condseg.nn.Cbr;
import org.condseg.nn.Relu;
import org.condseg.nn.Sam;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Dilated pre-enhancement (official {@code dilated_conv}, reference §4), turning encoder feature f_i into e_i
 * (the paper's enhancement before CDFA): four CBR branches (1×1; 3×3 with dilation 6, 12, 18) each followed by
 * CAM, fused by CB(4w→w, 3×3), plus a CB(in→w, 1×1) shortcut; out = SAM(ReLU(fuse + shortcut)).
 */
public final class DilatedConv {
    private DilatedConv() {
    }

    public static SDVariable build(Scope s, SDVariable x, int inC, int w, int camMinHidden) {
        SameDiff sd = s.sd();
        int[] dil = {1, 6, 12, 18};
        SDVariable[] branches = new SDVariable[4];
        for (int i = 0; i < 4; i++) {
            Scope b = s.child("c" + (i + 1));
            int k = i == 0 ? 1 : 3;
            SDVariable y = Cbr.apply(b.child("0"), x, inC, w, k, dil[i], true);
            branches[i] = s.tap("c" + (i + 1), Cam.apply(b.child("1"), y, w, camMinHidden)); // [B,w,H,W]
        }
        SDVariable cat = sd.concat(1, branches); // [B,4w,H,W]
        SDVariable fuse = s.tap("c5", Cbr.cb(s.child("c5"), cat, 4 * w, w, 3));
        SDVariable shortcut = s.tap("c6", Cbr.cb(s.child("c6"), x, inC, w, 1));
        SDVariable y = s.tap("sa.in0", Relu.apply(Add.same(fuse, shortcut)));
        return Sam.apply(s.child("sa"), y);
    }
}
