package org.condseg.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Sums and means that accumulate in double and return the input's type. A float32 sum over B*H*W pixels in
 * ND4J lands up to about 1e-6 relative from the exact value (PyTorch's pairwise sum: about 1e-7), which is
 * the whole tolerance of the golden loss checks; the cast costs little next to the network.
 * Gradients pass through the casts unchanged (in the input's type).
 */
final class Reduce {
    private Reduce() {
    }

    /** Sum over the given dims (all dims when none are given). */
    static SDVariable sum(SDVariable x, int... dims) {
        return x.castTo(DataType.DOUBLE).sum(dims).castTo(x.dataType());
    }

    /** Mean over the given dims (all dims when none are given). */
    static SDVariable mean(SDVariable x, int... dims) {
        return x.castTo(DataType.DOUBLE).mean(dims).castTo(x.dataType());
    }
}
