package org.condseg.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;

/**
 * A matrix product a · b whose second operand is a rearranged im2col output (im2col followed by reshapes and
 * permutes: CDFA's unfolded values), differentiated without keeping b: dL/da = g · bᵀ with b computed again from the
 * im2col input once g exists ({@link Recompute}), dL/db = aᵀ · g. libnd4j's matmul_bp reads both operands, so every
 * such b, K² times the size of the map it came from, stayed alive from the forward to the backward pass.
 * A product whose b is fixed (a constant, or {@link Bilinear}'s interpolation matrices) is differentiated for a only:
 * dL/da = g · bᵀ; matmul_bp would also compute aᵀ · g, as costly as the forward product, and keep a alive for it (at
 * 256², a half-resized copy of every upsampled map).
 * Registered for {@code matmul} ({@link CustomOps}); a product with transposes, or whose b is neither fixed nor from
 * im2col, differentiates as the library's.
 */
public final class ColumnProduct {
    static {
        CustomOps.register("matmul", Forward.class);
    }

    private ColumnProduct() {
    }

    /** a · b (rank 2, or rank 3 batched). */
    public static SDVariable apply(SDVariable a, SDVariable b) {
        return new Forward(a.getSameDiff(), a, b).outputVariable();
    }

    /** The library's matmul with the backward pass described above. */
    public static final class Forward extends Mmul {
        public Forward() {
        }

        Forward(SameDiff sd, SDVariable a, SDVariable b) {
            super(sd, a, b);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            SDVariable g = grad.get(0);
            if (transposes()) {
                return super.doDiff(grad);
            }
            boolean fixed = isFixed(arg(1));
            SDVariable b = fixed ? arg(1) : Recompute.after(arg(1), g);
            if (b == null) {
                return super.doDiff(grad);
            }
            // a fixed b needs no gradient: no product aᵀ · g, and a is not kept for one
            SDVariable gb = fixed ? Graphs.zeroGradient(sameDiff, b) : sameDiff.mmul(arg(0), g, true, false, false);
            return List.of(sameDiff.mmul(g, b, false, true, false), gb);
        }

        /**
         * Whether {@code v} is a fixed matrix that no gradient flows into: a graph constant, or one of
         * {@link Bilinear}'s interpolation matrices (computed from the input's size only).
         */
        private static boolean isFixed(SDVariable v) {
            return v.getVariableType() == VariableType.CONSTANT || v.name().startsWith(Bilinear.INTERP_PREFIX);
        }

        private boolean transposes() {
            for (long t : iArgs()) {
                if (t != 0) {
                    return true;
                }
            }
            return false;
        }
    }
}
