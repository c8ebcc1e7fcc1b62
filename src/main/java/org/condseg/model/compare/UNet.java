package org.condseg.model.compare;

import java.util.List;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.nn.Bilinear;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * U-Net (O. Ronneberger, P. Fischer, T. Brox, "U-Net: Convolutional Networks for Biomedical Image Segmentation",
 * MICCAI 2015), registry name {@code unet}, in its common modern form: every level is two 3×3 convs with BN and
 * ReLU (zero padding, so output size = input size), 4 max-pool steps down and 4 steps up. Upsampling is bilinear
 * ×2 (align_corners = true) with no learned up-convolution; the upsampled map keeps its c_{i+1} channels and is
 * concatenated with the skip X^{i,0}: X^{i,1} = DC(c_i + c_{i+1} → c_i)([X^{i,0}, Up(X^{i+1})]) — the U-Net of
 * Zhou et al.'s U-Net++ comparison, i.e. exactly U-Net++ without its nested nodes. Widths c_i = (width/2)·2^i
 * (64..1024 at width 128). 1×1 head → {@code mask_logit}, sigmoid → {@code mask}. Ignores {@code model.encoder}
 * (trained from scratch; no parameter counts as "encoder").
 * <p>Modules: {@code conv0_0..conv4_0} (contracting path), {@code conv3_1, conv2_2, conv1_3, conv0_4} (expanding
 * path, named by their U-Net++ grid position), {@code final}. 31,384,833 parameters at width 128.
 */
public final class UNet {
    private UNet() {
    }

    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux) {
        return build(cfg, mode, false, false);
    }

    /**
     * The U-Net; with {@code gatedSkips} each skip X^{i,0} first passes an {@link AttentionGate} (module
     * {@code att<i>}) driven by the decoder feature one level coarser, which makes it {@link AttentionUNet}.
     */
    static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux, boolean gatedSkips) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, cfg.initSeed);
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        int[] c = UNetBlocks.widths(cfg);
        SDVariable[] e = UNetBlocks.encoder(root, image, c); // X^{i,0}: [B,c_i,H/2^i,W/2^i]
        SDVariable d = e[4];
        for (int i = 3; i >= 0; i--) {
            int stride = 1 << i;
            SDVariable skip = e[i];
            if (gatedSkips) {
                String a = "att" + i;
                skip = root.tap(a, AttentionGate.apply(root.child(a), e[i], c[i], d, c[i + 1], stride)); // [B,c_i,..]
            }
            String m = "conv" + i + "_" + (4 - i);
            Scope s = root.child(m);
            SDVariable up = Bilinear.up(s, d, c[i + 1], 2 * stride, 2); // [B,c_{i+1},H/2^i,W/2^i]
            SDVariable cat = sd.concat(1, skip, up); // [B,c_i+c_{i+1},H/2^i,W/2^i]
            d = root.tap(m, UNetBlocks.doubleConv(s, cat, c[i] + c[i + 1], c[i])); // [B,c_i,H/2^i,W/2^i]
        }
        SDVariable logit = UNetBlocks.head(root.child("final"), d, c[0]); // [B,1,H,W]
        logit.rename("mask_logit");
        sd.nn().sigmoid("mask", logit);
        return new BuiltModel(cfg, mode, false, root, List.of("mask", "mask_logit"), List.of(), 16);
    }
}
