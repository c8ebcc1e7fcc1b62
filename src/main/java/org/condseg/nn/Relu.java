package org.condseg.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * ReLU whose backward pass reads the output instead of the input: dL/dx = dL/dy · [y &gt; 0], the same mask as
 * [x &gt; 0]. SameDiff's own relu differentiates from its input, so a training step kept both the input (a batch-norm
 * or residual-sum output, otherwise dead once the ReLU has run) and the output (kept anyway by the next convolution's
 * backward): one full-size array per ReLU more than PyTorch's in-place ReLU keeps. libnd4j's custom ops
 * {@code relu} and {@code relu_bp}; registered for {@code relu} ({@link CustomOps}).
 */
public final class Relu {
    static {
        CustomOps.register("relu", Forward.class);
    }

    private Relu() {
    }

    /** max(x, 0). */
    public static SDVariable apply(SDVariable x) {
        return new Forward(x.getSameDiff(), x).outputVariable();
    }

    /** libnd4j {@code relu} with threshold 0. */
    public static final class Forward extends DynamicCustomOp {
        public Forward() {
        }

        Forward(SameDiff sd, SDVariable x) {
            super("relu", sd, new SDVariable[] {x});
            addTArgument(0.0);
        }

        @Override
        public String opName() {
            return "relu";
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return List.of(in.get(0));
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grad) {
            return List.of(new Backward(sameDiff, outputVariable(), grad.get(0)).outputVariable());
        }
    }

    /** libnd4j {@code relu_bp}(y, dL/dy): dL/dy where y &gt; 0, else 0. */
    public static final class Backward extends DynamicCustomOp {
        public Backward() {
        }

        Backward(SameDiff sd, SDVariable y, SDVariable gradOut) {
            super("relu_bp", sd, new SDVariable[] {y, gradOut});
            addTArgument(0.0);
        }

        @Override
        public String opName() {
            return "relu_bp";
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return List.of(in.get(0));
        }
    }
}
