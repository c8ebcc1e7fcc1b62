package org.condseg.model.condseg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.encoder.Encoder;
import org.condseg.model.encoder.EncoderRegistry;
import org.condseg.model.encoder.EncoderTaps;
import org.condseg.nn.Bilinear;
import org.condseg.nn.ConvImpl;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Scope;
import org.condseg.nn.Softmax;
import org.condseg.util.UserError;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The ConDSeg network (official {@code network/model.py}, reference §1): encoder taps f1..f4 → dilated
 * pre-enhancement dconv1..4 → SID (decouple + auxiliary head, paper §3.2) → CDFA guidance preprocessing ×8 →
 * CDFA4..1 top-down (paper Eq. 11–14) → size-aware decoders S, M, L (Eq. 15–16) → output block → mask.
 * Module paths, and so variable names, are the official ones.
 * <p>Every resampling factor derives from the taps' strides s1..s4 (each twice the previous): ResNet/VGG give
 * 2, 4, 8, 16 (the official model), PVT v2 gives 4, 8, 16, 32 (official {@code network_pvt/model.py}, reference
 * §15.1: the guidance is upsampled s4/si, the auxiliary head has log2(s4) upsamplings, the output block ends with
 * ↑s1, the decouple inner width is half the deepest tap's channels).
 * <p>{@link Variant} switches modules off for the Table 4 ablation ({@link Ablations}).
 */
public final class ConDSeg {
    private ConDSeg() {
    }

    /**
     * Which of the paper's modules are built. {@code sid}: decouple + auxiliary head; {@code cdfa}: contrast-driven
     * aggregation (needs the SID guidance), else two plain CBRs per level; {@code sizeAware}: the three size-aware
     * decoders and the fusing output block, else one decoder on (F2, F1) and the output head.
     */
    public record Variant(boolean sid, boolean cdfa, boolean sizeAware) {
        /** The full model. */
        public static final Variant FULL = new Variant(true, true, true);

        public Variant {
            if (cdfa && !sid) {
                throw new IllegalArgumentException("CDFA needs the SID guidance");
            }
        }
    }

    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux) {
        return build(cfg, mode, withAux, Variant.FULL);
    }

    /** Builds a variant; {@code withAux} only matters when the variant has the SID. */
    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux, Variant v) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, cfg.initSeed).convImpl(ConvImpl.effective(cfg.convImpl));
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        root.geometry().anchor(1, image);
        Encoder enc = EncoderRegistry.get(cfg.encoder);
        EncoderTaps taps = enc.build(root, image);
        int[] st = taps.strides();
        checkStrides(cfg, st);
        boolean aux = withAux && v.sid();
        int[] ch = taps.channels();
        int w = cfg.width;
        SDVariable[] d = new SDVariable[5];
        for (int i = 1; i <= 4; i++) {
            root.geometry().anchor(st[i - 1], taps.tap(i));
            d[i] = root.tap("dconv" + i, DilatedConv.build(root.child("dconv" + i), taps.tap(i), ch[i - 1], w,
                    cfg.camMinHidden)); // [B,w,H/si,W/si]
        }
        int s4 = st[3];
        List<String> outputs = new ArrayList<>(List.of("mask", "mask_logit"));
        SDVariable[] f = null;
        SDVariable[] fg = new SDVariable[5];
        SDVariable[] bg = new SDVariable[5];
        if (v.sid()) {
            Scope sid = root.child("decouple_layer");
            f = Sid.decouple(sid, taps.f4(), ch[3], w, aux); // 3 × [B,w,H/s4,W/s4]
        }
        if (v.cdfa()) {
            for (int i = 4; i >= 1; i--) {
                int up = s4 / st[i - 1];
                fg[i] = root.tap("preprocess_fg" + i, CdfaPreprocess.build(root.child("preprocess_fg" + i), f[0], w, w, s4, up));
                bg[i] = root.tap("preprocess_bg" + i, CdfaPreprocess.build(root.child("preprocess_bg" + i), f[1], w, w, s4, up));
            }
        }
        int heads = cfg.cdfa.heads;
        int k = cfg.cdfa.window;
        boolean paper = cfg.cdfa.paperOrder;
        SDVariable[] big = new SDVariable[5];
        String agg = v.cdfa() ? "cdfa" : "fuse";
        big[4] = root.tap(agg + "4", v.cdfa() ? Cdfa.build(root.child("cdfa4"), d[4], fg[4], bg[4], w, w, heads, k, s4, paper)
                : Ablations.plainAggregation(root.child("fuse4"), d[4], w, w));
        for (int i = 3; i >= 1; i--) {
            int stride = st[i - 1];
            Scope s = root.child(agg + i);
            SDVariable in = sd.concat(1, d[i], Bilinear.up(s, big[i + 1], w, st[i], st[i] / stride)); // [B,2w,..]
            big[i] = root.tap(agg + i, v.cdfa() ? Cdfa.build(s, in, fg[i], bg[i], 2 * w, w, heads, k, stride, paper)
                    : Ablations.plainAggregation(s, in, 2 * w, w));
        }
        SDVariable logit;
        if (v.sizeAware()) {
            SDVariable small = root.tap("decoder_small",
                    SaDecoder.build(root.child("decoder_small"), big[2], big[1], w, w, st[1], cfg.camMinHidden)); // /s1
            SDVariable middle = root.tap("decoder_middle",
                    SaDecoder.build(root.child("decoder_middle"), big[3], big[2], w, w, st[2], cfg.camMinHidden)); // /s2
            SDVariable large = root.tap("decoder_large",
                    SaDecoder.build(root.child("decoder_large"), big[4], big[3], w, w, st[3], cfg.camMinHidden)); // /s3
            logit = OutputBlock.build(root.child("output_block"), small, middle, large, w, st[0],
                    cfg.numClasses); // [B,C,H,W]
        } else {
            SDVariable dec = root.tap("decoder",
                    SaDecoder.build(root.child("decoder"), big[2], big[1], w, w, st[1], cfg.camMinHidden)); // /s1
            logit = OutputBlock.head(root.child("output_block"), dec, w, st[0], cfg.numClasses); // [B,C,H,W]
        }
        logit.rename("mask_logit");
        probabilities(sd, logit, cfg.numClasses);
        if (aux) {
            Scope auxHead = root.child("aux_head");
            for (int b = 0; b < 3; b++) {
                String n = "M_" + Sid.BRANCHES[b];
                SDVariable l = AuxiliaryHead.branch(auxHead, Sid.BRANCHES[b], f[b], w, s4); // [B,1,H,W]
                l.rename(n + "_logit");
                sd.nn().sigmoid(n, l);
                outputs.add(n);
                outputs.add(n + "_logit");
            }
        }
        return new BuiltModel(cfg, mode, aux, root, outputs);
    }

    /** Taps must double from level to level, starting at 2 or 4; PVT's auxiliary head needs width % 4 == 0. */
    private static void checkStrides(ModelConfig cfg, int[] st) {
        boolean ok = st.length == 4 && (st[0] == 2 || st[0] == 4);
        for (int i = 1; ok && i < 4; i++) {
            ok = st[i] == 2 * st[i - 1];
        }
        if (!ok) {
            throw new UserError("model.encoder " + cfg.encoder + " gives taps at strides " + Arrays.toString(st)
                    + "; ConDSeg needs 2, 4, 8, 16 or 4, 8, 16, 32");
        }
        if (st[3] == 32 && cfg.width % 4 != 0) {
            throw new UserError("model.width must be a multiple of 4 with model.encoder " + cfg.encoder + ", got "
                    + cfg.width);
        }
    }

    /** {@code mask}: sigmoid of a one-channel logit, or the softmax over the class axis for C &gt; 1. */
    static SDVariable probabilities(SameDiff sd, SDVariable logit, int classes) {
        return classes > 1 ? Softmax.apply(sd, "mask", logit, 1) : sd.nn().sigmoid("mask", logit); // [B,C,H,W]
    }
}
