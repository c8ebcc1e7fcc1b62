package org.condseg.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SyntheticGraphsTest {
    @Test
    void chainHasTheRequestedOpsPlusTheLoss() {
        SyntheticGraphs.Graph g = SyntheticGraphs.elementwiseChain(9);
        assertEquals(9 + 2, g.forwardOps()); // + square, mean
        INDArray out = g.sd().output(Map.of("x", Nd4j.rand(DataType.FLOAT, g.inputShape())), "out").get("out");
        assertArrayEquals(g.inputShape(), out.shape());
    }

    @Test
    void handBatchNormGivesZeroMeanUnitVariancePerChannel() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3, 4, 4);
        SDVariable g = sd.constant(Nd4j.ones(DataType.FLOAT, 1, 3, 1, 1));
        SDVariable b = sd.constant(Nd4j.zeros(DataType.FLOAT, 1, 3, 1, 1));
        SyntheticGraphs.handBatchNorm(sd, x, g, b).rename("y");
        INDArray in = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 4).muli(5).addi(3);
        INDArray y = sd.output(Map.of("x", in), "y").get("y");
        INDArray mean = y.mean(0, 2, 3);
        INDArray var = y.var(false, 0, 2, 3);
        for (int c = 0; c < 3; c++) {
            assertEquals(0.0, mean.getDouble(c), 1e-4);
            assertEquals(1.0, var.getDouble(c), 1e-3);
        }
    }

    @Test
    void convStackAndSingleConvRunForwardAndBackward() {
        SyntheticGraphs.Graph g = SyntheticGraphs.convStack(2, 4, 2, 8, SyntheticGraphs.Norm.HAND);
        assertEquals(2 * 11 + 2, g.forwardOps()); // conv + 9 BN ops + relu per block, + loss
        Map<String, INDArray> ph = Map.of("x", Nd4j.rand(DataType.FLOAT, g.inputShape()));
        Map<String, INDArray> grads = g.sd().calculateGradients(ph, g.trainable());
        assertEquals(g.trainable().size(), grads.size());
        assertArrayEquals(new long[] {3, 3, 4, 4}, grads.get("w0").shape());
        SyntheticGraphs.Graph c = SyntheticGraphs.singleConv(3, 5, 2, 6, "NHWC", WeightsFormat.YXIO);
        INDArray out = c.sd().output(Map.of("x", Nd4j.rand(DataType.FLOAT, c.inputShape())), "out").get("out");
        assertArrayEquals(new long[] {2, 6, 6, 5}, out.shape());
        assertTrue(c.sd().calculateGradients(Map.of("x", Nd4j.rand(DataType.FLOAT, c.inputShape())), "w")
                .get("w").sumNumber().doubleValue() != 0);
    }
}
