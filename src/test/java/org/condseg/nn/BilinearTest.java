package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.condseg.parity.TensorCompare;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BilinearTest {
    static final Path DIR = Path.of("..", "shared", "golden", "modules", "bilinear");

    @Test
    void dynamicUpsamplingMatchesPytorchAlignCorners() {
        INDArray x = TensorCompare.load(DIR.resolve("x.npy")); // [2,3,5,7]
        SameDiff sd = SameDiff.create();
        Scope s = Scope.root(sd, GraphMode.EVAL, 0);
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 3, -1, -1);
        s.geometry().anchor(4, in);
        SDVariable up2 = Bilinear.up(s, in, 3, 4, 2);
        SDVariable up4 = Bilinear.up(s, in, 3, 4, 4);
        Map<String, INDArray> out = sd.output(Map.of("x", x), up2.name(), up4.name());
        check(out.get(up2.name()), TensorCompare.load(DIR.resolve("scale2.npy")));
        check(out.get(up4.name()), TensorCompare.load(DIR.resolve("scale4.npy")));
    }

    @Test
    void staticResizeToSizeMatchesPytorch() {
        INDArray x = TensorCompare.load(DIR.resolve("x.npy"));
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 3, 5, 7);
        SDVariable y = Bilinear.toSize(sd, in, 3, 5, 7, 13, 11);
        check(sd.output(Map.of("x", x), y.name()).get(y.name()), TensorCompare.load(DIR.resolve("size13x11.npy")));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Nd4j.getRandom().setSeed(7);
        INDArray x0 = Nd4j.rand(DataType.FLOAT, 1, 2, 3, 4);
        INDArray r = Nd4j.randn(DataType.FLOAT, 1, 2, 6, 8);
        SameDiff sd = SameDiff.create();
        Scope s = Scope.root(sd, GraphMode.TRAIN, 0);
        SDVariable x = sd.var("x", x0.dup());
        s.geometry().anchor(2, x);
        SDVariable loss = Bilinear.up(s, x, 2, 2, 2).mul(sd.constant(r)).sum().rename("loss");
        sd.setLossVariables(loss);
        INDArray g = Graphs.gradients(sd, Map.of(), List.of("x")).get("x");
        assertArrayEquals(x0.shape(), g.shape());
        // the interpolation matrices need no gradient: each product is differentiated for its left operand only
        assertTrue(sd.getFunction("grad").getOps().values().stream()
                .noneMatch(op -> "matmul_bp".equals(op.getOp().opName())), "a matmul_bp in the bilinear gradient");
        // the map is linear in x, so a central difference with a unit step is exact up to rounding
        for (int i = 0; i < x0.length(); i++) {
            INDArray xp = x0.dup();
            xp.putScalar(i, xp.getDouble(i) + 1.0);
            INDArray xm = x0.dup();
            xm.putScalar(i, xm.getDouble(i) - 1.0);
            sd.getVariable("x").setArray(xp);
            double lp = sd.output(Map.of(), "loss").get("loss").getDouble(0);
            sd.getVariable("x").setArray(xm);
            double lm = sd.output(Map.of(), "loss").get("loss").getDouble(0);
            double fd = (lp - lm) / 2.0;
            assertTrue(Math.abs(fd - g.getDouble(i)) < 1e-4 * (1 + Math.abs(fd)), "element " + i + ": fd " + fd
                    + " vs grad " + g.getDouble(i));
        }
    }

    @Test
    void javaMatrixRowsAreConvexWeights() {
        INDArray m = Bilinear.matrix(5, 10);
        INDArray rows = m.sum(1);
        assertTrue(rows.sub(1.0).amaxNumber().doubleValue() < 1e-6);
        assertTrue(Math.abs(m.getDouble(0, 0) - 1.0) < 1e-7 && Math.abs(m.getDouble(9, 4) - 1.0) < 1e-7);
    }

    static void check(INDArray got, INDArray ref) {
        assertArrayEquals(ref.shape(), got.shape());
        double err = TensorCompare.maxAbsDiff(got, ref);
        assertTrue(err <= 1e-5 * TensorCompare.maxAbs(ref), "max-abs error " + err);
    }
}
