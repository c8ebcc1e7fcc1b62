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

/** The im2col convolution against libnd4j's conv2d: outputs and gradients, at two input sizes on one graph. */
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
            SDVariable y = impl == 0 ? Conv.apply(xv, w, b, k, stride, pad, dil, true)
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

    @Test
    void autoAndNativeUseConv2dAndIm2colIsForcedEverywhere() {
        assertFalse(Conv.useIm2col(ConvImpl.AUTO, true, 64, 64, 3, 1, 1));
        assertFalse(Conv.useIm2col(ConvImpl.AUTO, false, 256, 64, 1, 1, 1));
        assertFalse(Conv.useIm2col(ConvImpl.NATIVE, true, 64, 64, 3, 1, 1));
        assertTrue(Conv.useIm2col(ConvImpl.IM2COL, false, 256, 512, 1, 2, 1));
        assertTrue(Conv.useIm2col(ConvImpl.IM2COL, true, 3, 64, 7, 2, 1));
    }

    @Test
    void implNamesParseAndBadOnesNameTheKey() {
        assertEquals(ConvImpl.IM2COL, ConvImpl.parse(" Im2Col ", "model.convImpl"));
        assertEquals(ConvImpl.AUTO, ConvImpl.parse("auto", "model.convImpl"));
        UserError e = assertThrows(UserError.class, () -> ConvImpl.parse("fast", "model.convImpl"));
        assertTrue(e.getMessage().contains("model.convImpl") && e.getMessage().contains("fast"), e.getMessage());
    }
}
