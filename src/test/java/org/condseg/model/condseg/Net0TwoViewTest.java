package org.condseg.model.condseg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Graphs;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The two-view stage-1 graph equals two single-view passes: outputs, gradients and running-stat updates. */
class Net0TwoViewTest {
    @Test
    void twoViewsEqualTwoSinglePasses() {
        ModelConfig cfg = new ModelConfig();
        cfg.name = "net0";
        cfg.encoder = "resnet18";
        cfg.net0HeadWidth = 8;
        BuiltModel two = Net0.buildTwoView(cfg);
        BuiltModel one = ModelRegistry.build(cfg, GraphMode.TRAIN, false);
        assertEquals(one.trainableParams(), two.trainableParams());
        assertEquals(2 * one.bnStats().size(), two.bnStats().size());
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray xa = x.mul(0.7).add(0.1);
        two.sd.getVariable("mask").mean().add(two.sd.getVariable("mask_aug").mean()).rename("loss");
        two.sd.setLossVariables("loss");
        one.sd.getVariable("mask").mean().rename("loss");
        one.sd.setLossVariables("loss");

        List<String> req = new ArrayList<>(List.of("mask", "mask_aug"));
        req.addAll(two.batchStatOutputs());
        Map<String, INDArray> o2 = two.sd.output(Map.of(BuiltModel.INPUT, x, Net0.INPUT_AUG, xa), req.toArray(new String[0]));
        List<String> req1 = new ArrayList<>(List.of("mask"));
        req1.addAll(one.batchStatOutputs());
        Map<String, INDArray> a = one.sd.output(Map.of(BuiltModel.INPUT, x), req1.toArray(new String[0]));
        Map<String, INDArray> b = one.sd.output(Map.of(BuiltModel.INPUT, xa), req1.toArray(new String[0]));
        assertTrue(o2.get("mask").equalsWithEps(a.get("mask"), 1e-6));
        assertTrue(o2.get("mask_aug").equalsWithEps(b.get("mask"), 1e-6));

        String w = "head.conv_fuse.weight";
        INDArray g2 = Graphs.gradients(two.sd, Map.of(BuiltModel.INPUT, x, Net0.INPUT_AUG, xa), List.of(w)).get(w);
        INDArray ga = Graphs.gradients(one.sd, Map.of(BuiltModel.INPUT, x), List.of(w)).get(w);
        INDArray gb = Graphs.gradients(one.sd, Map.of(BuiltModel.INPUT, xa), List.of(w)).get(w);
        assertTrue(g2.equalsWithEps(ga.add(gb), 1e-5 * ga.amaxNumber().doubleValue()));

        two.updateRunningStats(o2);
        one.updateRunningStats(a);
        one.updateRunningStats(b);
        String rv = one.bnStats().get(5).runningVar();
        assertTrue(two.sd.getArrForVarName(rv).equalsWithEps(one.sd.getArrForVarName(rv), 1e-6));
    }
}
