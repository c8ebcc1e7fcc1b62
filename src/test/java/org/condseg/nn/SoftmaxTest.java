package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax along every axis of a rank-4 tensor against the definition computed element by element in Java; the
 * last-axis gradient (computed from the output) against y·(g − Σ g·y).
 */
class SoftmaxTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, -1})
    void matchesTheDefinitionOnEveryAxis(int axis) {
        long[] shape = {2, 9, 5, 6};
        INDArray xv = Nd4j.rand(DataType.FLOAT, shape).muli(8).subi(4);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, shape);
        SDVariable y = Softmax.apply(sd, "y", x, axis);
        INDArray out = sd.output(Map.of("x", xv), "y").get("y");
        int ax = axis < 0 ? 3 : axis;
        float[] v = xv.dup('c').data().asFloat();
        long[] stride = {shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1};
        for (int i = 0; i < v.length; i++) {
            long base = i - (i / stride[ax] % shape[ax]) * stride[ax];
            double sum = 0;
            for (long j = 0; j < shape[ax]; j++) {
                sum += Math.exp(v[(int) (base + j * stride[ax])]);
            }
            long[] idx = {i / stride[0], i / stride[1] % shape[1], i / stride[2] % shape[2], i % shape[3]};
            assertEquals(Math.exp(v[i]) / sum, out.getDouble(idx), 1e-5, "axis " + axis + " at element " + i);
        }
    }

    @Test
    void lastAxisGradientComesFromTheOutput() {
        Nd4j.getRandom().setSeed(3);
        INDArray xv = Nd4j.rand(DataType.FLOAT, 4, 3, 9).muli(6).subi(3);
        INDArray wv = Nd4j.rand(DataType.FLOAT, 4, 3, 9);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", xv.dup());
        SDVariable y = Softmax.lastAxis(sd, x.mul(1.0), 3).rename("y");
        y.mul(sd.constant("w", wv)).sum().rename("loss");
        sd.setLossVariables("loss");
        INDArray yv = sd.output(Map.of(), "y").get("y").dup(); // SameDiff may reuse the output's buffer later
        INDArray dx = sd.calculateGradients(Map.of(), "x").get("x").dup();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                double dot = 0;
                for (int k = 0; k < 9; k++) {
                    dot += wv.getDouble(i, j, k) * yv.getDouble(i, j, k);
                }
                for (int k = 0; k < 9; k++) {
                    assertEquals(yv.getDouble(i, j, k) * (wv.getDouble(i, j, k) - dot), dx.getDouble(i, j, k), 1e-6);
                }
            }
        }
        assertEquals(0, sd.getFunction("grad").getOps().values().stream()
                .filter(o -> o.getOp().opName().equals("softmax_bp")).count(), "no softmax_bp reading the input");
    }
}
