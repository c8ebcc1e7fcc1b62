package org.condseg.model.condseg;

import java.util.ArrayList;
import java.util.List;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.encoder.Encoder;
import org.condseg.model.encoder.EncoderRegistry;
import org.condseg.model.encoder.EncoderTaps;
import org.condseg.nn.ConvImpl;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The ConDSeg network (official {@code network/model.py}, reference §1): encoder taps f1..f4 → dilated
 * pre-enhancement dconv1..4 → SID (decouple + auxiliary head, paper §3.2) → CDFA guidance preprocessing ×8 →
 * CDFA4..1 top-down (paper Eq. 11–14) → size-aware decoders S, M, L (Eq. 15–16) → output block → mask.
 * Module paths, and so variable names, are the official ones.
 */
public final class ConDSeg {
    private ConDSeg() {
    }

    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, cfg.initSeed).convImpl(ConvImpl.effective(cfg.convImpl));
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        root.geometry().anchor(1, image);
        Encoder enc = EncoderRegistry.get(cfg.encoder);
        EncoderTaps taps = enc.build(root, image);
        if (!java.util.Arrays.equals(taps.strides(), EncoderTaps.RESNET_STRIDES)) {
            throw new org.condseg.util.UserError("model.encoder " + cfg.encoder + " gives taps at strides "
                    + java.util.Arrays.toString(taps.strides()) + "; this ConDSeg head expects 2, 4, 8, 16");
        }
        int[] ch = taps.channels();
        int w = cfg.width;
        SDVariable[] d = new SDVariable[5];
        for (int i = 1; i <= 4; i++) {
            root.geometry().anchor(taps.stride(i), taps.tap(i));
            d[i] = root.tap("dconv" + i, DilatedConv.build(root.child("dconv" + i), taps.tap(i), ch[i - 1], w,
                    cfg.camMinHidden)); // [B,w,H/2^i,W/2^i]
        }
        Scope sid = root.child("decouple_layer");
        SDVariable[] f = Sid.decouple(sid, taps.f4(), ch[3], w, withAux); // 3 × [B,w,H/16,W/16]
        List<String> outputs = new ArrayList<>(List.of("mask", "mask_logit"));
        SDVariable[] fg = new SDVariable[5];
        SDVariable[] bg = new SDVariable[5];
        for (int i = 4; i >= 1; i--) {
            int up = 1 << (4 - i);
            fg[i] = root.tap("preprocess_fg" + i, CdfaPreprocess.build(root.child("preprocess_fg" + i), f[0], w, w, 16, up));
            bg[i] = root.tap("preprocess_bg" + i, CdfaPreprocess.build(root.child("preprocess_bg" + i), f[1], w, w, 16, up));
        }
        int heads = cfg.cdfa.heads;
        int k = cfg.cdfa.window;
        boolean paper = cfg.cdfa.paperOrder;
        SDVariable[] big = new SDVariable[5];
        big[4] = root.tap("cdfa4", Cdfa.build(root.child("cdfa4"), d[4], fg[4], bg[4], w, w, heads, k, 16, paper));
        for (int i = 3; i >= 1; i--) {
            int stride = 1 << i;
            Scope s = root.child("cdfa" + i);
            SDVariable in = sd.concat(1, d[i], org.condseg.nn.Bilinear.up(s, big[i + 1], w, 2 * stride, 2)); // [B,2w,..]
            big[i] = root.tap("cdfa" + i, Cdfa.build(s, in, fg[i], bg[i], 2 * w, w, heads, k, stride, paper));
        }
        SDVariable small = root.tap("decoder_small",
                SaDecoder.build(root.child("decoder_small"), big[2], big[1], w, w, 4, cfg.camMinHidden)); // /2
        SDVariable middle = root.tap("decoder_middle",
                SaDecoder.build(root.child("decoder_middle"), big[3], big[2], w, w, 8, cfg.camMinHidden)); // /4
        SDVariable large = root.tap("decoder_large",
                SaDecoder.build(root.child("decoder_large"), big[4], big[3], w, w, 16, cfg.camMinHidden)); // /8
        SDVariable logit = OutputBlock.build(root.child("output_block"), small, middle, large, w, 2); // [B,1,H,W]
        logit.rename("mask_logit");
        sd.nn().sigmoid("mask", logit);
        if (withAux) {
            Scope aux = root.child("aux_head");
            for (int b = 0; b < 3; b++) {
                String n = "M_" + Sid.BRANCHES[b];
                SDVariable l = AuxiliaryHead.branch(aux, Sid.BRANCHES[b], f[b], w, 16); // [B,1,H,W]
                l.rename(n + "_logit");
                sd.nn().sigmoid(n, l);
                outputs.add(n);
                outputs.add(n + "_logit");
            }
        }
        return new BuiltModel(cfg, mode, withAux, root, outputs);
    }
}
