package org.condseg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.condseg.nn.BnStat;
import org.condseg.nn.GraphMode;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.VariableType;

/** Registry behaviour and the parameter counts of reference §2 and §13 at paper width. */
class ModelRegistryTest {
    @Test
    void condsegAtPaperWidthHasTheOfficialParameterCountPerModule() {
        BuiltModel m = ModelRegistry.build(new ModelConfig(), GraphMode.EVAL, true);
        assertEquals(45_552_786L, m.parameterCount());
        Map<String, Long> byModule = new LinkedHashMap<>();
        String[][] groups = {{"layer", "encoder"}, {"dconv", "dconv"}, {"decouple_layer", "sid"}, {"aux_head", "aux"},
            {"preprocess_", "preprocess"}, {"cdfa", "cdfa"}, {"decoder_", "decoders"}, {"output_block", "output"}};
        for (String p : m.trainableParams()) {
            long n = Arrays.stream(m.sd.getVariable(p).getShape()).reduce(1L, (a, b) -> a * b);
            for (String[] g : groups) {
                if (p.startsWith(g[0])) {
                    byModule.merge(g[1], n, Long::sum);
                }
            }
        }
        assertEquals(Map.of("encoder", 8_543_296L, "dconv", 9_288_072L, "sid", 15_979_008L, "aux", 3_875_523L,
                "preprocess", 2_954_240L, "cdfa", 3_272_224L, "decoders", 1_041_702L, "output", 598_721L), byModule);
        // BN running statistics are constants, never trainable
        for (BnStat s : m.bnStats()) {
            assertEquals(VariableType.CONSTANT, m.sd.getVariable(s.runningMean()).getVariableType());
            assertEquals(VariableType.CONSTANT, m.sd.getVariable(s.runningVar()).getVariableType());
            assertFalse(m.trainableParams().contains(s.runningMean()));
        }
        assertEquals(m.trainableParams().size() - 0, m.trainableParams().stream().distinct().count());
        assertTrue(m.encoderParams().contains("layer1.1.0.conv1.weight"));
        assertFalse(m.encoderParams().contains("dconv1.c1.0.conv.0.weight"));
    }

    @Test
    void net0HasTheOfficialParameterCount() {
        ModelConfig c = new ModelConfig();
        c.name = "net0";
        BuiltModel m = ModelRegistry.build(c, GraphMode.EVAL, false);
        assertEquals(8_662_848L, m.parameterCount());
        assertEquals(8_543_296L, m.encoderParams().stream()
                .mapToLong(p -> Arrays.stream(m.sd.getVariable(p).getShape()).reduce(1L, (a, b) -> a * b)).sum());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"resnet18,2782784", "resnet34,8170304", "resnet50,8543296",
        "vgg19,20024384", "vgg19_bn,20035392", "pvt_v2_b2,24849856"})
    void encodersHaveTorchvisionCountsWithoutLayer4AndFc(String encoder, long expected) {
        // torchvision totals 11,689,512 / 21,797,672 / 25,557,032 minus layer4 and fc.
        // VGG: torchvision's vgg19.features has 20,024,384 parameters (143,667,240 in all minus the classifier's
        // 123,642,856); vgg19_bn adds γ, β for its 16 BNs: 2·(2·64 + 2·128 + 4·256 + 8·512) = 11,008.
        // PVT v2-B2 without its head, by hand (C = dim, hid = ratio·C; LN = 2C; linear in·out + out):
        //   patch_embed: 3·64·49+64+128 = 9,600; 64·128·9+128+256 = 74,112; 128·320·9+320+640 = 369,600;
        //                320·512·9+512+1024 = 1,476,096
        //   block = norm1 2C + q (C²+C) + kv (2C²+2C) + proj (C²+C) + [sr (C²·sr²+C) + norm 2C if sr>1]
        //           + norm2 2C + fc1 (C·hid+hid) + dwconv (9·hid+hid) + fc2 (hid·C+C):
        //     stage 1 (C 64, sr 8, hid 512): 350,464 ×3; stage 2 (128, 4, 1024): 602,624 ×4;
        //     stage 3 (320, 2, 1280): 1,656,320 ×6; stage 4 (512, 1, 2048): 3,172,864 ×3
        //   stage norms: 2·(64+128+320+512) = 2,048
        //   stages: 1,061,120 + 2,484,864 + 10,308,160 + 10,995,712 = 24,849,856
        // (with the 1000-class head, 512·1000+1000 more: 25,362,856, the paper's 25.4 M).
        ModelConfig c = new ModelConfig();
        c.name = "net0";
        c.encoder = encoder;
        BuiltModel m = ModelRegistry.build(c, GraphMode.EVAL, false);
        assertEquals(expected, m.encoderParams().stream()
                .mapToLong(p -> Arrays.stream(m.sd.getVariable(p).getShape()).reduce(1L, (a, b) -> a * b)).sum());
    }

    @Test
    void inputsNotDivisibleBy16AreUserErrors() {
        ModelConfig c = new ModelConfig();
        c.name = "net0";
        c.encoder = "resnet18";
        BuiltModel m = ModelRegistry.build(c, GraphMode.EVAL, false);
        UserError e = assertThrows(UserError.class,
                () -> m.output(org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 40, 48)));
        assertTrue(e.getMessage().contains("40x48"), e.getMessage());
        assertEquals(List.of(1L, 1L, 48L, 32L), java.util.Arrays.stream(m.output(org.nd4j.linalg.factory.Nd4j.zeros(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 48, 32), "mask").get("mask").shape()).boxed().toList());
    }

    @Test
    void badNamesAndValuesAreUserErrorsListingTheValidChoices() {
        ModelConfig c = new ModelConfig();
        c.name = "unet9";
        UserError e = assertThrows(UserError.class, () -> ModelRegistry.build(c, GraphMode.EVAL, false));
        assertTrue(e.getMessage().contains("condseg") && e.getMessage().contains("net0"), e.getMessage());
        ModelConfig d = new ModelConfig();
        d.encoder = "vgg11";
        e = assertThrows(UserError.class, () -> ModelRegistry.build(d, GraphMode.EVAL, false));
        assertTrue(e.getMessage().contains("resnet18, resnet34, resnet50"), e.getMessage());
        ModelConfig w = new ModelConfig();
        w.width = 18;
        e = assertThrows(UserError.class, () -> ModelRegistry.build(w, GraphMode.EVAL, false));
        assertTrue(e.getMessage().contains("model.cdfa.heads"), e.getMessage());
        ModelConfig k = new ModelConfig();
        k.cdfa.window = 4;
        e = assertThrows(UserError.class, () -> ModelRegistry.build(k, GraphMode.EVAL, false));
        assertTrue(e.getMessage().contains("model.cdfa.window"), e.getMessage());
    }
}
