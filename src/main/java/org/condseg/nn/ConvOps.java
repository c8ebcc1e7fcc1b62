package org.condseg.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;

/**
 * libnd4j's {@code conv2d} with a gradient that keeps the forward op's arguments. SameDiff M2.1's Conv2D rebuilds
 * its configuration from the serialised graph without the weight format, so a conv2d reading PyTorch-layout
 * weights ([out, in, kh, kw], format OIYX) got a {@code conv2d_bp} that expected [kh, kw, in, out] (a gradient-shape
 * error); training graphs therefore permuted every weight (and its gradient back) in each step. {@link Forward}
 * differentiates with a {@code conv2d_bp} given exactly the forward op's integer arguments, so training graphs read
 * the PyTorch-layout weight directly as inference graphs do. Registered for {@code conv2d} ({@link CustomOps}).
 */
public final class ConvOps {
    static {
        CustomOps.register("conv2d", Forward.class);
    }

    private ConvOps() {
    }

    /** conv2d(x, w[, b]) with {@code cfg}. */
    static SDVariable conv2d(SDVariable x, SDVariable w, SDVariable b, Conv2DConfig cfg) {
        SDVariable[] in = b == null ? new SDVariable[] {x, w} : new SDVariable[] {x, w, b};
        return new Forward(x.getSameDiff(), in, cfg).outputVariable();
    }

    /** The library's Conv2D with {@link #doDiff} replaced. */
    public static final class Forward extends Conv2D {
        public Forward() {
        }

        Forward(SameDiff sd, SDVariable[] in, Conv2DConfig cfg) {
            super(sd, in, cfg);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            SDVariable[] in = args();
            SDVariable[] bpIn = Arrays.copyOf(in, in.length + 1);
            bpIn[in.length] = grad.get(0);
            SDVariable cols = Recompute.after(in[0], grad.get(0)); // Conv#im2col's columns: recomputed, not kept
            if (cols != null) {
                bpIn[0] = cols;
            }
            return Arrays.asList(new Backward(sameDiff, bpIn, iArgs()).outputVariables());
        }
    }

    /** libnd4j {@code conv2d_bp}: inputs x, w, [b], dL/dy; outputs dL/dx, dL/dw, [dL/db]; the forward's iArgs. */
    public static final class Backward extends DynamicCustomOp {
        public Backward() {
        }

        Backward(SameDiff sd, SDVariable[] in, long[] iArgs) {
            super("conv2d_bp", sd, in);
            addIArgument(iArgs);
        }

        @Override
        public String opName() {
            return "conv2d_bp";
        }

        @Override
        public int getNumOutputs() {
            return args().length - 1;
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return new ArrayList<>(in.subList(0, in.size() - 1));
        }
    }
}
