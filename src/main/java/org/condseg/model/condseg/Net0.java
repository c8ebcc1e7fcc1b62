package org.condseg.model.condseg;

import java.util.List;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.encoder.Encoder;
import org.condseg.model.encoder.EncoderRegistry;
import org.condseg.model.encoder.EncoderTaps;
import org.condseg.nn.Bilinear;
import org.condseg.nn.Cbr;
import org.condseg.nn.Conv;
import org.condseg.nn.ConvImpl;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Scope;
import org.condseg.nn.Softmax;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The stage-1 network Net_0 (official {@code ConDSegStage1}, reference §2): the same encoder (same variable names,
 * so its weights carry over), and a head that upsamples each tap to full resolution first (×2, ×4, ×8, ×16), then
 * CBR(c→64, 1×1) per level ({@code head.conv1..4}), concatenation, and a bias-free 1×1 conv ({@code head.conv_fuse},
 * model.numClasses outputs) → sigmoid (softmax over classes when numClasses &gt; 1). BN and ReLU do not commute with
 * the upsampling and stay after it; the bias-free conv before them does, and runs first ({@link #convFirst()}).
 */
public final class Net0 {
    /**
     * Whether each level's 1×1 conv runs before the upsampling ({@code -Dcondseg.net0ConvFirst=false}: after it, as
     * the official code writes it). The same function; at 256² the head's convolutions fall from 7.8 to about
     * 0.2 GMACs per image and no 1,856-channel full-resolution map (0.5 GB per image) is made or differentiated.
     */
    private static final boolean CONV_FIRST = !"false".equalsIgnoreCase(System.getProperty("condseg.net0ConvFirst"));

    /** Whether the head convolves before upsampling (above); also for the benchmark's notes. */
    public static boolean convFirst() {
        return CONV_FIRST;
    }

    private Net0() {
    }

    /** Name of the second input of {@link #buildTwoView}. */
    public static final String INPUT_AUG = "image_aug";

    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, cfg.initSeed).convImpl(ConvImpl.effective(cfg.convImpl));
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        SDVariable logit = forward(root, image, cfg);
        logit.rename("mask_logit");
        ConDSeg.probabilities(sd, logit, cfg.numClasses);
        return new BuiltModel(cfg, mode, false, root, List.of("mask", "mask_logit"));
    }

    /**
     * Stage-1 training graph with both views of Consistency Reinforcement (paper Eq. 1, official stage-1 step):
     * M1 = Net_0(X) from {@value BuiltModel#INPUT} ({@code mask}, {@code mask_logit}) and M2 = Net_0(Aug(X)) from
     * {@value #INPUT_AUG} ({@code mask_aug}, {@code mask_aug_logit}), through the same weights, in TRAIN mode. The
     * two forwards normalise with their own batch statistics, as the official two calls do; {@link BuiltModel#bnStats()}
     * lists every BN twice (view X first, then Aug(X), names suffixed {@code #1}), so
     * {@link BuiltModel#updateRunningStats} applies the two momentum updates in PyTorch's order. One backward pass
     * then covers the whole stage-1 loss, including the cross terms of the consistency loss.
     */
    public static BuiltModel buildTwoView(ModelConfig cfg) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, GraphMode.TRAIN, cfg.initSeed).convImpl(ConvImpl.effective(cfg.convImpl));
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        SDVariable aug = sd.placeHolder(INPUT_AUG, DataType.FLOAT, -1, 3, -1, -1);
        SDVariable l1 = forward(root, image, cfg);
        l1.rename("mask_logit");
        ConDSeg.probabilities(sd, l1, cfg.numClasses);
        SDVariable l2 = forward(root.view("#1"), aug, cfg);
        l2.rename("mask_aug_logit");
        if (cfg.numClasses > 1) {
            Softmax.apply(sd, "mask_aug", l2, 1); // [B,C,H,W]
        } else {
            sd.nn().sigmoid("mask_aug", l2);
        }
        return new BuiltModel(cfg, GraphMode.TRAIN, false, root, List.of("mask", "mask_logit", "mask_aug", "mask_aug_logit"));
    }

    private static SDVariable forward(Scope root, SDVariable image, ModelConfig cfg) {
        SameDiff sd = root.sd();
        root.geometry().anchor(1, image);
        Encoder enc = EncoderRegistry.get(cfg.encoder);
        EncoderTaps taps = enc.build(root, image);
        Scope head = root.child("head");
        int hw = cfg.net0HeadWidth;
        SDVariable[] levels = new SDVariable[4];
        for (int i = 1; i <= 4; i++) {
            int stride = taps.stride(i);
            int c = taps.channels()[i - 1];
            root.geometry().anchor(stride, taps.tap(i));
            if (CONV_FIRST) {
                // CBR's bias-free 1×1 conv commutes with bilinear upsampling (a per-pixel channel mix against a
                // per-channel spatial mix whose weights sum to 1): the conv runs at the tap's resolution on c
                // channels and only its 64 outputs are upsampled; BN (statistics over the full-resolution map) and
                // ReLU stay after the upsampling, as in the official order.
                levels[i - 1] = Cbr.apply(head.child("conv" + i), taps.tap(i), c, hw, 1, 1, true,
                        y -> Bilinear.up(head, y, hw, stride, stride)); // [B,64,h,w] -> [B,64,H,W]
            } else {
                SDVariable up = Bilinear.up(head, taps.tap(i), c, stride, stride); // [B,c,H,W]
                levels[i - 1] = Cbr.cbr(head.child("conv" + i), up, c, hw, 1); // [B,64,H,W]
            }
        }
        SDVariable cat = sd.concat(1, levels); // [B,4·64,H,W]
        return head.tap("sig.in0", Conv.conv2d(head.child("conv_fuse"), cat, 4 * hw, cfg.numClasses, 1, 1, 0, 1,
                false)); // [B,C,H,W]
    }
}
