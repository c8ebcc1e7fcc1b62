package org.condseg.model.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Scope;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Table 9 encoders: official parameter names and shapes, tap strides and channels, prefixes, PVT in ConDSeg. */
class EncoderTest {
    @ParameterizedTest
    @ValueSource(strings = {"vgg19", "vgg19_bn", "pvt_v2_b2"})
    void tapsHaveTheDeclaredChannelsAndStrides(String name) {
        Encoder enc = EncoderRegistry.get(name);
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, GraphMode.EVAL, 0);
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        root.geometry().anchor(1, image);
        EncoderTaps taps = enc.build(root, image);
        assertArrayEquals(enc.strides(), taps.strides());
        Map<String, INDArray> out = sd.output(Map.of(BuiltModel.INPUT, Nd4j.rand(DataType.FLOAT, 1, 3, 64, 96)),
                taps.f1().name(), taps.f2().name(), taps.f3().name(), taps.f4().name());
        for (int i = 1; i <= 4; i++) {
            int s = enc.strides()[i - 1];
            INDArray t = out.get(taps.tap(i).name());
            assertArrayEquals(new long[] {1, enc.channels()[i - 1], 64 / s, 96 / s}, t.shape(), name + " f" + i);
            assertTrue(Double.isFinite(t.sumNumber().doubleValue()), name + " f" + i + " not finite");
        }
        for (String p : root.params()) {
            assertTrue(enc.paramPrefixes().stream().anyMatch(p::startsWith), p + " outside " + enc.paramPrefixes());
        }
    }

    @Test
    void officialNamesAndShapes() {
        Map<String, long[]> expect = Map.of(
                "features.34.weight", new long[] {512, 512, 3, 3}, // vgg19: last conv
                "features.34.bias", new long[] {512});
        checkShapes("vgg19", expect, List.of("features.36.weight", "features.1.weight"));
        checkShapes("vgg19_bn", Map.of("features.49.weight", new long[] {512, 512, 3, 3},
                "features.50.running_var", new long[] {512}, "features.1.weight", new long[] {64}),
                List.of("features.52.weight"));
        checkShapes("pvt_v2_b2", Map.of(
                "patch_embed1.proj.weight", new long[] {64, 3, 7, 7},
                "patch_embed4.norm.bias", new long[] {512},
                "block1.0.attn.sr.weight", new long[] {64, 64, 8, 8},
                "block1.2.mlp.dwconv.dwconv.weight", new long[] {512, 1, 3, 3},
                "block3.5.attn.kv.weight", new long[] {640, 320},
                "block3.5.mlp.fc1.weight", new long[] {1280, 320},
                "block4.2.attn.q.bias", new long[] {512},
                "norm4.weight", new long[] {512}),
                List.of("block4.0.attn.sr.weight", "block3.6.norm1.weight", "head.weight"));
    }

    private static void checkShapes(String encoder, Map<String, long[]> present, List<String> absent) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, GraphMode.EVAL, 0);
        SDVariable image = sd.placeHolder(BuiltModel.INPUT, DataType.FLOAT, -1, 3, -1, -1);
        root.geometry().anchor(1, image);
        EncoderRegistry.get(encoder).build(root, image);
        List<String> names = new java.util.ArrayList<>(root.params());
        names.addAll(root.buffers());
        present.forEach((n, shape) -> {
            assertTrue(names.contains(n), encoder + " lacks " + n);
            assertArrayEquals(shape, sd.getVariable(n).getShape(), n);
        });
        for (String n : absent) {
            assertFalse(names.contains(n), encoder + " has " + n);
        }
    }

    @Test
    void condsegOverPvtFollowsTheOfficialPvtVariant() {
        ModelConfig c = new ModelConfig();
        c.encoder = "pvt_v2_b2";
        BuiltModel m = ModelRegistry.build(c, GraphMode.EVAL, true);
        // backbone 24,849,856 + dconv 29·128·(64+128+320+512) + 4·599,650 = 6,199,688
        // + decouple 3·(512·256·9+512 + 256·128·9+256 + 128·128+256) = 4,475,904
        // + aux head 3·(3·147,712 + 73,856 + 36,992 + 18,496 + 33) = 1,717,539 (CBRs 128,128,128,64,64,32, conv 32→1)
        // + preprocess 2,954,240 + CDFA 3,272,224 + decoders 1,041,702 + output block 598,721 (reference §13)
        assertEquals(45_109_874L, m.parameterCount());
        assertArrayEquals(new long[] {256, 512, 3, 3}, m.sd().getVariable("decouple_layer.cbr_fg.0.conv.0.weight").getShape());
        assertArrayEquals(new long[] {1, 32, 1, 1}, m.sd().getVariable("aux_head.branch_uc.11.weight").getShape());
        assertTrue(m.isEncoder("block2.3.attn.q.weight") && m.isEncoder("norm1.bias") && !m.isEncoder("dconv1.c1.0.conv.0.weight"));
        assertEquals(32, m.inputMultiple());
        UserError e = assertThrows(UserError.class, () -> m.output(Nd4j.zeros(DataType.FLOAT, 1, 3, 48, 64)));
        assertTrue(e.getMessage().contains("divisible by 32"), e.getMessage());
    }
}
