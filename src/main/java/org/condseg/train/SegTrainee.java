package org.condseg.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.condseg.data.Batch;
import org.condseg.data.BatchLoader;
import org.condseg.data.DataConfig;
import org.condseg.data.Dataset;
import org.condseg.data.StrongAugment;
import org.condseg.eval.EvalConfig;
import org.condseg.nn.GradientStep;
import org.condseg.nn.SessionMemory;
import org.condseg.util.Progress;
import org.condseg.util.UserError;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One stage's network under training: a TRAIN graph with its loss ({@link TrainGraph}), Adam over its
 * parameters (encoder group at its own rate), BatchNorm running statistics updated after every step as PyTorch
 * does, and an EVAL graph that gets the current weights for validation.
 */
final class SegTrainee implements StageLoop.Trainee, AutoCloseable {
    private final TrainGraph graph;
    private final Evaluator validator;
    private final Dataset train;
    private final Dataset val;
    private final DataConfig dataCfg;
    private final EvalConfig evalCfg;
    private final BatchLoader loader;
    private final StrongAugment strong;
    private final Adam adam;
    private final String stage;
    private final int batchSize;
    private final Map<String, INDArray> live = new LinkedHashMap<>();
    private final List<String> outputs = new ArrayList<>();

    SegTrainee(String stage, TrainGraph graph, Evaluator validator, Dataset train, Dataset val, DataConfig dataCfg,
               EvalConfig evalCfg, int batchSize, org.condseg.data.AugmentConfig augment, StrongAugment strong,
               Adam adam, long seed) {
        this.stage = stage;
        this.batchSize = batchSize;
        this.graph = graph;
        this.validator = validator;
        this.train = train;
        this.val = val;
        this.dataCfg = dataCfg;
        this.evalCfg = evalCfg;
        this.strong = strong;
        this.adam = adam;
        this.loader = BatchLoader.train(train, batchSize, augment, seed, dataCfg);
        for (String p : graph.model().trainableParams()) {
            live.put(p, graph.model().sd().getArrForVarName(p));
        }
        outputs.addAll(graph.terms().values());
        outputs.addAll(graph.model().batchStatOutputs());
        if (graph.needsAugmentedInput() && strong == null) {
            throw new IllegalArgumentException("a Consistency Reinforcement graph needs the strong augmentation");
        }
    }

    TrainGraph graph() {
        return graph;
    }

    @Override
    public Map<String, Double> trainEpoch(int epoch, long epochSeed) {
        Map<String, Double> sums = new LinkedHashMap<>();
        int batches = 0;
        try (BatchLoader.Epoch it = loader.epoch(epoch);
             Progress p = Progress.start(stage + " epoch " + (epoch + 1), train.size())) {
            while (it.hasNext()) {
                Batch b = it.next();
                Map<String, Double> terms = step(b, epoch, batches);
                terms.forEach((k, v) -> sums.merge(k, v, Double::sum));
                batches++;
                p.stepBy(b.size());
                p.setExtra(String.format("loss %.4f", terms.get("loss")));
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : sums.entrySet()) {
            means.put(e.getKey(), e.getValue() / Math.max(1, batches));
        }
        return means;
    }

    /** One optimisation step on a batch; returns the loss terms ("loss" is the total). */
    Map<String, Double> step(Batch b, int epoch, int batchIndex) {
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put(TrainGraph.IMAGE, b.image());
        if (graph.placeholders().contains(TrainGraph.ONEHOT)) {
            feeds.put(TrainGraph.MASK, org.condseg.data.LabelMaps.foreground(b.mask()));
            feeds.put(TrainGraph.ONEHOT, org.condseg.data.LabelMaps.oneHot(b.mask(), graph.model().config().numClasses));
        } else {
            feeds.put(TrainGraph.MASK, b.mask());
        }
        feeds.put(TrainGraph.BACKGROUND, b.background());
        if (graph.needsAugmentedInput()) {
            feeds.put(TrainGraph.IMAGE_AUG, strong.apply(b.image(), b.seed()));
        }
        feeds.keySet().retainAll(graph.placeholders());
        SessionMemory mem = SessionMemory.trainingStep(graph.model().sd(), outputs, live.keySet());
        OutAndGrad og = GradientStep.run(graph.model().sd(), mem, feeds, outputs, live.keySet());
        Map<String, Double> terms = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : graph.terms().entrySet()) {
            double v = og.getOutputs().get(t.getValue()).getDouble(0);
            if (!Double.isFinite(v)) {
                throw new UserError(String.format("%s: loss term %s is %s at epoch %d, batch %d (ids %s); the last"
                        + " good checkpoint is kept", stage, t.getKey(), v, epoch + 1, batchIndex + 1, b.ids()));
            }
            terms.put(t.getKey(), v);
        }
        adam.step(live, og.getGradients());
        graph.model().updateRunningStats(og.getOutputs());
        StepMemory.release(og, mem);
        return terms;
    }

    @Override
    public Map<String, Double> validate(int epoch) {
        validator.model().load(graph.model().state(), true);
        return validator.validate(val, dataCfg, evalCfg, batchSize, stage + " validation");
    }

    @Override
    public Map<String, INDArray> weights() {
        Map<String, INDArray> all = new LinkedHashMap<>(live);
        for (String b : graph.model().buffers()) {
            all.put(b, graph.model().sd().getArrForVarName(b));
        }
        return all;
    }

    @Override
    public void loadWeights(Map<String, INDArray> weights) {
        graph.model().load(weights);
    }

    @Override
    public Adam optimizer() {
        return adam;
    }

    @Override
    public void close() {
        loader.close();
    }
}
