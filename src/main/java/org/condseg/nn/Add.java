package org.condseg.nn;

import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;

/**
 * x + y whose backward pass reads neither operand: dL/dx = g and dL/dy = g (same shapes), or dL/dy = Σ g over the
 * axes along which y is broadcast (a bias [1,C,1,1]). SameDiff's add differentiates through libnd4j's
 * {@code add_bp}, which takes both operands only to learn their shapes, so every summand stayed alive until the
 * backward pass reached it: residual branches, the K² shifted slices of each {@link Fold}, the pre-bias outputs of
 * the im2col convolutions (≈ 0.6 GB of the 2.6 GB alive at the peak of a 128² ConDSeg step). The kind of add rides
 * along as the op's integer arguments ({@link #MARK}, then the broadcast axes), which libnd4j's {@code add} ignores;
 * an add without them differentiates as the library's. Registered for {@code add} ({@link CustomOps}).
 */
public final class Add {
    /** First integer argument of a marked add (not a valid axis, so an unmarked add never carries it). */
    static final int MARK = -1000;

    static {
        CustomOps.register("add", Forward.class);
    }

    private Add() {
    }

    /** x + y for operands of the same shape. */
    public static SDVariable same(SDVariable x, SDVariable y) {
        return new Forward(x.getSameDiff(), x, y, new int[0]).outputVariable();
    }

    /** x + y + z + … for operands of the same shape, summed left to right. */
    public static SDVariable same(SDVariable first, SDVariable... rest) {
        SDVariable sum = first;
        for (SDVariable r : rest) {
            sum = same(sum, r);
        }
        return sum;
    }

    /** x + b, b of the same rank with size 1 along {@code axes} (e.g. a bias [1,C,1,1]: axes 0, 2, 3). */
    public static SDVariable broadcast(SDVariable x, SDVariable b, int... axes) {
        if (axes.length == 0) {
            throw new IllegalArgumentException("broadcast add without broadcast axes: use Add.same");
        }
        return new Forward(x.getSameDiff(), x, b, axes).outputVariable();
    }

    /** The library's add; marked, the backward pass described above. */
    public static final class Forward extends AddOp {
        public Forward() {
        }

        Forward(SameDiff sd, SDVariable x, SDVariable y, int[] axes) {
            super(sd, x, y);
            addIArgument(MARK);
            addIArgument(axes);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            long[] args = iArgs();
            if (args.length == 0 || args[0] != MARK) {
                return super.doDiff(grad);
            }
            // a fresh array per operand, as add_bp makes (returning g itself for both was not tried)
            SDVariable g = grad.get(0);
            SDVariable gx = g.mul(1.0);
            if (args.length == 1) {
                return List.of(gx, g.mul(1.0));
            }
            return List.of(gx, g.sum(true, ArrayUtil.toInts(Arrays.copyOfRange(args, 1, args.length))));
        }
    }
}
