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

/** Softmax along every axis of a rank-4 tensor against the definition computed element by element in Java. */
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
}
