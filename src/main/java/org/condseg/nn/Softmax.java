package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Softmax over one axis that is right on every libnd4j build. The oneDNN build (the CPU default, pom.xml) returns
 * wrong values for softmax over a non-last axis of an NCHW tensor (class probabilities over channels summed to 0.96
 * in MultiClassTrainTest), so a non-last axis is computed by hand as exp(x − max) / Σ exp(x − max); the last axis
 * keeps the fused op.
 */
public final class Softmax {
    private Softmax() {
    }

    /** softmax(x) along {@code axis} (negative counts from the end); {@code name} may be null. */
    public static SDVariable apply(SameDiff sd, String name, SDVariable x, int axis) {
        int rank = x.getShape() != null ? x.getShape().length : -1;
        boolean last = axis == -1 || (rank > 0 && axis == rank - 1);
        if (last) {
            return name == null ? sd.nn().softmax(x, -1) : sd.nn().softmax(name, x, -1);
        }
        SDVariable shifted = x.sub(sd.max(x, true, axis)); // stable: the largest term becomes exp(0)
        SDVariable e = sd.math().exp(shifted);
        SDVariable sum = sd.sum(e, true, axis);
        return name == null ? e.div(sum) : e.div(name, sum);
    }

    /** {@link #apply} without a name. */
    public static SDVariable apply(SameDiff sd, SDVariable x, int axis) {
        return apply(sd, null, x, axis);
    }
}
