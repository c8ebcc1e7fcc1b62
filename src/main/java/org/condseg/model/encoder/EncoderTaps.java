package org.condseg.model.encoder;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The four encoder features ConDSeg consumes, f1..f4 at strides 2, 4, 8, 16 of the input, with their channel
 * counts (ResNet-50: 64, 256, 512, 1024).
 */
public record EncoderTaps(SDVariable f1, SDVariable f2, SDVariable f3, SDVariable f4, int[] channels) {
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

    /** Stride of tap i relative to the input image. */
    public static int stride(int i) {
        return 1 << i;
    }
}
