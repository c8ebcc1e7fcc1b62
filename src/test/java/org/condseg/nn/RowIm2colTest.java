package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** RowIm2col against libnd4j's im2col: CDFA's unfold, dilated columns, odd sides and paddings; refusals; a graph. */
class RowIm2colTest {
    /** libnd4j's columns of x for [kH, kW, sH, sW, pH, pW, dH, dW, same]. */
    private static INDArray library(INDArray x, long[] a, long oh, long ow) {
        INDArray z = Nd4j.create(DataType.FLOAT, x.size(0), x.size(1), a[0], a[1], oh, ow);
        Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(x).addOutputs(z).addIntegerArguments(
                java.util.Arrays.stream(a).mapToInt(Math::toIntExact).toArray()).build());
        return z;
    }

    @Test
    void columnsEqualTheLibrarysForEveryWindowPaddingAndDilation() {
        assertTrue(RowIm2col.enabled(), "CPU backend: im2col should be computed in Java");
        Nd4j.getRandom().setSeed(12);
        // {B, C, H, W, kH, kW, pH, pW, dH, dW}: CDFA (K 3, pad 1), the dilated convs (pad = dilation), K 5 and 7, a
        // padding smaller than the window's reach (narrower output), a padding larger (wider), a 1×1 window
        int[][] cases = {{2, 3, 9, 11, 3, 3, 1, 1, 1, 1}, {1, 4, 16, 16, 3, 3, 3, 3, 3, 3}, {2, 2, 7, 5, 5, 5, 2, 2, 1, 1},
            {1, 2, 9, 9, 7, 7, 3, 3, 1, 1}, {1, 2, 10, 12, 3, 3, 0, 1, 2, 1}, {1, 1, 4, 6, 3, 3, 4, 3, 1, 2},
            {2, 2, 5, 5, 1, 1, 0, 0, 1, 1}, {1, 2, 3, 3, 3, 3, 5, 5, 1, 1}};
        for (int[] c : cases) {
            INDArray x = Nd4j.randn(DataType.FLOAT, c[0], c[1], c[2], c[3]);
            long[] a = {c[4], c[5], 1, 1, c[6], c[7], c[8], c[9], 0};
            long oh = c[2] + 2L * c[6] - (long) c[8] * (c[4] - 1);
            long ow = c[3] + 2L * c[7] - (long) c[9] * (c[5] - 1);
            INDArray want = library(x, a, oh, ow);
            INDArray got = Nd4j.create(DataType.FLOAT, want.shape()).addi(Float.NaN);
            String what = java.util.Arrays.toString(c);
            assertTrue(RowIm2col.handles(x, got, a, new double[0]), what);
            RowIm2col.run(x, got, a);
            assertEquals(want, got, what);
        }
    }

    @Test
    void refusesWhatItDoesNotCompute() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 2, 8, 8);
        INDArray z = Nd4j.create(DataType.FLOAT, 1, 2, 3, 3, 8, 8);
        long[] a = {3, 3, 1, 1, 1, 1, 1, 1, 0};
        assertTrue(RowIm2col.handles(x, z, a, new double[0]));
        assertTrue(RowIm2col.handles(x, z, a, new double[] {0.0}), "padding value 0 given");
        assertFalse(RowIm2col.handles(x, z, a, new double[] {1.0}), "padding value 1");
        assertFalse(RowIm2col.handles(x, Nd4j.create(DataType.FLOAT, 1, 2, 3, 3, 4, 4),
                new long[] {3, 3, 2, 2, 1, 1, 1, 1, 0}, new double[0]), "stride 2");
        assertFalse(RowIm2col.handles(x, z, new long[] {3, 3, 1, 1, 1, 1, 1, 1, 1}, new double[0]), "same mode");
        assertFalse(RowIm2col.handles(x, Nd4j.create(DataType.FLOAT, 1, 2, 3, 3, 8, 7), a, new double[0]), "shape");
        assertFalse(RowIm2col.handles(x.permute(0, 1, 3, 2), z, a, new double[0]), "transposed input");
        assertFalse(RowIm2col.handles(x.castTo(DataType.DOUBLE), Nd4j.create(DataType.DOUBLE, 1, 2, 3, 3, 8, 8), a,
                new double[0]), "double");
    }

    @Test
    void aGraphsUnfoldAndItsRecomputationGoThroughTheSession() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, 2, 4, 8, 8);
        SDVariable w = sd.var("w", Nd4j.randn(DataType.FLOAT, 1, 4, 1, 1));
        SDVariable u = Unfold.apply(in.mul(w), 3); // [2,4,3,3,8,8]
        sd.setLossVariables(u.mul(u).sum("loss"));
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 4, 8, 8);
        long before = RowIm2col.runs();
        Map<String, INDArray> g = Graphs.gradients(sd, Map.of("in", x), List.of("w"));
        assertTrue(RowIm2col.runs() - before >= 1, "the unfold: " + (RowIm2col.runs() - before));
        // each input pixel appears in as many windows as its 3×3 neighbourhood has pixels inside the map
        INDArray count = Nd4j.create(DataType.FLOAT, 1, 1, 8, 8);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                int rows = (i == 0 || i == 7) ? 2 : 3;
                int cols = (j == 0 || j == 7) ? 2 : 3;
                count.putScalar(new long[] {0, 0, i, j}, rows * cols);
            }
        }
        // loss = Σ_windows (x·w)², so d/dw_c = Σ_{b,pixels} 2·x²·w_c·count
        INDArray want = x.mul(x).mul(sd.getArrForVarName("w")).mul(count).mul(2).sum(0, 2, 3)
                .reshape(1, 4, 1, 1);
        assertTrue(want.equalsWithEps(g.get("w"), 1e-3), want + " vs " + g.get("w"));
    }
}
