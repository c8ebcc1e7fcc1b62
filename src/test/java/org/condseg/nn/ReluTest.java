package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Relu against the definition: max(x, 0) and dL/dx = dL/dy · [x > 0] (0 at x = 0, as PyTorch), read from y. */
class ReluTest {
    @Test
    void valueAndGradientMatchTheDefinitionAndTheBackwardReadsTheOutput() {
        float[] xs = {-2f, -0.5f, 0f, 0.25f, 3f, -1e-3f, 1e-3f, 7f};
        float[] ws = {1f, 2f, 3f, -4f, 0.5f, 6f, -7f, 8f};
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.createFromArray(xs).reshape(2, 4));
        SDVariable y = Relu.apply(x.mul(1.0)).rename("y"); // x·1: the input is an op output, as in a network
        y.mul(sd.constant("w", Nd4j.createFromArray(ws).reshape(2, 4))).mul(y).sum().rename("loss");
        sd.setLossVariables("loss");
        INDArray out = sd.output(Map.of(), "y").get("y");
        INDArray dx = sd.calculateGradients(Map.of(), "x").get("x");
        for (int i = 0; i < xs.length; i++) {
            double yy = Math.max(xs[i], 0);
            assertEquals(yy, out.getDouble(i / 4, i % 4), 0, "y at " + i);
            assertEquals(xs[i] > 0 ? 2 * ws[i] * yy : 0, dx.getDouble(i / 4, i % 4), 1e-6, "dx at " + i);
        }
        SameDiff grad = sd.getFunction("grad");
        String bp = grad.getOps().values().stream().filter(o -> o.getOp() instanceof Relu.Backward)
                .map(o -> o.getInputsToOp().get(0)).findFirst().orElseThrow();
        assertEquals("y", bp, "relu_bp reads the ReLU's output");
    }
}
