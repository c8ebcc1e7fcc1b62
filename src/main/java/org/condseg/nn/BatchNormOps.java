package org.condseg.nn;

import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm;
import org.nd4j.linalg.api.ops.impl.reduce.Moments;

/**
 * Training-mode batch normalisation as two libnd4j ops with a backward pass of one: {@code moments} (batch mean and
 * biased variance per channel) and {@code batchnorm}, differentiated by {@code batchnorm_bp}. SameDiff M2.1's own
 * BatchNorm cannot build its gradient (its derivative loses the channel axis when SameDiff copies the graph for the
 * gradient function), which is why {@link org.condseg.nn.BatchNorm} used to spell the layer out in nine elementwise
 * ops whose backward pass kept five full-size arrays per layer.
 *
 * <p>{@code batchnorm_bp}'s input gradient already contains the paths through the batch statistics,
 * dL/dx = γ/σ · (g − mean(g) − x̂ · mean(g · x̂)) with x̂ = (x − μ)/σ, so the statistics must send no gradient of
 * their own: {@link Stats} returns a zero for x (and the mean/variance slots of {@link Normalize} a zero) when every
 * reader of its outputs is a {@link Normalize}; anywhere else it differentiates as the library's {@code moments}.
 *
 * <p>Both classes extend the library's and are registered for their libnd4j ops ({@link CustomOps}); they behave as
 * the library's everywhere except in the gradient described above.
 */
public final class BatchNormOps {
    static {
        CustomOps.register("batchnorm", Normalize.class);
        CustomOps.register("moments", Stats.class);
    }

    private BatchNormOps() {
    }

    /** y = γ · (x − mean) / sqrt(var + eps) + β over channel axis 1, with the batch statistics of x. */
    static SDVariable[] batchNorm(SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta, double eps) {
        SDVariable[] stats = new Stats(sd, x).outputVariables(); // [C] mean, [C] biased variance
        SDVariable y = new Normalize(sd, x, stats[0], stats[1], gamma, beta, eps).outputVariable();
        return new SDVariable[] {y, stats[0], stats[1]};
    }

    /**
     * True when every op that reads {@code var} and lies on the way to the loss is a {@link Normalize} (or, once
     * differentiated, its {@link Backward}): readers off that way, such as the running-statistics update, carry
     * no gradient.
     */
    private static boolean onlyNormalizeReads(SameDiff sd, SDVariable var) {
        Variable v = sd.getVariables().get(var.name());
        List<String> readers = v == null ? null : v.getInputsForOp();
        if (readers == null) {
            return true;
        }
        for (String name : readers) {
            SameDiffOp op = sd.getOps().get(name);
            if (op.getOp() instanceof Normalize || op.getOp() instanceof Backward) {
                continue;
            }
            for (String out : op.getOutputsOfOp()) {
                if (sd.getVariable(out).getGradient() != null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** libnd4j {@code moments} over (B, H, W): per-channel mean and biased variance. */
    public static final class Stats extends Moments {
        public Stats() {
        }

        Stats(SameDiff sd, SDVariable x) {
            super(sd, x, new int[] {0, 2, 3}, false);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            for (SDVariable out : outputVariables()) {
                if (!onlyNormalizeReads(sameDiff, out)) {
                    return super.doDiff(grad);
                }
            }
            return List.of(Graphs.zeroGradient(sameDiff, arg()));
        }
    }

    /** libnd4j {@code batchnorm}: inputs x, mean, variance, gamma, beta; channel axis 1. */
    public static final class Normalize extends BatchNorm {
        public Normalize() {
        }

        Normalize(SameDiff sd, SDVariable x, SDVariable mean, SDVariable var, SDVariable gamma, SDVariable beta,
                double eps) {
            super(sd, x, mean, var, gamma, beta, eps, new int[] {1});
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            SDVariable[] a = args();
            SDVariable[] g = new Backward(sameDiff, a, grad.get(0), tArguments.get(0)).outputVariables();
            return Arrays.asList(g[0], Graphs.zeroGradient(sameDiff, a[1]), Graphs.zeroGradient(sameDiff, a[2]), g[3], g[4]);
        }
    }

    /** libnd4j {@code batchnorm_bp}: outputs dL/dx, dL/dmean, dL/dvar, dL/dgamma, dL/dbeta. */
    public static final class Backward extends DynamicCustomOp {
        public Backward() {
        }

        Backward(SameDiff sd, SDVariable[] in, SDVariable gradOut, double eps) {
            super("batchnorm_bp", sd, new SDVariable[] {in[0], in[1], in[2], in[3], in[4], gradOut});
            addIArgument(1, 1, 1); // apply gamma, apply beta, channel axis
            addTArgument(eps);
        }

        @Override
        public String opName() {
            return "batchnorm_bp";
        }

        @Override
        public int getNumOutputs() {
            return 5;
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return List.of(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4));
        }
    }
}
