package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ColumnProduct's recomputing backward against the library's matmul_bp on the same product (the operand routed
 * through a multiply by 1, so that it no longer comes from im2col): CDFA's batched layout, unfolded values
 * [B·L, K², C] from im2col + reshape + permute + reshape. Also that the forward operand has one reader only.
 */
class ColumnProductTest {
    @Test
    void batchedProductOfUnfoldedValuesHasTheLibrarysGradients() {
        Nd4j.getRandom().setSeed(11);
        INDArray vv = Nd4j.randn(DataType.FLOAT, 2, 4, 5, 6); // [B,C,H,W]
        INDArray av = Nd4j.randn(DataType.FLOAT, 2 * 30, 9, 9);
        INDArray wv = Nd4j.randn(DataType.FLOAT, 2 * 30, 9, 4);
        Map<String, INDArray>[] res = new Map[2];
        for (int recompute = 0; recompute < 2; recompute++) {
            SameDiff sd = SameDiff.create();
            SDVariable v = sd.var("v", vv.dup());
            SDVariable a = sd.var("a", av.dup());
            SDVariable u = Unfold.apply(v.mul(1.0), 3).reshape(2, 4, 9, 30).permute(0, 3, 2, 1).reshape(-1, 9, 4);
            SDVariable b = recompute == 1 ? u : u.mul(1.0); // [B·L, j, C]
            SDVariable y = ColumnProduct.apply(a.mul(1.0), b).rename("y");
            y.mul(sd.constant("w", wv)).sum().rename("loss");
            sd.setLossVariables("loss");
            res[recompute] = Graphs.gradients(sd, Map.of(), List.of("v", "a"));
            SameDiff grad = sd.getFunction("grad");
            long im2cols = grad.getOps().values().stream().filter(o -> o.getOp().opName().equals("im2col")).count();
            assertEquals(recompute == 1 ? 2 : 1, im2cols, "im2col ops (forward and recomputation)");
            if (recompute == 1) {
                assertEquals(1, grad.getOps().values().stream()
                        .filter(o -> o.getInputsToOp() != null && o.getInputsToOp().contains(u.name())).count());
            }
        }
        for (String n : List.of("v", "a")) {
            double diff = res[0].get(n).sub(res[1].get(n)).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-5 * Math.max(1, res[0].get(n).amaxNumber().doubleValue()), n + ": " + diff);
        }
    }
}
