package org.condseg.model.encoder;

import java.util.List;
import org.condseg.nn.Add;
import org.condseg.nn.BatchNorm;
import org.condseg.nn.Conv;
import org.condseg.nn.Relu;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/**
 * torchvision-style ResNet encoders as ConDSeg wraps them (reference §1.1): {@code layer0 = [conv1, bn1, relu]}
 * (tap f1, stride 2, before the max-pool), {@code layer1 = [maxpool, layer1]} (f2, /4), {@code layer2} (f3, /8),
 * {@code layer3} (f4, /16); avgpool and fc are never built, and layer4 (/32) only on request
 * ({@link #buildLayer4}, for comparison networks that need the stride-32 stage). ResNet-50 uses v1.5 bottlenecks (1×1, 3×3
 * carrying the stride, 1×1, expansion 4); ResNet-18/34 use basic blocks. No conv has a bias. Variable names equal
 * the official state_dict names (e.g. {@code layer1.1.0.conv1.weight}, {@code layer2.0.downsample.1.running_var}).
 */
public final class ResNet implements Encoder {
    private final String name;
    private final boolean bottleneck;
    /** Blocks of layer1..layer4. */
    private final int[] blocks;

    private ResNet(String name, boolean bottleneck, int... blocks) {
        this.name = name;
        this.bottleneck = bottleneck;
        this.blocks = blocks;
    }

    public static ResNet resnet18() {
        return new ResNet("resnet18", false, 2, 2, 2, 2);
    }

    public static ResNet resnet34() {
        return new ResNet("resnet34", false, 3, 4, 6, 3);
    }

    public static ResNet resnet50() {
        return new ResNet("resnet50", true, 3, 4, 6, 3);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int[] channels() {
        int e = bottleneck ? 4 : 1;
        return new int[] {64, 64 * e, 128 * e, 256 * e};
    }

    /** Parameter prefixes of a five-stage ResNet ({@link #buildLayer4} used): layer0..layer4. */
    public static final List<String> PREFIXES_WITH_LAYER4 = List.of("layer0.", "layer1.", "layer2.", "layer3.", "layer4.");

    /** {@code layer0.}..{@code layer3.}: the modules ConDSeg wraps (reference §1.1). */
    @Override
    public List<String> paramPrefixes() {
        return List.of("layer0.", "layer1.", "layer2.", "layer3.");
    }

    @Override
    public EncoderTaps build(Scope root, SDVariable image) {
        SameDiff sd = root.sd();
        Scope l0 = root.child("layer0");
        SDVariable x = Conv.conv2d(l0.child("0"), image, 3, 64, 7, 2, 3, 1, false); // [B,64,H/2,W/2]
        x = Relu.apply(BatchNorm.apply(l0.child("1"), x, 64));
        SDVariable f1 = root.tap("layer0", x);
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(3).kW(3).sH(2).sW(2).pH(1).pW(1).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).isNHWC(false).build();
        x = sd.cnn().maxPooling2d(f1, pool); // [B,64,H/4,W/4]
        int c = 64;
        int[] planes = {64, 128, 256};
        SDVariable[] taps = new SDVariable[3];
        for (int stage = 0; stage < 3; stage++) {
            Scope layer = stage == 0 ? root.child("layer1").child("1") : root.child("layer" + (stage + 1));
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = b == 0 && stage > 0 ? 2 : 1;
                Scope blk = layer.child(Integer.toString(b));
                if (bottleneck) {
                    x = bottleneck(blk, x, c, planes[stage], stride);
                    c = planes[stage] * 4;
                } else {
                    x = basic(blk, x, c, planes[stage], stride);
                    c = planes[stage];
                }
            }
            taps[stage] = root.tap("layer" + (stage + 1), x); // [B,c,H/2^(stage+2),W/2^(stage+2)]
        }
        return new EncoderTaps(f1, taps[0], taps[1], taps[2], channels());
    }

    /** Channels of the layer4 output (512 for ResNet-18/34, 2048 for ResNet-50). */
    public int layer4Channels() {
        return bottleneck ? 2048 : 512;
    }

    /**
     * torchvision's layer4 on top of f4 = {@link #build}'s last tap (names {@code layer4.<block>.*}, stride 2 in
     * its first block): [B,c4,H/16,W/16] → [B,c5,H/32,W/32], tapped as {@code layer4}. Call it once, after build.
     */
    public SDVariable buildLayer4(Scope root, SDVariable f4) {
        Scope layer = root.child("layer4");
        int c = channels()[3];
        SDVariable x = f4;
        for (int b = 0; b < blocks[3]; b++) {
            Scope blk = layer.child(Integer.toString(b));
            x = bottleneck ? bottleneck(blk, x, c, 512, b == 0 ? 2 : 1) : basic(blk, x, c, 512, b == 0 ? 2 : 1);
            c = layer4Channels();
        }
        return root.tap("layer4", x); // [B,c5,H/32,W/32]
    }

    private static SDVariable bottleneck(Scope s, SDVariable x, int cin, int planes, int stride) {
        SameDiff sd = s.sd();
        int cout = planes * 4;
        SDVariable y = Relu.apply(BatchNorm.apply(s.child("bn1"),
                Conv.conv2d(s.child("conv1"), x, cin, planes, 1, 1, 0, 1, false), planes));
        y = Relu.apply(BatchNorm.apply(s.child("bn2"),
                Conv.conv2d(s.child("conv2"), y, planes, planes, 3, stride, 1, 1, false), planes));
        y = BatchNorm.apply(s.child("bn3"), Conv.conv2d(s.child("conv3"), y, planes, cout, 1, 1, 0, 1, false), cout);
        return Relu.apply(Add.same(y, shortcut(s, x, cin, cout, stride)));
    }

    private static SDVariable basic(Scope s, SDVariable x, int cin, int planes, int stride) {
        SameDiff sd = s.sd();
        SDVariable y = Relu.apply(BatchNorm.apply(s.child("bn1"),
                Conv.conv2d(s.child("conv1"), x, cin, planes, 3, stride, 1, 1, false), planes));
        y = BatchNorm.apply(s.child("bn2"), Conv.conv2d(s.child("conv2"), y, planes, planes, 3, 1, 1, 1, false), planes);
        return Relu.apply(Add.same(y, shortcut(s, x, cin, planes, stride)));
    }

    private static SDVariable shortcut(Scope s, SDVariable x, int cin, int cout, int stride) {
        if (stride == 1 && cin == cout) {
            return x;
        }
        Scope ds = s.child("downsample");
        SDVariable y = Conv.conv2d(ds.child("0"), x, cin, cout, 1, stride, 0, 1, false);
        return BatchNorm.apply(ds.child("1"), y, cout);
    }
}
