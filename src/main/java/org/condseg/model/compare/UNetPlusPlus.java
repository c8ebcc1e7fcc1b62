package org.condseg.model.compare;

import java.util.ArrayList;
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
 * U-Net++ (Z. Zhou, M. M. Rahman Siddiquee, N. Tajbakhsh, J. Liang, "UNet++: A Nested U-Net Architecture for
 * Medical Image Segmentation", DLMIA 2018), registry name {@code unetpp}. The contracting path X^{i,0} is
 * {@link UNetBlocks#encoder}'s; the nested dense skip pathways are (paper Eq. 1)
 * X^{i,j} = H([X^{i,0}, …, X^{i,j−1}, U(X^{i+1,j−1})]) for j ≥ 1, i + j ≤ 4, where H is the double convolution
 * (→ c_i channels, input j·c_i + c_{i+1}) and U bilinear ×2 upsampling (align_corners = true), as in {@link UNet}.
 * <p>Heads (1×1 conv c_0 → 1, bias): without deep supervision one head {@code final} on X^{0,4}. With
 * {@code model.deepSupervision} one head {@code final<j>} on each X^{0,j}, j = 1..4, declared as outputs
 * {@code side<j>_logit} [B,1,H,W] and their sigmoids {@code side<j>}; {@code mask_logit} is then the mean of
 * the four side logits (the paper's "accurate mode" averages the branches; averaging logits keeps
 * {@code mask = sigmoid(mask_logit)}). Side outputs are declared in TRAIN and EVAL graphs alike.
 * Widths c_i = (width/2)·2^i; ignores {@code model.encoder}. 36,622,337 parameters at width 128
 * (36,622,532 with deep supervision).
 */
public final class UNetPlusPlus {
    /** Number of deep-supervision heads (X^{0,1} .. X^{0,4}). */
    public static final int SIDES = 4;

    private UNetPlusPlus() {
    }

    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, cfg.initSeed);
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        int[] c = UNetBlocks.widths(cfg);
        SDVariable[][] x = new SDVariable[UNetBlocks.LEVELS][UNetBlocks.LEVELS]; // x[i][j] = X^{i,j}
        SDVariable[] e = UNetBlocks.encoder(root, image, c);
        for (int i = 0; i < UNetBlocks.LEVELS; i++) {
            x[i][0] = e[i]; // [B,c_i,H/2^i,W/2^i]
        }
        // column by column, so every X^{i+1,j-1} exists before X^{i,j}
        for (int j = 1; j < UNetBlocks.LEVELS; j++) {
            for (int i = 0; i + j < UNetBlocks.LEVELS; i++) {
                String m = "conv" + i + "_" + j;
                Scope s = root.child(m);
                SDVariable[] in = new SDVariable[j + 1];
                System.arraycopy(x[i], 0, in, 0, j);
                in[j] = Bilinear.up(s, x[i + 1][j - 1], c[i + 1], 1 << (i + 1), 2); // [B,c_{i+1},H/2^i,W/2^i]
                SDVariable cat = sd.concat(1, in); // [B,j·c_i+c_{i+1},H/2^i,W/2^i]
                x[i][j] = root.tap(m, UNetBlocks.doubleConv(s, cat, j * c[i] + c[i + 1], c[i])); // [B,c_i,..]
            }
        }
        List<String> outputs = new ArrayList<>(List.of("mask", "mask_logit"));
        SDVariable logit;
        if (cfg.deepSupervision) {
            SDVariable[] side = new SDVariable[SIDES];
            for (int j = 1; j <= SIDES; j++) {
                side[j - 1] = UNetBlocks.head(root.child("final" + j), x[0][j], c[0]); // [B,1,H,W]
                side[j - 1].rename("side" + j + "_logit");
                sd.nn().sigmoid("side" + j, side[j - 1]);
                outputs.add("side" + j);
                outputs.add("side" + j + "_logit");
            }
            SDVariable sum = side[0];
            for (int j = 1; j < SIDES; j++) {
                sum = sum.add(side[j]);
            }
            logit = sum.mul(1.0 / SIDES); // [B,1,H,W]
        } else {
            logit = UNetBlocks.head(root.child("final"), x[0][4], c[0]); // [B,1,H,W]
        }
        logit.rename("mask_logit");
        sd.nn().sigmoid("mask", logit);
        return new BuiltModel(cfg, mode, false, root, outputs, List.of(), 16);
    }
}
