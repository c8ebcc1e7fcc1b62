package org.condseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.condseg.loss.LossConfig;
import org.condseg.loss.MaskLoss;
import org.condseg.loss.MaskLossKind;
import org.condseg.loss.StructureLoss;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.nn.GraphMode;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Stage-2 losses of comparison networks: the registered default, the override key, deep supervision. */
class ComparisonLossTest {
    private static final List<String> HEADS = List.of("mask", "side1", "side2", "side3");

    private static ModelConfig pranet() {
        ModelConfig m = new ModelConfig();
        m.name = "pranet";
        m.encoder = "resnet18";
        m.width = 16;
        return m;
    }

    private static Map<String, INDArray> feeds() {
        Nd4j.getRandom().setSeed(7);
        return Map.of(TrainGraph.IMAGE, Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32), TrainGraph.MASK,
                Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32).gt(0.5).castTo(DataType.FLOAT));
    }

    /** One loss evaluated on its own graph, from stored network outputs. */
    private static double alone(MaskLossKind kind, INDArray prob, INDArray logit, INDArray y) {
        SameDiff sd = SameDiff.create();
        SDVariable t = sd.constant(y);
        SDVariable l = kind == MaskLossKind.STRUCTURE ? StructureLoss.loss(sd, sd.constant(logit), t, new LossConfig())
                : MaskLoss.maskLoss(sd, sd.constant(prob), t, new LossConfig());
        return sd.output(Map.of(), l.name()).get(l.name()).getDouble(0);
    }

    private static void checkSum(BuiltModel m, Map<String, String> terms, MaskLossKind kind) {
        Map<String, INDArray> ph = feeds();
        List<String> req = new java.util.ArrayList<>(terms.values());
        for (String h : HEADS) {
            req.add(h);
            req.add(h + "_logit");
        }
        Map<String, INDArray> out = m.sd().output(ph, req.toArray(new String[0]));
        double sum = 0;
        for (String h : HEADS) {
            double expect = alone(kind, out.get(h), out.get(h + "_logit"), ph.get(TrainGraph.MASK));
            assertEquals(expect, out.get(terms.get("loss_" + h)).getDouble(0), 1e-5, h);
            sum += expect;
        }
        assertEquals(sum, out.get(terms.get("loss")).getDouble(0), 1e-5);
    }

    @Test
    void pranetTrainsOnTheStructureLossOfItsFourMaps() {
        TrainGraph g = TrainGraph.stage2(pranet(), new LossConfig());
        assertEquals(List.of("loss", "loss_mask", "loss_side1", "loss_side2", "loss_side3"), List.copyOf(g.terms().keySet()));
        assertEquals(MaskLossKind.STRUCTURE, ModelRegistry.defaultLoss("pranet"));
        checkSum(g.model(), g.terms(), MaskLossKind.STRUCTURE);
    }

    @Test
    void theConfigKeyOverridesTheModelDefault() {
        LossConfig l = new LossConfig();
        l.maskLoss = MaskLossKind.BCE_DICE;
        BuiltModel m = ModelRegistry.build(pranet(), GraphMode.TRAIN, true);
        SDVariable y = m.sd().placeHolder(TrainGraph.MASK, DataType.FLOAT, -1, 1, -1, -1);
        checkSum(m, TrainGraph.segmentationTerms(m, y, l), MaskLossKind.BCE_DICE);
    }
}
