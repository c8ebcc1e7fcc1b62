package org.condseg.model.encoder;

import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * An encoder builder: declares its layers under the root scope (PyTorch names {@code layer0.}..{@code layer3.},
 * which carry over from stage 1 to stage 2) and returns its four taps. Implementations are pure: no I/O.
 */
public interface Encoder {
    /** Registry key, e.g. "resnet50". */
    String name();

    /** Channel counts of the four taps. */
    int[] channels();

    EncoderTaps build(Scope root, SDVariable image);
}
