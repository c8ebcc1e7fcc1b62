package org.condseg.model.encoder;

import java.util.List;
import org.condseg.nn.BatchNorm;
import org.condseg.nn.Conv;
import org.condseg.nn.Relu;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/**
 * torchvision VGG-19 / VGG-19-BN {@code features} (configuration "E": 2×64, M, 2×128, M, 4×256, M, 4×512, M,
 * 4×512, M), for the encoder comparison of Table 9 (not in the official code, reference §15). Every conv is 3×3,
 * padding 1, with bias; the BN variant puts BatchNorm2d (eps 1e-5) between conv and ReLU. Names are torchvision's
 * {@code features.<index>.weight}/{@code .bias} (and {@code .running_mean}/{@code .running_var}), so ImageNet weights
 * load by name. Block 1 (64 ch) runs at stride 1, so ConDSeg's four taps (strides 2, 4, 8, 16) are the last ReLU
 * of blocks 2..5, before their max-pool: {@code features.8}, {@code .17}, {@code .26}, {@code .35} for vgg19 and
 * {@code features.12}, {@code .25}, {@code .38}, {@code .51} for vgg19_bn, with 128, 256, 512, 512 channels. The
 * last max-pool ({@code features.36} / {@code .52}) and the classifier are not built; all 16 convs are used.
 */
public final class Vgg implements Encoder {
    private static final int[][] BLOCKS = {{64, 64}, {128, 128}, {256, 256, 256, 256}, {512, 512, 512, 512},
        {512, 512, 512, 512}};
    private final boolean bn;

    private Vgg(boolean bn) {
        this.bn = bn;
    }

    public static Vgg vgg19() {
        return new Vgg(false);
    }

    public static Vgg vgg19Bn() {
        return new Vgg(true);
    }

    @Override
    public String name() {
        return bn ? "vgg19_bn" : "vgg19";
    }

    @Override
    public int[] channels() {
        return new int[] {128, 256, 512, 512};
    }

    @Override
    public List<String> paramPrefixes() {
        return List.of("features.");
    }

    @Override
    public EncoderTaps build(Scope root, SDVariable image) {
        SameDiff sd = root.sd();
        Scope features = root.child("features");
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build();
        SDVariable x = image;
        SDVariable[] taps = new SDVariable[4];
        int idx = 0;
        int c = 3;
        for (int b = 0; b < BLOCKS.length; b++) {
            if (b > 0) {
                x = sd.cnn().maxPooling2d(x, pool); // [B,c,H/2^b,W/2^b]
                idx++;
            }
            for (int cout : BLOCKS[b]) {
                x = Conv.conv2d(features.child(Integer.toString(idx++)), x, c, cout, 3, 1, 1, 1, true); // [B,cout,..]
                if (bn) {
                    x = BatchNorm.apply(features.child(Integer.toString(idx++)), x, cout);
                }
                x = Relu.apply(x);
                idx++;
                c = cout;
            }
            if (b > 0) {
                taps[b - 1] = root.tap("features." + (idx - 1), x); // [B,c,H/2^b,W/2^b]
            }
        }
        return new EncoderTaps(taps[0], taps[1], taps[2], taps[3], channels());
    }
}
