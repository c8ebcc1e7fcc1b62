package org.condseg.model.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.nn.GraphMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** U-Net family: parameter counts derived by hand at the standard widths, deep-supervision outputs, the gate. */
class CompareModelsTest {
    private static ModelConfig cfg(String name, int width, boolean ds) {
        ModelConfig c = new ModelConfig();
        c.name = name;
        c.width = width;
        c.deepSupervision = ds;
        return c;
    }

    /*
     * Hand count at width 128 → c = 64, 128, 256, 512, 1024. A double conv DC(i→o) is two 3×3 convs without bias
     * plus two BN (γ, β): 9·i·o + 9·o·o + 4·o = 9·o·(i+o) + 4·o.
     *   contracting path E = DC(3→64) + DC(64→128) + DC(128→256) + DC(256→512) + DC(512→1024)
     *     = 38,848 + 221,696 + 885,760 + 3,540,992 + 14,159,872 = 18,847,168
     *   U-Net decoder D = DC(1536→512) + DC(768→256) + DC(384→128) + DC(192→64)
     *     = 9,439,232 + 2,360,320 + 590,336 + 147,712 = 12,537,600
     *   head 1×1 (64→1, bias) = 65
     *   U-Net = 18,847,168 + 12,537,600 + 65 = 31,384,833
     * U-Net++: X^{i,j} = DC(j·c_i + c_{i+1} → c_i) = 9·c_i²·(j+3) + 4·c_i (since c_{i+1} = 2·c_i):
     *   i=0 (j=1..4): 9·4096·(4+5+6+7) + 4·64·4 = 811,008 + 1,024 = 812,032
     *   i=1 (j=1..3): 9·16384·(4+5+6) + 4·128·3 = 2,211,840 + 1,536 = 2,213,376
     *   i=2 (j=1..2): 9·65536·(4+5) + 4·256·2 = 5,308,416 + 2,048 = 5,310,464
     *   i=3 (j=1):    9·262144·4 + 4·512 = 9,437,184 + 2,048 = 9,439,232
     *   nested total 17,775,104; U-Net++ = 18,847,168 + 17,775,104 + 65 = 36,622,337; deep supervision has four
     *   heads instead of one: + 3·65 = 36,622,532.
     * Attention gate at skip width c (F_int = c/2, gating width 2c): W_x 2×2 c→F no bias 4·c·F = 2c²,
     *   W_g 1×1 2c→F + bias = c² + c/2, ψ F→1 + bias = c/2 + 1: 3c² + c + 1
     *   = 12,353 + 49,281 + 196,865 + 786,945 = 1,045,444 for c = 64..512;
     *   Attention U-Net = 31,384,833 + 1,045,444 = 32,430,277.
     */
    @ParameterizedTest
    @CsvSource({"unet,false,31384833", "unetpp,false,36622337", "unetpp,true,36622532", "attention_unet,false,32430277"})
    void parameterCountsAtStandardWidthsMatchTheHandCount(String name, boolean ds, long expected) {
        BuiltModel m = ModelRegistry.build(cfg(name, 128, ds), GraphMode.EVAL, false);
        assertEquals(expected, m.parameterCount());
        assertTrue(m.encoderParams().isEmpty(), "no parameter of " + name + " is an encoder parameter");
        assertEquals(List.of(64L, 3L, 3L, 3L), java.util.Arrays.stream(m.sd.getVariable(m.trainableParams().get(0))
                .getShape()).boxed().toList(), "first conv: 3 → 64 at width 128");
    }

    @Test
    void deepSupervisionDeclaresFourFullSizeSidesAveragedIntoTheMask() {
        BuiltModel m = ModelRegistry.build(cfg("unetpp", 8, true), GraphMode.EVAL, false);
        assertEquals(List.of("mask", "mask_logit", "side1", "side1_logit", "side2", "side2_logit", "side3",
                "side3_logit", "side4", "side4_logit"), m.outputs());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 48, 32);
        Map<String, INDArray> out = m.output(x, m.outputs().toArray(new String[0]));
        INDArray sum = Nd4j.zeros(DataType.FLOAT, 2, 1, 48, 32);
        for (int j = 1; j <= 4; j++) {
            INDArray l = out.get("side" + j + "_logit");
            assertArrayEquals(new long[] {2, 1, 48, 32}, l.shape(), "side" + j + "_logit");
            INDArray p = out.get("side" + j);
            assertTrue(p.minNumber().doubleValue() > 0 && p.maxNumber().doubleValue() < 1);
            sum.addi(l);
        }
        assertTrue(sum.div(4).equalsWithEps(out.get("mask_logit"), 1e-5), "mask_logit is the mean of the sides");
        // the heads are distinct: X^{0,1} and X^{0,4} differ
        assertTrue(out.get("side1_logit").sub(out.get("side4_logit")).amaxNumber().doubleValue() > 1e-4);
        // without deep supervision: only mask and mask_logit
        assertEquals(List.of("mask", "mask_logit"), ModelRegistry.build(cfg("unetpp", 8, false), GraphMode.EVAL, false)
                .outputs());
    }

    @Test
    void attentionGateScalesEverySkipByItsCoefficientMap() {
        BuiltModel m = ModelRegistry.build(cfg("attention_unet", 8, false), GraphMode.EVAL, false);
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 32, 48);
        int[] c = UNetBlocks.widths(cfg("attention_unet", 8, false));
        for (int i = 0; i < 4; i++) {
            String a = "att" + i;
            String skipName = m.taps().get("conv" + i + "_0").name();
            String alphaName = m.taps().get(a + ".alpha").name();
            String gatedName = m.taps().get(a).name();
            Map<String, INDArray> out = m.output(x, skipName, alphaName, gatedName);
            INDArray alpha = out.get(alphaName);
            long h = 32 >> i;
            long w = 48 >> i;
            assertArrayEquals(new long[] {1, 1, h, w}, alpha.shape(), a);
            assertTrue(alpha.minNumber().doubleValue() > 0 && alpha.maxNumber().doubleValue() < 1, a);
            INDArray skip = out.get(skipName);
            assertArrayEquals(new long[] {1, c[i], h, w}, skip.shape());
            INDArray expect = skip.mul(alpha.broadcast(1, c[i], h, w));
            assertTrue(expect.equalsWithEps(out.get(gatedName), 1e-6), a + " = α·x");
        }
    }

    @Test
    void cdfaKeysDoNotConstrainTheComparisonNetworks() {
        ModelConfig c = cfg("unet", 12, false); // 12 is not divisible by the 8 CDFA heads
        c.cdfa.window = 4; // even: invalid for ConDSeg
        c.encoder = "none";
        BuiltModel m = ModelRegistry.build(c, GraphMode.EVAL, false);
        assertArrayEquals(new long[] {1, 1, 16, 16},
                m.output(Nd4j.zeros(DataType.FLOAT, 1, 3, 16, 16), "mask").get("mask").shape());
    }
}
