package org.condseg.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.condseg.loss.LossConfig;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.nn.GradientStep;
import org.condseg.nn.SessionMemory;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One full optimisation step outside a training loop (forward, loss, backward, Adam, running statistics), as the
 * trainer does it: what {@code condseg bench} times. Stage 1 feeds the batch and a stand-in for its strong
 * augmentation (the images scaled by 0.7 plus 0.1, as the golden stage-1 fixture), stage 2 the batch and 1 - mask.
 */
public final class TrainStep {
    private final TrainGraph graph;
    private final Adam adam;
    private final Map<String, INDArray> live = new LinkedHashMap<>();

    private TrainStep(TrainGraph graph, Adam adam) {
        this.graph = graph;
        this.adam = adam;
        for (String p : graph.model().trainableParams()) {
            live.put(p, graph.model().sd().getArrForVarName(p));
        }
    }

    /** Stage 1: Net_0 with Consistency Reinforcement (both views). */
    public static TrainStep stage1(ModelConfig model, LossConfig loss) {
        return new TrainStep(TrainGraph.stage1(model, loss, true), new Adam(1e-4, 1e-4, n -> false));
    }

    /** Stage 2: the whole network with the auxiliary head and the Eq. 15 loss. */
    public static TrainStep stage2(ModelConfig model, LossConfig loss) {
        TrainGraph g = TrainGraph.stage2(model, loss);
        return new TrainStep(g, new Adam(1e-4, 1e-5, g.model()::isEncoder));
    }

    public BuiltModel model() {
        return graph.model();
    }

    /** One step on images [B,3,H,W] and binary masks [B,1,H,W]; returns the total loss. */
    public double run(INDArray images, INDArray masks) {
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put(TrainGraph.IMAGE, images);
        feeds.put(TrainGraph.MASK, masks);
        feeds.put(TrainGraph.BACKGROUND, masks.rsub(1.0));
        feeds.put(TrainGraph.IMAGE_AUG, images.mul(0.7).addi(0.1));
        feeds.keySet().retainAll(graph.placeholders());
        java.util.List<String> outs = new java.util.ArrayList<>(graph.model().batchStatOutputs());
        outs.add(graph.terms().get("loss"));
        SessionMemory mem = SessionMemory.trainingStep(graph.model().sd(), outs, live.keySet());
        OutAndGrad og = GradientStep.run(graph.model().sd(), mem, feeds, outs, live.keySet());
        adam.step(live, og.getGradients());
        graph.model().updateRunningStats(og.getOutputs());
        double loss = og.getOutputs().get(graph.terms().get("loss")).getDouble(0);
        StepMemory.release(og, mem);
        if (mem != null && SessionMemory.DEBUG) {
            System.err.println("session arrays: allocated " + mem.allocated() + ", released " + mem.released()
                    + ", freed early " + mem.freedEarly() + "; peak " + mem.peakBreakdown());
        }
        StepMemory.close(feeds.get(TrainGraph.BACKGROUND));
        StepMemory.close(feeds.get(TrainGraph.IMAGE_AUG));
        return loss;
    }
}
