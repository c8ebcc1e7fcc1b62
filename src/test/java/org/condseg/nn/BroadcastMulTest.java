package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BroadcastMul against the definition: y = x · s with s [B,C,1,1] (channel weights) or [B,1,H,W] (a spatial map);
 * for L = Σ w·y², dL/dx = 2·w·y·s and dL/ds = Σ over the broadcast axes of 2·w·y·x.
 */
class BroadcastMulTest {
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void valueAndGradientsMatchTheDefinition(boolean channelWeights) {
        Nd4j.getRandom().setSeed(5);
        int b = 2, c = 3, h = 4, w = 5;
        INDArray xv = Nd4j.rand(DataType.FLOAT, b, c, h, w).subi(0.5);
        INDArray sv = channelWeights ? Nd4j.rand(DataType.FLOAT, b, c, 1, 1) : Nd4j.rand(DataType.FLOAT, b, 1, h, w);
        INDArray wv = Nd4j.rand(DataType.FLOAT, b, c, h, w);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", xv.dup());
        SDVariable s = sd.var("s", sv.dup());
        SDVariable y = (channelWeights ? BroadcastMul.apply(x.mul(1.0), s.mul(1.0), 2, 3)
                : BroadcastMul.apply(x.mul(1.0), s.mul(1.0), 1)).rename("y");
        y.mul(y).mul(sd.constant("w", wv)).sum().rename("loss");
        sd.setLossVariables("loss");
        INDArray out = sd.output(Map.of(), "y").get("y");
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "x", "s");
        double[][][][] ds = new double[b][channelWeights ? c : 1][channelWeights ? 1 : h][channelWeights ? 1 : w];
        for (int i = 0; i < b; i++) for (int j = 0; j < c; j++) for (int r = 0; r < h; r++) for (int q = 0; q < w; q++) {
            double sc = channelWeights ? sv.getDouble(i, j, 0, 0) : sv.getDouble(i, 0, r, q);
            double yy = xv.getDouble(i, j, r, q) * sc;
            double gy = 2 * wv.getDouble(i, j, r, q) * yy;
            assertEquals(yy, out.getDouble(i, j, r, q), 1e-6, "y");
            assertEquals(gy * sc, g.get("x").getDouble(i, j, r, q), 1e-5, "dx");
            ds[i][channelWeights ? j : 0][channelWeights ? 0 : r][channelWeights ? 0 : q] += gy * xv.getDouble(i, j, r, q);
        }
        for (int i = 0; i < b; i++) for (int j = 0; j < ds[0].length; j++) for (int r = 0; r < ds[0][0].length; r++) {
            for (int q = 0; q < ds[0][0][0].length; q++) {
                assertEquals(ds[i][j][r][q], g.get("s").getDouble(i, j, r, q), 1e-4, "ds");
            }
        }
        SameDiff grad = sd.getFunction("grad");
        String sIn = grad.getOps().values().stream().filter(o -> o.getOp() instanceof BroadcastMul.Forward)
                .map(o -> o.getInputsToOp().get(1)).findFirst().orElseThrow();
        assertEquals(0, grad.getOps().values().stream()
                .filter(o -> o.getOp().opName().equals("multiply_bp") && o.getInputsToOp().contains(sIn)).count(),
                "no multiply_bp on the broadcast operand");
    }
}
