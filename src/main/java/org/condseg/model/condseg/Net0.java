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
import org.condseg.nn.GraphMode;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The stage-1 network Net_0 (official {@code ConDSegStage1}, reference §2): the same encoder (same variable names,
 * so its weights carry over), and a head that upsamples each tap to full resolution first (×2, ×4, ×8, ×16), then
 * CBR(c→64, 1×1) per level ({@code head.conv1..4}), concatenation, and a bias-free 1×1 conv ({@code head.conv_fuse})
 * → sigmoid. The upsample-then-CBR order is kept: BN and ReLU do not commute with the upsampling.
 */
public final class Net0 {
    private Net0() {
    }

    /** Placeholder of the strongly augmented images in a {@link #buildPair} graph. */
    public static final String AUG_INPUT = "image_aug";
    /** Output M2 = Net_0(Aug(X)) of a {@link #buildPair} graph. */
    public static final String AUG_OUTPUT = "mask_aug";

    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, cfg.initSeed);
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        root.geometry().anchor(1, image);
        SDVariable logit = forward(root, image, cfg, true);
        logit.rename("mask_logit");
        sd.nn().sigmoid("mask", logit);
        return new BuiltModel(cfg, mode, false, root, List.of("mask", "mask_logit"));
    }

    /**
     * Net_0 applied twice with shared weights, for Consistency Reinforcement (Eq. 1-7): {@code mask} = Net_0(X) on
     * placeholder {@code image} and {@value #AUG_OUTPUT} = Net_0(Aug(X)) on {@value #AUG_INPUT}. The two passes are
     * separate forwards, so in TRAIN mode each normalises with its own batch statistics and the running statistics
     * get both updates in order, as the official code's two forward calls do.
     */
    public static BuiltModel buildPair(ModelConfig cfg, GraphMode mode) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, cfg.initSeed);
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        SDVariable aug = sd.placeHolder(AUG_INPUT, DataType.FLOAT, -1, 3, -1, -1);
        root.geometry().anchor(1, image);
        SDVariable logit = forward(root, image, cfg, true);
        logit.rename("mask_logit");
        sd.nn().sigmoid("mask", logit);
        SDVariable logitAug = forward(root, aug, cfg, false);
        logitAug.rename(AUG_OUTPUT + "_logit");
        sd.nn().sigmoid(AUG_OUTPUT, logitAug);
        return new BuiltModel(cfg, mode, false, root,
                List.of("mask", "mask_logit", AUG_OUTPUT, AUG_OUTPUT + "_logit"));
    }

    /** Encoder and head on one input; returns the logit [B,1,H,W]. Geometry comes from the first input. */
    private static SDVariable forward(Scope root, SDVariable image, ModelConfig cfg, boolean anchor) {
        SameDiff sd = root.sd();
        Encoder enc = EncoderRegistry.get(cfg.encoder);
        EncoderTaps taps = enc.build(root, image);
        Scope head = root.child("head");
        int hw = cfg.net0HeadWidth;
        SDVariable[] levels = new SDVariable[4];
        for (int i = 1; i <= 4; i++) {
            int stride = EncoderTaps.stride(i);
            if (anchor) {
                root.geometry().anchor(stride, taps.tap(i));
            }
            SDVariable up = Bilinear.up(head, taps.tap(i), taps.channels()[i - 1], stride, stride); // [B,c,H,W]
            levels[i - 1] = Cbr.cbr(head.child("conv" + i), up, taps.channels()[i - 1], hw, 1); // [B,64,H,W]
        }
        SDVariable cat = sd.concat(1, levels); // [B,4·64,H,W]
        SDVariable conv = Conv.conv2d(head.child("conv_fuse"), cat, 4 * hw, 1, 1, 1, 0, 1, false);
        return anchor ? head.tap("sig.in0", conv) : conv;
    }
}
