package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SmallMatmul against libnd4j's matmul: every combination of transposed operands, CDFA's sides and odd ones, a batch
 * that is not a multiple of the block and is split between threads; what it refuses; and a graph run by
 * {@link KernelSession}, whose forward product and both gradient products go through it.
 */
class SmallMatmulTest {
    @Test
    void productsMatchTheLibrarysForEveryTransposeAndSide() {
        assertTrue(SmallMatmul.enabled(), "CPU backend: products should be computed in Java");
        Nd4j.getRandom().setSeed(5);
        int n = 301;
        int[][] sides = {{9, 9, 32}, {9, 32, 9}, {1, 5, 3}, {13, 7, 17}, {64, 64, 64}, {8, 1, 8}};
        for (int[] s : sides) {
            int m = s[0];
            int k = s[1];
            int p = s[2];
            for (int t = 0; t < 4; t++) {
                boolean tA = (t & 1) != 0;
                boolean tB = (t & 2) != 0;
                INDArray a = tA ? Nd4j.randn(DataType.FLOAT, n, k, m) : Nd4j.randn(DataType.FLOAT, n, m, k);
                INDArray b = tB ? Nd4j.randn(DataType.FLOAT, n, p, k) : Nd4j.randn(DataType.FLOAT, n, k, p);
                INDArray want = Nd4j.matmul(a, b, tA, tB, false);
                INDArray got = Nd4j.zeros(DataType.FLOAT, n, m, p).addi(Float.NaN);
                assertTrue(SmallMatmul.handles(a, b, got, tA, tB, false, 1.0, 0.0));
                SmallMatmul.multiply(a, b, got, tA, tB);
                double diff = want.sub(got).amaxNumber().doubleValue();
                String what = m + "x" + k + "x" + p + " tA=" + tA + " tB=" + tB;
                assertTrue(diff <= 1e-5 * Math.sqrt(k) * Math.max(1, want.amaxNumber().doubleValue()), what + ": " + diff);
            }
        }
    }

    @Test
    void refusesWhatItDoesNotCompute() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 4, 9, 9);
        INDArray b = Nd4j.rand(DataType.FLOAT, 4, 9, 32);
        INDArray c = Nd4j.create(DataType.FLOAT, 4, 9, 32);
        assertTrue(SmallMatmul.handles(a, b, c, false, false, false, 1.0, 0.0));
        assertFalse(SmallMatmul.handles(a, b, c, false, false, true, 1.0, 0.0), "transposed result");
        assertFalse(SmallMatmul.handles(a, b, c, false, false, false, 2.0, 0.0), "alpha");
        assertFalse(SmallMatmul.handles(a, b, c, false, false, false, 1.0, 1.0), "beta");
        assertFalse(SmallMatmul.handles(a, b, Nd4j.create(DataType.FLOAT, 4, 9, 31), false, false, false, 1, 0),
                "output shape");
        assertFalse(SmallMatmul.handles(a, Nd4j.rand(DataType.FLOAT, 3, 9, 32), Nd4j.create(DataType.FLOAT, 3, 9, 32),
                false, false, false, 1, 0), "batch");
        assertFalse(SmallMatmul.handles(a, b.permute(0, 2, 1).dup('c').permute(0, 2, 1), c, false, false, false, 1, 0),
                "strided operand");
        assertFalse(SmallMatmul.handles(a.castTo(DataType.DOUBLE), b.castTo(DataType.DOUBLE),
                c.castTo(DataType.DOUBLE), false, false, false, 1, 0), "double");
        assertFalse(SmallMatmul.handles(Nd4j.rand(DataType.FLOAT, 2, 65, 9), Nd4j.rand(DataType.FLOAT, 2, 9, 4),
                Nd4j.create(DataType.FLOAT, 2, 65, 4), false, false, false, 1, 0), "side over 64");
        assertFalse(SmallMatmul.handles(Nd4j.rand(DataType.FLOAT, 9, 9), Nd4j.rand(DataType.FLOAT, 9, 32),
                Nd4j.create(DataType.FLOAT, 9, 32), false, false, false, 1, 0), "rank 2");
    }

    @Test
    void sessionComputesGraphProductsHere() {
        Nd4j.getRandom().setSeed(8);
        INDArray av = Nd4j.randn(DataType.FLOAT, 200, 9, 9);
        INDArray bv = Nd4j.randn(DataType.FLOAT, 200, 9, 32);
        INDArray wv = Nd4j.randn(DataType.FLOAT, 200, 9, 32);
        SameDiff sd = SameDiff.create();
        SDVariable a = sd.var("a", av.dup());
        SDVariable b = sd.var("b", bv.dup());
        SDVariable w = sd.var("w", wv.dup());
        sd.mmul("ab", a, b);
        sd.mmul("wbT", w, b, false, true, false); // CDFA's gradient products (ColumnProduct)
        sd.mmul("aTw", a, w, true, false, false);
        KernelSession.install(sd);
        long before = SmallMatmul.products();
        Map<String, INDArray> out = sd.output(Map.of(), "ab", "wbT", "aTw");
        assertTrue(SmallMatmul.products() - before == 3, "products computed here: " + (SmallMatmul.products() - before));
        Map<String, INDArray> want = Map.of("ab", Nd4j.matmul(av, bv), "wbT", Nd4j.matmul(wv, bv, false, true, false),
                "aTw", Nd4j.matmul(av, wv, true, false, false));
        for (String n : want.keySet()) {
            assertArrayEquals(want.get(n).shape(), out.get(n).shape(), n);
            assertTrue(want.get(n).sub(out.get(n)).amaxNumber().doubleValue() < 1e-4, n);
        }
    }
}
