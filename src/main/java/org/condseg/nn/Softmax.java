package org.condseg.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SoftmaxBp;

/**
 * Softmax over one axis that is right on every libnd4j build. The oneDNN build (the CPU default, pom.xml) returns
 * wrong values for softmax over a non-last axis of an NCHW tensor (class probabilities over channels summed to 0.96
 * in MultiClassTrainTest), so a non-last axis is computed by hand as exp(x − max) / Σ exp(x − max); the last axis
 * keeps the fused op.
 */
public final class Softmax {
    static {
        CustomOps.register("softmax", Forward.class);
    }

    private Softmax() {
    }

    /** softmax(x) along {@code axis} (negative counts from the end); {@code name} may be null. */
    public static SDVariable apply(SameDiff sd, String name, SDVariable x, int axis) {
        int rank = x.getShape() != null ? x.getShape().length : -1;
        boolean last = axis == -1 || (rank > 0 && axis == rank - 1);
        if (last) {
            SDVariable y = new Forward(sd, x, rank > 0 ? rank - 1 : -1).outputVariable();
            return name == null ? y : sd.updateVariableNameAndReference(y, name);
        }
        SDVariable shifted = x.sub(sd.max(x, true, axis)); // stable: the largest term becomes exp(0)
        SDVariable e = sd.math().exp(shifted);
        SDVariable sum = sd.sum(e, true, axis);
        return name == null ? e.div(sum) : e.div(name, sum);
    }

    /**
     * libnd4j's fused softmax, differentiated from its output: dL/dx = y · (g − Σ g·y) along the axis. The library's
     * {@code softmax_bp} recomputes the softmax from the input, so the input stayed alive beside the output (which the
     * next product's backward keeps anyway): two [B·heads·L, K², K²] maps per CDFA pass instead of one. Registered for
     * {@code softmax} ({@link CustomOps}); the axis is the op's integer argument, as in the library's class. Only for a
     * non-negative axis (the rank was known when the graph was built): M2.1's reduce_sum over axis −1 returns wrong
     * values, so a negative one keeps the library's backward.
     */
    public static final class Forward extends SoftMax {
        public Forward() {
        }

        Forward(SameDiff sd, SDVariable x, int axis) {
            super(sd, new SDVariable[] {x}, axis);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            long[] args = iArgs();
            int axis = args.length == 0 ? -1 : (int) args[0];
            if (axis < 0) { // M2.1's reduce_sum over a negative axis is wrong, and the rank was not known
                // the library's backward, given the axis itself: the copy of the graph does not restore the field
                // SoftMax.doDiff reads in a subclass
                return new SoftmaxBp(sameDiff, arg(), grad.get(0), axis).outputs();
            }
            SDVariable y = outputVariable();
            SDVariable g = grad.get(0);
            return List.of(y.mul(g.sub(g.mul(y).sum(true, axis))));
        }
    }

    /**
     * softmax(x) over the last axis of a rank-{@code rank} x: the fused op differentiated from its output
     * ({@link Forward}). The rank is given because SameDiff rarely knows an intermediate's shape when the graph is built.
     */
    public static SDVariable lastAxis(SameDiff sd, SDVariable x, int rank) {
        return new Forward(sd, x, rank - 1).outputVariable();
    }

    /** {@link #apply} without a name. */
    public static SDVariable apply(SameDiff sd, SDVariable x, int axis) {
        return apply(sd, null, x, axis);
    }
}
