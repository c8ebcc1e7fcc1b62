package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Add against the definition: z = x + y (same shapes) and z = x + b (b [1,C,1,1]); for L = Σ w·z,
 * dL/dx = dL/dy = w and dL/db = Σ over batch and space of w. Marked adds get no add_bp (which reads both operands);
 * an unmarked add still differentiates as the library's.
 */
class AddTest {
    @Test
    void sameShapeAndBiasAddsMatchTheDefinitionWithoutReadingTheirOperands() {
        Nd4j.getRandom().setSeed(9);
        int b = 2, c = 3, h = 4, w = 5;
        INDArray xv = Nd4j.rand(DataType.FLOAT, b, c, h, w).subi(0.5);
        INDArray yv = Nd4j.rand(DataType.FLOAT, b, c, h, w).subi(0.5);
        INDArray bv = Nd4j.rand(DataType.FLOAT, 1, c, 1, 1);
        INDArray wv = Nd4j.rand(DataType.FLOAT, b, c, h, w);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", xv.dup());
        SDVariable y = sd.var("y", yv.dup());
        SDVariable bias = sd.var("b", bv.dup());
        SDVariable z = Add.broadcast(Add.same(x.mul(1.0), y.mul(1.0)), bias.mul(1.0), 0, 2, 3).rename("z");
        z.mul(sd.constant("w", wv)).sum().rename("loss");
        sd.setLossVariables("loss");
        INDArray out = sd.output(Map.of(), "z").get("z");
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "x", "y", "b");
        double[] db = new double[c];
        for (int i = 0; i < b; i++) for (int j = 0; j < c; j++) for (int r = 0; r < h; r++) for (int q = 0; q < w; q++) {
            double expect = xv.getDouble(i, j, r, q) + yv.getDouble(i, j, r, q) + bv.getDouble(0, j, 0, 0);
            assertEquals(expect, out.getDouble(i, j, r, q), 1e-6, "z");
            assertEquals(wv.getDouble(i, j, r, q), g.get("x").getDouble(i, j, r, q), 1e-6, "dx");
            assertEquals(wv.getDouble(i, j, r, q), g.get("y").getDouble(i, j, r, q), 1e-6, "dy");
            db[j] += wv.getDouble(i, j, r, q);
        }
        for (int j = 0; j < c; j++) {
            assertEquals(db[j], g.get("b").getDouble(0, j, 0, 0), 1e-5, "db");
        }
        SameDiff grad = sd.getFunction("grad");
        assertEquals(0, grad.getOps().values().stream().filter(o -> o.getOp().opName().equals("add_bp")).count(),
                "marked adds need no add_bp");
    }

    @Test
    void anUnmarkedAddDifferentiatesAsTheLibrarys() {
        INDArray xv = Nd4j.rand(DataType.FLOAT, 2, 3);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", xv.dup());
        SDVariable y = sd.var("y", Nd4j.rand(DataType.FLOAT, 1, 3));
        x.add(y).mul(x).sum().rename("loss"); // d/dx = 2x + y, d/dy = Σ over rows of x
        sd.setLossVariables("loss");
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), "x", "y");
        assertEquals(xv.mul(2).addRowVector(sd.getVariable("y").getArr()), g.get("x"));
        assertEquals(xv.sum(true, 0).toString(), g.get("y").toString());
        assertTrue(sd.getFunction("grad").getOps().values().stream().anyMatch(o -> o.getOp().opName().equals("add_bp")));
    }
}
