package org.condseg.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Im2col;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.shape.Permute;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;

/**
 * A matrix product a · b whose second operand is a rearranged im2col output (im2col followed by reshapes and
 * permutes: the columns of {@link Conv#im2col}, CDFA's unfolded values), differentiated without keeping b:
 * dL/da = g · bᵀ with b computed again from the im2col input once g exists (a control dependency holds the
 * recomputation back until then), dL/db = aᵀ · g. libnd4j's matmul_bp reads both operands, so every such b, K² times
 * the size of the map it came from, stayed alive from the forward to the backward pass: the dilated convolutions'
 * columns and CDFA's unfolded values, ≈ 0.45 GB at 128² and 1.8 GB at 256² (batch 4). The recomputation costs one
 * im2col and the copies of its rearrangement per product: ≈ 1 s of a 15 s step at 128², and at 256² 94 s against
 * 72 s with it off ({@code -Dcondseg.recompute=false}, peak RSS 8.7 vs 10.1 GB; README, Performance).
 * Registered for {@code matmul} ({@link CustomOps}); a product with transposes, or whose b does not come from
 * im2col, differentiates as the library's.
 */
public final class ColumnProduct {
    /** {@code -Dcondseg.recompute=false} keeps the operand instead (the library's backward): faster, more memory. */
    static final boolean RECOMPUTE = !"false".equalsIgnoreCase(System.getProperty("condseg.recompute"));

    static {
        CustomOps.register("matmul", Forward.class);
    }

    private ColumnProduct() {
    }

    /** a · b (rank 2, or rank 3 batched), named {@code name} when it is not null. */
    public static SDVariable apply(String name, SDVariable a, SDVariable b) {
        SDVariable y = new Forward(a.getSameDiff(), a, b).outputVariable();
        return name == null ? y : a.getSameDiff().updateVariableNameAndReference(y, name);
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
            SDVariable[] in = args();
            Deque<DifferentialFunction> chain = chainFromIm2col(in[1]);
            if (!RECOMPUTE || chain == null || transposes()) {
                return super.doDiff(grad);
            }
            SDVariable g = grad.get(0);
            SDVariable b = replay(chain, g);
            return List.of(sameDiff.mmul(g, b, false, true, false), sameDiff.mmul(in[0], g, true, false, false));
        }

        private boolean transposes() {
            for (long t : iArgs()) {
                if (t != 0) {
                    return true;
                }
            }
            return false;
        }

        /** The ops from an im2col to {@code v} (im2col first), when all between are reshapes and permutes; else null. */
        private Deque<DifferentialFunction> chainFromIm2col(SDVariable v) {
            Deque<DifferentialFunction> chain = new ArrayDeque<>();
            DifferentialFunction op = sameDiff.getVariableOutputOp(v.name());
            while (op instanceof Reshape || op instanceof Permute) {
                chain.addFirst(op);
                op = sameDiff.getVariableOutputOp(op.arg().name());
            }
            if (!(op instanceof Im2col) || chain.isEmpty() || configOf(((Im2col) op).iArgs()) == null) {
                return null;
            }
            chain.addFirst(op);
            return chain;
        }

        /** The chain's ops again, on the same im2col input; the im2col waits until {@code after} is available. */
        private SDVariable replay(Deque<DifferentialFunction> chain, SDVariable after) {
            SDVariable v = null;
            for (DifferentialFunction op : chain) {
                if (op instanceof Im2col im2col) {
                    v = sameDiff.cnn().im2Col(im2col.arg(), configOf(im2col.iArgs()));
                    waitFor(sameDiff.getVariableOutputOp(v.name()), after);
                } else if (op instanceof Permute p) {
                    v = sameDiff.permute(v, ArrayUtil.toInts(p.iArgs()));
                } else if (op.args().length == 2) {
                    v = sameDiff.reshape(v, op.arg(1)); // the shape the forward reshape read
                } else {
                    long[] shape = ((DynamicCustomOp) op).iArgs(); // [order, dims...]
                    v = sameDiff.reshape(v, java.util.Arrays.copyOfRange(shape, 1, shape.length));
                }
            }
            return v;
        }

        /** Makes {@code first} wait until {@code v} is available (the session tracks op control dependencies by name). */
        private void waitFor(DifferentialFunction first, SDVariable v) {
            SameDiffOp op = sameDiff.getOps().get(first.getOwnName());
            List<String> deps = op.getControlDeps() == null ? new ArrayList<>() : new ArrayList<>(op.getControlDeps());
            deps.add(v.name());
            op.setControlDeps(deps);
            Variable var = sameDiff.getVariables().get(v.name());
            List<String> forOps = var.getControlDepsForOp() == null ? new ArrayList<>()
                    : new ArrayList<>(var.getControlDepsForOp());
            forOps.add(first.getOwnName());
            var.setControlDepsForOp(forOps);
        }
    }

    /**
     * The configuration of an im2col op from its integer arguments (kH, kW, sH, sW, pH, pW, dH, dW, same mode), built
     * by {@link Conv}'s own builder; null (no recomputation) for a configuration that builder cannot express (unequal
     * strides or dilations, SAME mode), which no im2col of this project has.
     */
    private static Conv2DConfig configOf(long[] a) {
        if (a[2] != a[3] || a[6] != a[7] || (a.length > 8 && a[8] != 0)) {
            return null;
        }
        return Conv.config((int) a[0], (int) a[1], (int) a[2], (int) a[4], (int) a[5], (int) a[6]).build();
    }
}
