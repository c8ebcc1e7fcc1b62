package org.condseg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.condseg.nn.GraphMode;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyWeightsTest {
    @TempDir
    Path dir;

    static ModelConfig quickNet0(long seed) {
        ModelConfig c = new ModelConfig();
        c.name = "net0";
        c.encoder = "resnet18";
        c.net0HeadWidth = 8;
        c.initSeed = seed;
        return c;
    }

    @Test
    void folderOfNpyFilesRoundTripsAndIsChecked() throws Exception {
        BuiltModel a = ModelRegistry.build(quickNet0(1), GraphMode.EVAL, false);
        NpyWeights.write(a.state(), dir);
        assertTrue(Files.isRegularFile(dir.resolve("layer0.0.weight.npy")));
        BuiltModel b = ModelRegistry.build(quickNet0(2), GraphMode.EVAL, false);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32);
        INDArray pa = a.output(x, "mask").get("mask");
        assertFalse(pa.equalsWithEps(b.output(x, "mask").get("mask"), 1e-7));
        NpyWeights.load(b, dir, false);
        assertTrue(pa.equalsWithEps(b.output(x, "mask").get("mask"), 0.0));

        Files.delete(dir.resolve("head.conv_fuse.weight.npy"));
        UserError e = assertThrows(UserError.class, () -> NpyWeights.load(b, dir, false));
        assertTrue(e.getMessage().contains("head.conv_fuse.weight"), e.getMessage());
        NpyWeights.load(b, dir, true);
        NpyWeights.write(Map.of("layer0.1.weight", Nd4j.ones(DataType.FLOAT, 3)), dir);
        e = assertThrows(UserError.class, () -> NpyWeights.load(b, dir, true));
        assertTrue(e.getMessage().contains("layer0.1.weight"), e.getMessage());
    }

    @Test
    void torchvisionResNetNamesAreMappedToConDSegWrapping() {
        NpyWeights.write(Map.of("conv1.weight", Nd4j.ones(DataType.FLOAT, 64, 3, 7, 7),
                "bn1.running_var", Nd4j.ones(DataType.FLOAT, 64),
                "layer1.0.conv1.weight", Nd4j.ones(DataType.FLOAT, 64, 64, 3, 3),
                "layer3.1.bn2.bias", Nd4j.ones(DataType.FLOAT, 256),
                "layer4.0.conv1.weight", Nd4j.ones(DataType.FLOAT, 2, 2),
                "fc.weight", Nd4j.ones(DataType.FLOAT, 2, 2),
                "bn1.num_batches_tracked", Nd4j.ones(DataType.FLOAT, 1)), dir);
        Map<String, INDArray> m = NpyWeights.read(dir);
        assertEquals(java.util.Set.of("layer0.0.weight", "layer0.1.running_var", "layer1.1.0.conv1.weight",
                "layer3.1.bn2.bias", "layer4.0.conv1.weight"), m.keySet());
    }

    @Test
    void missingFolderIsAUserError() {
        assertThrows(UserError.class, () -> NpyWeights.read(dir.resolve("nope")));
    }
}
