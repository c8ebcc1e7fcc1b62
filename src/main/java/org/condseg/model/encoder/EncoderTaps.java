package org.condseg.model.encoder;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The four encoder features ConDSeg consumes, f1..f4, with their channel counts (ResNet-50: 64, 256, 512, 1024)
 * and strides relative to the input (ResNet: 2, 4, 8, 16; a PVT-style encoder would give 4, 8, 16, 32).
 */
public record EncoderTaps(SDVariable f1, SDVariable f2, SDVariable f3, SDVariable f4, int[] channels, int[] strides) {
    /** The ResNet layout: strides 2, 4, 8, 16. */
    public static final int[] RESNET_STRIDES = {2, 4, 8, 16};

    /** Taps at strides 2, 4, 8, 16. */
    public EncoderTaps(SDVariable f1, SDVariable f2, SDVariable f3, SDVariable f4, int[] channels) {
        this(f1, f2, f3, f4, channels, RESNET_STRIDES);
    }

    /** Tap i (1..4). */
    public SDVariable tap(int i) {
        return switch (i) {
            case 1 -> f1;
            case 2 -> f2;
            case 3 -> f3;
            case 4 -> f4;
            default -> throw new IllegalArgumentException("tap " + i);
        };
    }

    /** Stride of tap i (1..4) relative to the input image. */
    public int stride(int i) {
        return strides[i - 1];
    }
}
