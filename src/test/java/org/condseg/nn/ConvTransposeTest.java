package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ConvTranspose2d against its definition, scattered in plain Java: out[o, y·s + i − p, x·s + j − p] += in[c, y, x] ·
 * w[c, o, i, j] (+ bias), cropped to PyTorch's output size. The backend's deconv2d kernel is its own code (oneDNN in
 * the default build), so it is checked by value here.
 */
class ConvTransposeTest {
    @ParameterizedTest
    @CsvSource({"3,2,1,1", "4,2,1,0", "3,1,1,0", "2,2,0,0"})
    void matchesTheDefinition(int k, int stride, int pad, int outPad) {
        int cin = 3;
        int cout = 2;
        int h = 5;
        int w = 4;
        for (GraphMode mode : GraphMode.values()) {
            SameDiff sd = SameDiff.create();
            Scope root = Scope.root(sd, mode, 7);
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, 1, cin, h, w);
            SDVariable y = ConvTranspose.apply(root.child("up"), x, cin, cout, k, stride, pad, outPad, true);
            INDArray xv = Nd4j.rand(DataType.FLOAT, 1, cin, h, w).subi(0.5);
            INDArray out = y.eval(Map.of("x", xv));
            INDArray wt = sd.getArrForVarName("up.weight"); // [in,out,k,k]
            INDArray bias = sd.getArrForVarName("up.bias");
            int oh = (h - 1) * stride - 2 * pad + k + outPad;
            int ow = (w - 1) * stride - 2 * pad + k + outPad;
            assertArrayEquals(new long[] {1, cout, oh, ow}, out.shape(), mode.name());
            double[][][] ref = new double[cout][oh][ow];
            for (int c = 0; c < cin; c++) {
                for (int yy = 0; yy < h; yy++) {
                    for (int xx = 0; xx < w; xx++) {
                        for (int o = 0; o < cout; o++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    int r = yy * stride + i - pad;
                                    int q = xx * stride + j - pad;
                                    if (r >= 0 && r < oh && q >= 0 && q < ow) {
                                        ref[o][r][q] += xv.getDouble(0, c, yy, xx) * wt.getDouble(c, o, i, j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (int o = 0; o < cout; o++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        assertEquals(ref[o][r][q] + bias.getDouble(o), out.getDouble(0, o, r, q), 1e-5,
                                mode + " k" + k + " s" + stride + " at " + o + "," + r + "," + q);
                    }
                }
            }
        }
    }
}
