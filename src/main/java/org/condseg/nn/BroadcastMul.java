package org.condseg.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;

/**
 * x · s where s is broadcast over some axes (an attention map: channel weights [B,C,1,1] or a spatial map
 * [B,1,H,W]), with the backward pass as two plain ops: dL/dx = g · s and dL/ds = Σ over the broadcast axes of g · x.
 * libnd4j's {@code multiply_bp} reduces a broadcast operand's gradient slowly (75-100 ms per 4×128×64×64 map in a
 * 128² ConDSeg step). The broadcast axes ride along as the op's integer arguments, which libnd4j's {@code multiply}
 * ignores; a multiply without them differentiates as the library's. Registered for {@code multiply}
 * ({@link CustomOps}).
 */
public final class BroadcastMul {
    static {
        CustomOps.register("multiply", Forward.class);
    }

    private BroadcastMul() {
    }

    /** x · s, s of size 1 along {@code axes}. */
    public static SDVariable apply(SDVariable x, SDVariable s, int... axes) {
        return new Forward(x.getSameDiff(), x, s, axes).outputVariable();
    }

    /** The library's multiply; with broadcast axes in its integer arguments, the backward pass described above. */
    public static final class Forward extends MulOp {
        public Forward() {
        }

        Forward(SameDiff sd, SDVariable x, SDVariable s, int[] axes) {
            super(sd, x, s);
            addIArgument(axes);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            long[] axes = iArgs();
            if (axes.length == 0) {
                return super.doDiff(grad);
            }
            SDVariable g = grad.get(0);
            SDVariable[] in = args();
            return List.of(g.mul(in[1]), g.mul(in[0]).sum(true, ArrayUtil.toInts(axes)));
        }
    }
}
