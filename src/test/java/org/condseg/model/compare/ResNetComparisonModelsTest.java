package org.condseg.model.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.nn.GraphMode;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Paper-scale parameter counts (worked out by hand below) and input sizes of the comparison networks. */
class ResNetComparisonModelsTest {
    private static ModelConfig cfg(String name, String encoder, int width) {
        ModelConfig c = new ModelConfig();
        c.name = name;
        c.encoder = encoder;
        c.width = width;
        return c;
    }

    private static long count(BuiltModel m, boolean encoder) {
        long n = 0;
        for (String p : m.trainableParams()) {
            if (m.isEncoder(p) == encoder) {
                n += Arrays.stream(m.sd().getVariable(p).getShape()).reduce(1L, (a, b) -> a * b);
            }
        }
        return n;
    }

    /*
     * Encoders with layer4, torchvision counts without fc: ResNet-34 21,797,672 − 513,000 = 21,284,672;
     * ResNet-50 25,557,032 − 2,049,000 = 23,508,032.
     *
     * PraNet (c = 32): RFB(in) = 5·(32·in + 64) [the four 1×1 and conv_res] + (3072+64)·2 + 9280 [k=1]
     *   + (5120+64)·2 + 9280 [k=2] + (7168+64)·2 + 9280 [k=3] + 36,928 [conv_cat] = 160·in + 96,192:
     *   in 512, 1024, 2048 → 178,112 + 260,032 + 423,872 = 862,016. aggregation: conv_upsample1..4 4·9,280 =
     *   37,120 + 36,992 (up5) + 36,992 (concat2) + 83,136 (concat3) + 83,136 (conv4) + 97 (conv5) = 277,473.
     *   ra4: 524,800 + 3·(256·256·25 + 512) + 258 = 5,441,794; ra3: 65,664 + 2·36,992 + 578 = 140,226;
     *   ra2: 32,896 + 73,984 + 578 = 107,458. Head: 6,828,967 (+ ResNet-50 and Res2Net's unused fc ≈ the
     *   paper's 32.55 M with Res2Net-50).
     *
     * CE-Net: DAC 3·(512²·9 + 512) + (512² + 512) = 7,342,080; RMP conv 513; decoders (m = in/4):
     *   516→256 (m 129) 250,899; 256→128 62,208; 128→64 15,744; 64→64 4,640; finaldeconv1 64·32·16 + 32 = 32,800;
     *   finalconv2 9,248; finalconv3 289. Head 7,718,421; total 29,003,093 (paper: 29 M).
     *
     * CPFNet: GPG_4 1,180,160 + 590,336 + 2·137,216 + 131,584 = 2,176,512; GPG_3 590,080 + 295,168 + 147,712
     *   + 3·53,632 + 49,408 = 1,243,264; GPG_2 295,040 + 147,584 + 73,856 + 36,992 + 4·19,328 + 16,512 = 647,296;
     *   SAPF 2,359,808 + 3,072 + 524,800 + 1,179,904 + 4,610 + 263,168 + 1 = 4,335,363; decoders 131,584 +
     *   623,360 + 156,032 + 41,216; head 11,425. Head 9,366,052; total 30,650,724 (paper: 30.65 M).
     */
    @ParameterizedTest
    @CsvSource({"pranet,resnet50,23508032,6828967", "cenet,resnet34,21284672,7718421",
            "cpfnet,resnet34,21284672,9366052"})
    void paperScaleParameterCounts(String name, String encoder, long enc, long head) {
        BuiltModel m = ModelRegistry.build(cfg(name, encoder, 128), GraphMode.EVAL, false);
        assertEquals(enc, count(m, true));
        assertEquals(head, count(m, false));
    }

    @ParameterizedTest
    @CsvSource({"pranet", "cpfnet"})
    void sidesThatAreMultiplesOf16Work(String name) {
        BuiltModel m = ModelRegistry.build(cfg(name, "resnet18", 8), GraphMode.EVAL, false);
        INDArray out = m.output(Nd4j.rand(DataType.FLOAT, 1, 3, 48, 80), "mask").get("mask");
        assertArrayEquals(new long[] {1, 1, 48, 80}, out.shape()); // stride-32 maps of 2×3 (ceil of 1.5×2.5)
    }

    @Test
    void conDSegChecksDoNotApplyButTheEncoderMustBeAResNet() {
        ModelConfig c = cfg("pranet", "resnet18", 10);
        c.cdfa.heads = 4; // 10 is not divisible by 4: only ConDSeg's CDFA cares
        ModelRegistry.validate(c);
        assertEquals(2, Widths.scale(32, 10));
        assertEquals(4, Widths.scale(32, 16));
        assertEquals(256, Widths.scale(256, 128));
        assertThrows(UserError.class, () -> ModelRegistry.validate(cfg("cenet", "vgg", 16)));
    }
}
