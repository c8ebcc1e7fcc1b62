package org.condseg.model.encoder;

import java.util.List;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * An encoder builder: declares its layers under the root scope with the official parameter names (ResNet:
 * {@code layer0.}..{@code layer3.}; VGG: {@code features.}; PVT: {@code patch_embed1.}, {@code block1.}, ...), which
 * carry over from stage 1 to stage 2, and returns its four taps. Implementations are pure: no I/O.
 */
public interface Encoder {
    /** Registry key, e.g. "resnet50". */
    String name();

    /** Channel counts of the four taps. */
    int[] channels();

    /** Strides of the four taps relative to the input; each is twice the previous one. */
    default int[] strides() {
        return EncoderTaps.RESNET_STRIDES.clone();
    }

    /**
     * Name prefixes (with the trailing dot) of this encoder's parameters and buffers: what the stage-1 → stage-2
     * hand-over copies and what gets the encoder learning rate.
     */
    List<String> paramPrefixes();

    EncoderTaps build(Scope root, SDVariable image);
}
