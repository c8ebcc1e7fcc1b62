package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** FlatCopy against libnd4j's reshape: lengths that do not split evenly, what it refuses, and a graph's reshapes. */
class FlatCopyTest {
    @Test
    void copiesEqualTheLibrarysReshapeWhateverTheLength() {
        assertTrue(FlatCopy.enabled(), "CPU backend: reshapes should be copied in Java");
        Nd4j.getRandom().setSeed(8);
        // CDFA's [B·heads·HW, 9, 32] product back to [B, heads, HW, 9, 32]; and lengths no 64-byte split divides
        long[][][] cases = {{{4096, 9, 32}, {2, 2, 1024, 9, 32}}, {{65_537}, {1, 65_537}}, {{7, 97, 101}, {679, 101}}};
        for (long[][] c : cases) {
            INDArray x = Nd4j.randn(DataType.FLOAT, c[0]);
            INDArray got = Nd4j.create(DataType.FLOAT, c[1]).addi(Float.NaN);
            assertTrue(FlatCopy.handles(x, got, new long[] {-'c'}), java.util.Arrays.toString(c[1]));
            FlatCopy.copy(x, got);
            assertEquals(x.reshape('c', c[1]), got, java.util.Arrays.toString(c[1]));
        }
    }

    @Test
    void refusesWhatIsNotAFlatCopy() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 256, 512);
        INDArray z = Nd4j.create(DataType.FLOAT, 512, 256);
        long[] c = {-'c'};
        assertTrue(FlatCopy.handles(x, z, c));
        assertFalse(FlatCopy.handles(x, z, new long[] {-'f'}), "column-major reshape");
        assertFalse(FlatCopy.handles(x, z, new long[0]), "order not given");
        assertFalse(FlatCopy.handles(x.transpose(), z, c), "transposed input");
        assertFalse(FlatCopy.handles(x, Nd4j.create(DataType.FLOAT, new long[] {512, 256}, 'f'), c), "f-order output");
        assertFalse(FlatCopy.handles(x.castTo(DataType.DOUBLE), Nd4j.create(DataType.DOUBLE, 512, 256), c), "double");
        assertFalse(FlatCopy.handles(Nd4j.rand(DataType.FLOAT, 64, 64), Nd4j.create(DataType.FLOAT, 4096), c),
                "small enough for libnd4j");
        assertFalse(FlatCopy.handles(x, Nd4j.create(DataType.FLOAT, 512, 255), c), "length");
        assertFalse(FlatCopy.handles(Nd4j.rand(DataType.FLOAT, 3, 131_072).getRow(1, true), z, c),
                "a view with a buffer of its own offset");
    }

    @Test
    void aGraphsLargeReshapesAndTheirGradientsGoThroughTheSession() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, 2, 64, 32, 32);
        SDVariable w = sd.var("w", Nd4j.randn(DataType.FLOAT, 1, 64, 32, 32));
        SDVariable r = sd.reshape(in.mul(w), 2, 64 * 32, 32); // 131,072 elements each way
        sd.setLossVariables(r.mul(r).sum("loss"));
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 64, 32, 32);
        long before = FlatCopy.runs();
        Map<String, INDArray> g = Graphs.gradients(sd, Map.of("in", x), java.util.List.of("w"));
        assertTrue(FlatCopy.runs() - before >= 2, "the reshape and its gradient's: " + (FlatCopy.runs() - before));
        INDArray want = x.mul(x).mul(sd.getArrForVarName("w")).mul(2).sum(0).reshape(1, 64, 32, 32);
        assertTrue(want.equalsWithEps(g.get("w"), 1e-4), "d/dw of Σ(x·w)² = Σ_b 2x²w");
    }
}
