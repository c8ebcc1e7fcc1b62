package org.condseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.condseg.data.AugmentConfig;
import org.condseg.data.DataConfig;
import org.condseg.data.Dataset;
import org.condseg.data.ImageNorm;
import org.condseg.data.Split;
import org.condseg.data.StrongAugConfig;
import org.condseg.data.StrongAugment;
import org.condseg.eval.EvalConfig;
import org.condseg.loss.LossConfig;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.nn.GraphMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The real training graphs at tiny scale: determinism, the two learning-rate groups, stage hand-over. */
class TrainerTest {
    static DataConfig data;
    static Dataset train;
    static Dataset val;

    @BeforeAll
    static void data() {
        data = new DataConfig();
        data.dataset = "synthetic";
        data.size = 32;
        data.trainSubset = 4;
        data.valSubset = 2;
        train = Dataset.open(data, Split.train);
        val = Dataset.open(data, Split.val);
    }

    static ModelConfig model() {
        ModelConfig m = new ModelConfig();
        m.width = 8;
        m.encoder = "resnet18";
        return m;
    }

    private static SegTrainee stage1(long seed) {
        TrainGraph g = TrainGraph.stage1(model(), new LossConfig(), true);
        Evaluator v = new Evaluator(ModelRegistry.build(TrainGraph.copyWithName(model(), "net0"), GraphMode.EVAL,
                false), new LossConfig());
        return new SegTrainee("stage1", g, v, train, val, data, new EvalConfig(), 4, AugmentConfig.stage1(),
                new StrongAugment(new StrongAugConfig(), ImageNorm.of(data)), new Adam(1e-3, 1e-3, n -> false), seed);
    }

    @Test
    void theSameSeedRepeatsTheSameNumbers() {
        Map<String, Double> a;
        Map<String, Double> b;
        INDArray wa;
        INDArray wb;
        try (SegTrainee t = stage1(3)) {
            a = t.trainEpoch(0, 11);
            wa = t.weights().get("head.conv_fuse.weight").dup();
        }
        try (SegTrainee t = stage1(3)) {
            b = t.trainEpoch(0, 11);
            wb = t.weights().get("head.conv_fuse.weight").dup();
        }
        assertEquals(a, b);
        assertEquals(wa, wb);
        assertTrue(a.containsKey("loss_cons") && a.get("loss") > 0, a.toString());
    }

    @Test
    void encoderAndRestMoveAtTheirOwnRates() {
        TrainGraph g = TrainGraph.stage2(model(), new LossConfig());
        Map<String, INDArray> before = g.model().state();
        Evaluator v = new Evaluator(ModelRegistry.build(model(), GraphMode.EVAL, false), new LossConfig());
        try (SegTrainee t = new SegTrainee("stage2", g, v, train, val, data, new EvalConfig(), 4,
                AugmentConfig.none(), null, new Adam(1e-3, 0.0, g.model()::isEncoder), 0)) {
            t.trainEpoch(0, 5);
            Map<String, INDArray> after = g.model().state();
            int encoder = 0;
            int rest = 0;
            for (String p : g.model().trainableParams()) {
                if (g.model().isEncoder(p)) {
                    assertEquals(before.get(p), after.get(p), p + " moved at encoder lr 0");
                    encoder++;
                } else if (!before.get(p).equals(after.get(p))) {
                    rest++;
                }
            }
            assertTrue(encoder > 10);
            assertTrue(rest > g.model().trainableParams().size() / 2 - encoder, "too few non-encoder tensors moved: " + rest);
            // running statistics of a BN layer follow the batch
            assertNotEquals(before.get("layer0.1.running_mean"), after.get("layer0.1.running_mean"));
        }
    }

    @Test
    void aNonFiniteLossStopsTheRunNamingEpochAndBatch() {
        TrainGraph g = TrainGraph.stage2(model(), new LossConfig());
        Evaluator v = new Evaluator(ModelRegistry.build(model(), GraphMode.EVAL, false), new LossConfig());
        // Adam moves every weight by about its learning rate: 1e30 makes the second forward overflow
        try (SegTrainee t = new SegTrainee("stage2", g, v, train, val, data, new EvalConfig(), 2,
                AugmentConfig.none(), null, new Adam(1e30, 1e30, g.model()::isEncoder), 0)) {
            org.condseg.util.UserError e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.condseg.util.UserError.class, () -> t.trainEpoch(0, 1));
            assertTrue(e.getMessage().contains("epoch 1, batch 2"), e.getMessage());
        }
    }

    @Test
    void handOverCopiesExactlyTheEncoderParameters() {
        BuiltModel net0 = ModelRegistry.build(TrainGraph.copyWithName(model(), "net0"), GraphMode.TRAIN, false);
        ModelConfig other = model();
        other.initSeed = 99;
        BuiltModel condseg = ModelRegistry.build(other, GraphMode.TRAIN, true);
        Checkpoint.Meta meta = new Checkpoint.Meta();
        meta.stage = "stage1";
        java.nio.file.Path ck = tempFile();
        new Checkpoint(meta, net0.state(), Map.of()).save(ck);
        Map<String, INDArray> beforeRest = condseg.state();
        TwoStageTrainer.handOver(ck, condseg, false);
        Map<String, INDArray> after = condseg.state();
        for (String p : condseg.trainableParams()) {
            if (condseg.isEncoder(p)) {
                assertEquals(net0.state().get(p), after.get(p), p);
            } else {
                assertEquals(beforeRest.get(p), after.get(p), p);
            }
        }
        assertEquals(beforeRest.get("layer0.1.running_var"), after.get("layer0.1.running_var"),
                "running statistics stay unless transferBnStats");
    }

    @Test
    void handOverToAComparisonNetworkKeepsItsOwnLayer4() {
        BuiltModel net0 = ModelRegistry.build(TrainGraph.copyWithName(model(), "net0"), GraphMode.TRAIN, false);
        BuiltModel pranet = ModelRegistry.build(TrainGraph.copyWithName(model(), "pranet"), GraphMode.TRAIN, true);
        Checkpoint.Meta meta = new Checkpoint.Meta();
        meta.stage = "stage1";
        java.nio.file.Path ck = tempFile();
        new Checkpoint(meta, net0.state(), Map.of()).save(ck);
        Map<String, INDArray> before = pranet.state();
        TwoStageTrainer.handOver(ck, pranet, false);
        Map<String, INDArray> after = pranet.state();
        assertEquals(net0.state().get("layer3.1.conv2.weight"), after.get("layer3.1.conv2.weight"));
        assertTrue(pranet.isEncoder("layer4.1.conv2.weight"), "layer4 trains at the encoder rate");
        assertEquals(before.get("layer4.1.conv2.weight"), after.get("layer4.1.conv2.weight"));
    }

    private static java.nio.file.Path tempFile() {
        try {
            java.nio.file.Path d = java.nio.file.Files.createTempDirectory("handover");
            d.toFile().deleteOnExit();
            return d.resolve("stage1-best.zip");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
