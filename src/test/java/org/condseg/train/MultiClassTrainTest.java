package org.condseg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Both training stages with 9 classes (Synapse) on synthetic volumes: losses, validation, softmax output. */
class MultiClassTrainTest {
    @TempDir
    Path tmp;

    @Test
    void twoStagesTrainAMultiClassNetwork() {
        DataConfig data = new DataConfig();
        data.dataset = "synapse";
        data.synthetic = true;
        data.cacheDir = tmp.toString();
        data.size = 32;
        data.workers = 1;
        data.generator.train = 4;
        data.generator.test = 2;
        data.generator.slices = 4;
        data.valSubset = 2;
        Dataset train = Dataset.open(data, Split.train);
        Dataset val = Dataset.open(data, Split.val);
        ModelConfig m = new ModelConfig();
        m.width = 8;
        m.encoder = "resnet18";
        m.numClasses = 9;
        LossConfig loss = new LossConfig();
        loss.multiClassDice = true;

        TrainGraph g1 = TrainGraph.stage1(m, loss, true);
        assertTrue(g1.placeholders().contains(TrainGraph.ONEHOT));
        Evaluator v1 = new Evaluator(ModelRegistry.build(TrainGraph.copyWithName(m, "net0"), GraphMode.EVAL, false), loss);
        try (SegTrainee t = new SegTrainee("stage1", g1, v1, train, val, data, new EvalConfig(), 2,
                AugmentConfig.none(), new StrongAugment(new StrongAugConfig(), ImageNorm.of(data)),
                new Adam(1e-3, 1e-3, n -> false), 0)) {
            Map<String, Double> terms = t.trainEpoch(0, 1);
            assertTrue(terms.get("loss_cons") > 0 && terms.get("loss_mask") > 0, terms.toString());
            // CE + Dice of 9 classes at initialisation: CE near ln 9, Dice near 1, so L_mask near (2.2 + 1) / 2
            assertTrue(terms.get("loss_mask") > 0.8 && terms.get("loss_mask") < 3, terms.toString());
            Map<String, Double> row = t.validate(0);
            assertTrue(row.get("val_mIoU") >= 0 && row.get("val_mIoU") <= 1, row.toString());
            assertTrue(Double.isFinite(row.get("val_loss")), row.toString());
            assertEquals(9, t.weights().get("head.conv_fuse.weight").size(0), "Net_0 ends in 9 class channels");
        }

        TrainGraph g2 = TrainGraph.stage2(m, loss);
        Evaluator v2 = new Evaluator(ModelRegistry.build(m, GraphMode.EVAL, false), loss);
        try (SegTrainee t = new SegTrainee("stage2", g2, v2, train, val, data, new EvalConfig(), 2,
                AugmentConfig.none(), null, new Adam(1e-3, 1e-4, g2.model()::isEncoder), 0)) {
            Map<String, Double> terms = t.trainEpoch(0, 1);
            assertTrue(terms.containsKey("loss_fg") && terms.containsKey("loss_compl"), terms.toString());
            v2.model().load(g2.model().state(), true);
        }
        INDArray x = Nd4j.create(train.get(0).image(), new long[] {1, 3, 32, 32}, 'c');
        INDArray probs = v2.model().output(x, "mask").get("mask");
        assertArrayEquals(new long[] {1, 9, 32, 32}, probs.shape());
        INDArray sums = probs.sum(1);
        assertEquals(1.0, sums.minNumber().doubleValue(), 1e-4);
        assertEquals(1.0, sums.maxNumber().doubleValue(), 1e-4);
    }
}
