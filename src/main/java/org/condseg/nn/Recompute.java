package org.condseg.nn;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Im2col;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.shape.Permute;
import org.nd4j.linalg.api.ops.impl.shape.Reshape;

/**
 * Recomputing an im2col output in the backward pass instead of keeping it from the forward pass. An operand that is
 * im2col followed by reshapes and permutes (the columns of {@link Conv#im2col}, CDFA's unfolded values) is K² times
 * the size of the map it came from; a backward op that reads it ({@link ColumnProduct}'s weight gradient,
 * {@link ConvOps}'s conv2d_bp) gets the same chain of ops run again on the im2col's input, and a control dependency
 * holds that recomputation back until the incoming gradient exists (SameDiff's session tracks op control dependencies
 * by variable name; without it the recomputation ran in the forward pass and saved nothing — measured).
 * {@code -Dcondseg.recompute=false} keeps the operands instead: faster, more memory (README, Performance).
 */
final class Recompute {
    /** Whether backward ops recompute im2col operands ({@code -Dcondseg.recompute=false}: no). */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("condseg.recompute"));

    private Recompute() {
    }

    /**
     * {@code v} computed again from the same im2col input once {@code after} exists, when recomputation is enabled
     * and {@code v} is an im2col output rearranged by reshapes and permutes only; otherwise null.
     */
    static SDVariable after(SDVariable v, SDVariable after) {
        Deque<DifferentialFunction> chain = ENABLED ? chainFromIm2col(v) : null;
        return chain == null ? null : replay(v.getSameDiff(), chain, after);
    }

    /** The ops from an im2col to {@code v} (im2col first), when all between are reshapes and permutes; else null. */
    private static Deque<DifferentialFunction> chainFromIm2col(SDVariable v) {
        SameDiff sd = v.getSameDiff();
        Deque<DifferentialFunction> chain = new ArrayDeque<>();
        DifferentialFunction op = sd.getVariableOutputOp(v.name());
        while (op instanceof Reshape || op instanceof Permute) {
            chain.addFirst(op);
            op = sd.getVariableOutputOp(op.arg().name());
        }
        if (!(op instanceof Im2col) || chain.isEmpty() || configOf(((Im2col) op).iArgs()) == null) {
            return null;
        }
        chain.addFirst(op);
        return chain;
    }

    /** The chain's ops again, on the same im2col input; the im2col waits until {@code after} is available. */
    private static SDVariable replay(SameDiff sd, Deque<DifferentialFunction> chain, SDVariable after) {
        SDVariable v = null;
        for (DifferentialFunction op : chain) {
            if (op instanceof Im2col im2col) {
                v = sd.cnn().im2Col(im2col.arg(), configOf(im2col.iArgs()));
                Graphs.waitFor(sd, sd.getVariableOutputOp(v.name()).getOwnName(), List.of(after.name()));
            } else if (op instanceof Permute p) {
                v = sd.permute(v, ArrayUtil.toInts(p.iArgs()));
            } else if (op.args().length == 2) {
                v = sd.reshape(v, op.arg(1)); // the shape the forward reshape read
            } else {
                long[] shape = ((DynamicCustomOp) op).iArgs(); // [order, dims...]
                v = sd.reshape(v, Arrays.copyOfRange(shape, 1, shape.length));
            }
        }
        return v;
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
