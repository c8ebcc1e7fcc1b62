package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The im2col convolution against libnd4j's conv2d: outputs and gradients, at two input sizes on one graph. A dilated
 * reference is conv2d with the dilated kernel written out (zeros between the taps, placed by a constant matrix so that
 * the weight's gradient flows), since the oneDNN build cannot run dilated conv2d itself.
 */
class ConvTest {
    @ParameterizedTest
    @CsvSource({"1,1,0,1,true", "3,1,1,1,false", "3,1,3,3,false", "3,2,1,1,false", "7,2,3,1,false", "3,1,2,2,true"})
    void im2colEqualsConv2dForwardAndBackward(int k, int stride, int pad, int dil, boolean bias) {
        int cin = 3;
        int cout = 4;
        Map<String, INDArray>[] res = new Map[2];
        for (int impl = 0; impl < 2; impl++) {
            Nd4j.getRandom().setSeed(5);
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, cin, -1, -1);
            SDVariable xv = x.mul(sd.var("s", Nd4j.scalar(DataType.FLOAT, 1.5f))); // the input's gradient flows to s
            SDVariable w = sd.var("w", Nd4j.randn(DataType.FLOAT, cout, cin, k, k));
            SDVariable b = bias ? sd.var("b", Nd4j.randn(DataType.FLOAT, cout)) : null;
            SDVariable y = impl == 0 ? Conv.apply(xv, spread(w, cout, cin, k, dil), b, (k - 1) * dil + 1, stride, pad, 1)
                    : Conv.im2col(xv, w, b, cin, cout, k, stride, pad, dil); // [B,cout,Ho,Wo]
            y.rename("y");
            // a non-uniform weighting so that every output position matters to the gradients
            sd.math().square(y).mul(sd.math().sin(y)).sum().rename("loss");
            sd.setLossVariables("loss");
            java.util.HashMap<String, INDArray> r = new java.util.HashMap<>();
            for (int[] shape : new int[][] {{2, 9, 11}, {1, 6, 6}}) {
                Nd4j.getRandom().setSeed(9);
                Map<String, INDArray> ph = Map.of("x", Nd4j.randn(DataType.FLOAT, shape[0], cin, shape[1], shape[2]));
                String tag = shape[0] + "x" + shape[1];
                r.put("y" + tag, sd.output(ph, "y").get("y"));
                List<String> wrt = bias ? List.of("s", "w", "b") : List.of("s", "w");
                Graphs.gradients(sd, ph, wrt).forEach((n, g) -> r.put(n + tag, g));
            }
            res[impl] = r;
        }
        assertEquals(res[0].keySet(), res[1].keySet());
        for (String key : res[0].keySet()) {
            INDArray a = res[0].get(key);
            INDArray c = res[1].get(key);
            assertTrue(java.util.Arrays.equals(a.shape(), c.shape()), key);
            double scale = Math.max(1.0, a.amaxNumber().doubleValue());
            double diff = a.sub(c).amaxNumber().doubleValue();
            // float32 sums in different orders; s's gradient sums every input position (≈ 1e3 terms)
            assertTrue(diff <= 1e-4 * scale, key + ": max difference " + diff + " of " + scale);
        }
    }

    /**
     * The gradient of an im2col convolution recomputes the columns once the output's gradient exists: the forward
     * columns have a single reader (the forward 1×1 conv2d, so they die right after it), conv2d_bp reads a
     * recomputation, and the recomputing im2col waits on the gradient (with the forward columns kept for conv2d_bp
     * they lived until the backward pass). The gradients themselves are checked by
     * {@link #im2colEqualsConv2dForwardAndBackward}.
     */
    @Test
    void im2colGradientRecomputesTheColumns() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3, -1, -1);
        SDVariable w = sd.var("w", Nd4j.randn(DataType.FLOAT, 4, 3, 3, 3));
        SDVariable y = Conv.im2col(x.mul(1.0), w, null, 3, 4, 3, 1, 2, 2);
        y.mul(y).sum().rename("loss");
        sd.setLossVariables("loss");
        Graphs.gradients(sd, Map.of("x", Nd4j.randn(DataType.FLOAT, 2, 3, 7, 8)), List.of("w"));
        SameDiff grad = sd.getFunction("grad");
        var convs = grad.getOps().values().stream().filter(o -> o.getOp().opName().equals("conv2d")).toList();
        assertEquals(1, convs.size(), "one forward conv2d");
        String cols = convs.get(0).getInputsToOp().get(0);
        assertEquals(1, grad.getOps().values().stream().filter(o -> o.getInputsToOp() != null
                && o.getInputsToOp().contains(cols)).count(), "readers of the forward columns " + cols);
        var im2cols = grad.getOps().values().stream().filter(o -> o.getOp().opName().equals("im2col")).toList();
        assertEquals(2, im2cols.size(), "the forward im2col and its recomputation");
        assertTrue(im2cols.stream().anyMatch(o -> o.getControlDeps() != null && !o.getControlDeps().isEmpty()),
                "the recomputation waits for the gradient");
    }

    /** The k×k kernel as a ((k−1)·dil+1)² kernel with zeros between its taps: w · P for a constant 0/1 matrix P. */
    private static SDVariable spread(SDVariable w, int cout, int cin, int k, int dil) {
        if (dil == 1) {
            return w;
        }
        int kk = (k - 1) * dil + 1;
        INDArray place = Nd4j.zeros(DataType.FLOAT, k * k, kk * kk);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                place.putScalar(i * k + j, (long) i * dil * kk + (long) j * dil, 1f);
            }
        }
        SameDiff sd = w.getSameDiff();
        return w.reshape(cout * cin, k * k).mmul(sd.constant(place)).reshape(cout, cin, kk, kk); // [O,C,kk,kk]
    }

    @Test
    void dilatedDepthwiseMatchesTheDirectSum() {
        int c = 2;
        int k = 3;
        int dil = 2;
        INDArray xv = Nd4j.rand(DataType.FLOAT, 1, c, 7, 8);
        INDArray wv = Nd4j.rand(DataType.FLOAT, c, 1, k, k);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, c, -1, -1);
        SDVariable y = Conv.depthwise(x, sd.var("w", wv), null, c, k, dil, dil); // padding = dilation: same size
        INDArray out = y.eval(Map.of("x", xv));
        assertEquals(List.of(1L, (long) c, 7L, 8L), java.util.Arrays.stream(out.shape()).boxed().toList());
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < 7; r++) {
                for (int q = 0; q < 8; q++) {
                    double sum = 0;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            int rr = r + (i - 1) * dil;
                            int qq = q + (j - 1) * dil;
                            if (rr >= 0 && rr < 7 && qq >= 0 && qq < 8) {
                                sum += xv.getDouble(0, ch, rr, qq) * wv.getDouble(ch, 0, i, j);
                            }
                        }
                    }
                    assertEquals(sum, out.getDouble(0, ch, r, q), 1e-5, "channel " + ch + " at " + r + "," + q);
                }
            }
        }
    }

    @Test
    void autoUsesIm2colForDilatedConvsOnlyNativeNeverIm2colAlways() {
        assertFalse(Conv.useIm2col(ConvImpl.AUTO, 1));
        assertTrue(Conv.useIm2col(ConvImpl.AUTO, 6));
        assertTrue(Conv.useIm2col(ConvImpl.AUTO, 2));
        assertFalse(Conv.useIm2col(ConvImpl.NATIVE, 6));
        assertFalse(Conv.useIm2col(ConvImpl.NATIVE, 1));
        assertTrue(Conv.useIm2col(ConvImpl.IM2COL, 1));
    }

    @Test
    void implNamesParseAndBadOnesNameTheKey() {
        assertEquals(ConvImpl.IM2COL, ConvImpl.parse(" Im2Col ", "model.convImpl"));
        assertEquals(ConvImpl.AUTO, ConvImpl.parse("auto", "model.convImpl"));
        UserError e = assertThrows(UserError.class, () -> ConvImpl.parse("fast", "model.convImpl"));
        assertTrue(e.getMessage().contains("model.convImpl") && e.getMessage().contains("fast"), e.getMessage());
    }
}
