package org.condseg.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.condseg.data.DataConfig;
import org.condseg.data.Dataset;
import org.condseg.data.Split;
import org.condseg.data.StrongAugment;
import org.condseg.data.ImageNorm;
import org.condseg.eval.EvalConfig;
import org.condseg.loss.LossConfig;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.nn.GraphMode;
import org.condseg.util.Copies;
import org.condseg.util.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's training procedure (§"Training strategy"): stage 1, Consistency Reinforcement of Net_0 (Eq. 1-7);
 * hand-over of the encoder by parameter name; stage 2, the whole network with the encoder at a lower learning
 * rate (Eq. 15). {@link TrainConfig.Strategy} selects the rows of Table 3 (Net_0 alone, with or without CR,
 * one stage, two stages with or without CR).
 */
public final class TwoStageTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(TwoStageTrainer.class);

    /** The sections of a run's config that training reads. */
    public record Inputs(DataConfig data, ModelConfig model, TrainConfig train, LossConfig loss, EvalConfig eval) {
    }

    /** What training produced: the network to evaluate and the checkpoint holding its best weights. */
    public record Outcome(ModelConfig finalModel, Path bestCheckpoint, Map<String, Object> facts) {
    }

    private TwoStageTrainer() {
    }

    public static Outcome train(Inputs in, Path checkpoints, StageLoop.EpochSink sink, String configHash,
                                boolean resume, Consumer<String> status) {
        TrainConfig tc = in.train();
        TrainConfig.Strategy s = tc.strategy;
        boolean stage1 = s != TrainConfig.Strategy.ONE_STAGE;
        boolean stage2 = s == TrainConfig.Strategy.ONE_STAGE || s == TrainConfig.Strategy.TWO_STAGE
                || s == TrainConfig.Strategy.TWO_STAGE_NO_CR;
        boolean cr = s == TrainConfig.Strategy.NET0_CR || s == TrainConfig.Strategy.TWO_STAGE;
        Dataset train = Dataset.open(in.data(), Split.train);
        Dataset val = Dataset.open(in.data(), Split.val);
        if (train.size() == 0 || val.size() == 0) {
            throw new UserError("data." + (train.size() == 0 ? "train" : "val") + " split of '" + in.data().dataset
                    + "' is empty");
        }
        if (train.numClasses() != in.model().numClasses) {
            throw new UserError("data.dataset '" + in.data().dataset + "' has " + train.numClasses() + " class"
                    + (train.numClasses() == 1 ? " (binary)" : "es") + " but model.numClasses is "
                    + in.model().numClasses + "; set model.numClasses: " + train.numClasses());
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("strategy", s.name());
        facts.put("train_images", train.size());
        facts.put("val_images", val.size());

        StageLoop.Spec spec1 = new StageLoop.Spec("stage1", tc.stage1.epochs, tc.stage1.schedule.toLoop(), tc.seed,
                configHash, checkpoints, tc.validateEvery);
        ModelConfig net0 = TrainGraph.copyWithName(in.model(), "net0");
        if (stage1) {
            if (resume && StageLoop.finished(spec1)) {
                LOG.info("stage1: already finished, skipped");
            } else {
                TrainGraph g = TrainGraph.stage1(in.model(), in.loss(), cr);
                Adam adam = new Adam(tc.stage1.lr, tc.stage1.lr, n -> false);
                StrongAugment strong = g.needsAugmentedInput()
                        ? new StrongAugment(tc.stage1.strong, ImageNorm.of(in.data())) : null;
                Evaluator v = new Evaluator(ModelRegistry.build(net0, GraphMode.EVAL, false), in.loss());
                try (SegTrainee t = new SegTrainee("stage1", g, v, train, val, in.data(), quickEval(in.eval()),
                        tc.stage1.batchSize, tc.stage1.augment, strong, adam, tc.seed)) {
                    facts.put("stage1_parameters", g.model().parameterCount());
                    StageLoop.Outcome o = StageLoop.run(spec1, t, sink, resume, status);
                    facts.put("stage1_best_epoch", o.bestEpoch() + 1);
                }
            }
            if (!stage2) {
                return new Outcome(finalModel(in.model(), s), StageLoop.bestOrLast(spec1), facts);
            }
        }

        StageLoop.Spec spec2 = new StageLoop.Spec("stage2", tc.stage2.epochs, tc.stage2.schedule.toLoop(), tc.seed,
                configHash, checkpoints, tc.validateEvery);
        if (!(resume && StageLoop.finished(spec2))) {
            TrainGraph g = TrainGraph.stage2(in.model(), in.loss());
            boolean continuing = resume && java.nio.file.Files.exists(spec2.last());
            if (stage1 && !continuing) {
                handOver(StageLoop.bestOrLast(spec1), g.model(), tc.transferBnStats);
            }
            Adam adam = new Adam(tc.stage2.lr, tc.stage2.encoderLr, g.model()::isEncoder);
            Evaluator v = new Evaluator(ModelRegistry.build(in.model(), GraphMode.EVAL, false), in.loss());
            try (SegTrainee t = new SegTrainee("stage2", g, v, train, val, in.data(), quickEval(in.eval()),
                    tc.stage2.batchSize, tc.stage2.augment, null, adam, tc.seed)) {
                facts.put("parameters", g.model().parameterCount());
                StageLoop.Outcome o = StageLoop.run(spec2, t, sink, resume, status);
                facts.put("stage2_best_epoch", o.bestEpoch() + 1);
            }
        } else {
            LOG.info("stage2: already finished, skipped");
        }
        return new Outcome(in.model(), StageLoop.bestOrLast(spec2), facts);
    }

    /**
     * Stage 1 to stage 2 (official §9.3): every encoder parameter of the new network is replaced by the stage-1
     * tensor of the same name; a missing or mis-shaped one is an error, not a silent skip. BatchNorm running
     * statistics are carried too only with {@code transferBnStats}.
     */
    static void handOver(Path stage1Checkpoint, BuiltModel target, boolean withBnStats) {
        Checkpoint ck = Checkpoint.load(stage1Checkpoint);
        Map<String, INDArray> enc = new LinkedHashMap<>();
        for (String p : target.encoderParams()) {
            INDArray a = ck.weights.get(p);
            if (a == null && p.startsWith("layer4.")) {
                continue; // Net_0 has no layer4: a comparison network keeps its own (initialised or loaded) stage
            }
            if (a == null) {
                throw new UserError("stage-1 checkpoint " + stage1Checkpoint + " has no encoder tensor '" + p
                        + "': stage 1 and stage 2 must use the same model.encoder");
            }
            enc.put(p, a);
        }
        if (withBnStats) {
            for (String b : target.buffers()) {
                if (target.isEncoder(b) && ck.weights.containsKey(b)) {
                    enc.put(b, ck.weights.get(b));
                }
            }
        }
        target.load(enc, true);
        LOG.info("stage2: encoder ({} tensors) taken from {}", enc.size(), stage1Checkpoint.getFileName());
    }

    /** The network a strategy ends with: Net_0 for the Net_0-only rows of Table 3, else the configured model. */
    public static ModelConfig finalModel(ModelConfig model, TrainConfig.Strategy strategy) {
        boolean net0Only = strategy == TrainConfig.Strategy.NET0 || strategy == TrainConfig.Strategy.NET0_CR;
        return net0Only ? TrainGraph.copyWithName(model, "net0") : model;
    }

    /** Per-epoch validation skips HD95 (the final evaluation computes it). */
    private static EvalConfig quickEval(EvalConfig e) {
        EvalConfig q = Copies.deep(e);
        q.hd95 = false;
        return q;
    }
}
