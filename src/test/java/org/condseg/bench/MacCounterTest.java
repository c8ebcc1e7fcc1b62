package org.condseg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.condseg.nn.Bilinear;
import org.condseg.nn.Conv;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Linear;
import org.condseg.nn.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** MAC counts of single ops against hand-computed values. */
class MacCounterTest {
    @ParameterizedTest
    @EnumSource(GraphMode.class)
    void convolutions(GraphMode mode) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, 0);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 1, 3, 10, 12);
        // 3→5, 3×3, stride 2, padding 1: out 5×6 → 5·5·6 outputs × 3·9 = 4,050 MACs (bias not counted)
        SDVariable a = Conv.conv2d(root.child("enc").child("a"), x, 3, 5, 3, 2, 1, 1, true);
        // 3→4, 3×3, dilation 2, padding 2: out 10×12 → 4·120 × 27 = 12,960
        SDVariable b = Conv.conv2d(root.child("dec").child("b"), x, 3, 4, 3, 1, 2, 2, false);
        // depth-wise 4 channels 3×3 on b: 480 outputs × 9 = 4,320
        SDVariable c = Conv.depthwise(root.child("dec").child("dw"), b, 4, 3);
        MacCounter.Result r = MacCounter.count(sd, Map.of("x", Nd4j.rand(DataType.FLOAT, 1, 3, 10, 12)),
                a.name(), c.name());
        assertEquals(4_050 + 12_960 + 4_320, r.conv());
        assertEquals(0, r.matmul());
        assertEquals(Map.of("enc", 4_050L, "dec", 17_280L), r.byModule());
    }

    @Test
    void matmulsAndResizing() {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, GraphMode.EVAL, 0);
        SDVariable t = sd.placeHolder("t", DataType.FLOAT, 6, 7);
        // Linear 7→4 on 6 tokens: 6·4 outputs × 7 = 168 MACs
        SDVariable y = Linear.apply(root.child("aux_head").child("fc"), t, 7, 4, true);
        // batched product of two activations [2,3,5]·[2,5,4]: 24 outputs × 5 = 120
        SDVariable p = sd.placeHolder("p", DataType.FLOAT, 2, 3, 5);
        SDVariable q = sd.placeHolder("q", DataType.FLOAT, 2, 5, 4);
        SDVariable pq = sd.mmul(p, q);
        // bilinear ×2 of [1,2,4,4]: [8,4]·[4,8] (256) then [16,4]·[4,8] (512) = 768, reported apart
        SDVariable m = sd.placeHolder("m", DataType.FLOAT, 1, 2, 4, 4);
        SDVariable up = Bilinear.up(root, m, 2, 2, 2);
        MacCounter.Result r = MacCounter.count(sd, Map.of("t", Nd4j.rand(DataType.FLOAT, 6, 7), "p",
                Nd4j.rand(DataType.FLOAT, 2, 3, 5), "q", Nd4j.rand(DataType.FLOAT, 2, 5, 4), "m",
                Nd4j.rand(DataType.FLOAT, 1, 2, 4, 4)), y.name(), pq.name(), up.name());
        assertEquals(168 + 120, r.matmul());
        assertEquals(768, r.resize());
        assertEquals(168 + 120, r.total());
        assertEquals(168, r.aux());
        assertEquals(120, r.withoutAux());
        assertEquals(Map.of("aux_head", 168L, "(attention)", 120L), r.byModule());
    }
}
