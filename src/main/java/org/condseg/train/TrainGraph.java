package org.condseg.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.condseg.loss.ConsistencyKind;
import org.condseg.loss.LossConfig;
import org.condseg.loss.MaskLoss;
import org.condseg.loss.MaskLossKind;
import org.condseg.loss.MultiClassLoss;
import org.condseg.loss.Stage1Loss;
import org.condseg.loss.Stage2Loss;
import org.condseg.loss.StructureLoss;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.model.condseg.Net0;
import org.condseg.nn.GraphMode;
import org.condseg.util.Copies;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A TRAIN-mode network with its loss attached: which placeholders it reads and which variables hold the loss
 * terms to log ({@code loss} is always the total that is differentiated).
 */
record TrainGraph(BuiltModel model, Map<String, String> terms, Set<String> placeholders,
                  boolean needsAugmentedInput) {
    /** Marks the total as the loss and builds the backward graph once, up front. */
    TrainGraph {
        SameDiff sd = model.sd();
        sd.setLossVariables(terms.get("loss"));
        Quiet.run(sd::createGradFunction);
    }

    static final String IMAGE = BuiltModel.INPUT;
    static final String IMAGE_AUG = Net0.INPUT_AUG;
    static final String MASK = "target_mask";
    static final String BACKGROUND = "target_background";
    /** Multi-class target: the one-hot class map [B,C,H,W] (MASK then holds 1[any organ]). */
    static final String ONEHOT = "target_onehot";

    /**
     * Stage 1 (Eq. 7): Net_0 applied to the images and, with Consistency Reinforcement, to their strong
     * augmentation in the same graph (shared weights, separate BatchNorm batches as in the official two forward
     * passes); L_mask(M1) + L_mask(M2) + L_cons(M1, M2), or L_mask(M1) alone without CR.
     */
    static TrainGraph stage1(ModelConfig model, LossConfig loss, boolean cr) {
        ModelConfig net0 = copyWithName(model, "net0");
        LossConfig l = loss;
        if (!cr) {
            l = Copies.deep(loss);
            l.consistency = ConsistencyKind.NONE;
        }
        boolean twin = l.consistency != ConsistencyKind.NONE;
        BuiltModel m = twin ? Net0.buildTwoView(net0) : ModelRegistry.build(net0, GraphMode.TRAIN, false);
        SameDiff sd = m.sd();
        SDVariable m2 = twin ? sd.getVariable("mask_aug") : null;
        if (model.numClasses > 1) {
            SDVariable oneHot = sd.placeHolder(ONEHOT, DataType.FLOAT, -1, model.numClasses, -1, -1);
            Stage1Loss.Terms t = Stage1Loss.multiClass(sd, sd.getVariable("mask_logit"),
                    twin ? sd.getVariable("mask_aug_logit") : null, sd.getVariable("mask"), m2, oneHot, l, "");
            return new TrainGraph(m, names(t.asMap()), twin ? Set.of(IMAGE, IMAGE_AUG, ONEHOT) : Set.of(IMAGE, ONEHOT),
                    twin);
        }
        SDVariable y = sd.placeHolder(MASK, DataType.FLOAT, -1, 1, -1, -1);
        Stage1Loss.Terms t = Stage1Loss.stage1Total(sd, sd.getVariable("mask"), m2, y, l);
        Map<String, String> terms = names(t.asMap());
        return new TrainGraph(m, terms, twin ? Set.of(IMAGE, IMAGE_AUG, MASK) : Set.of(IMAGE, MASK), twin);
    }

    /**
     * Stage 2 (Eq. 15): the whole network with its auxiliary SID head; L_mask + beta1 L_fg + beta2 L_bg + L_compl.
     * Networks without the auxiliary maps (comparison models) train on their own loss ({@link #segmentationTerms}).
     * With model.numClasses &gt; 1 the mask term is the multi-class loss on {@code mask_logit} against the one-hot
     * target, and the auxiliary terms see the binary foreground 1[label &gt; 0].
     */
    static TrainGraph stage2(ModelConfig model, LossConfig loss) {
        BuiltModel m = ModelRegistry.build(model, GraphMode.TRAIN, true);
        SameDiff sd = m.sd();
        SDVariable y = sd.placeHolder(MASK, DataType.FLOAT, -1, 1, -1, -1);
        boolean multi = model.numClasses > 1;
        SDVariable oneHot = multi ? sd.placeHolder(ONEHOT, DataType.FLOAT, -1, model.numClasses, -1, -1) : null;
        if (!m.outputs().contains("M_fg")) {
            if (multi) {
                SDVariable l = MultiClassLoss.multiClassLoss(sd, sd.getVariable("mask_logit"), oneHot, loss);
                return new TrainGraph(m, Map.of("loss", l.name()), Set.of(IMAGE, ONEHOT), false);
            }
            return new TrainGraph(m, segmentationTerms(m, y, loss), Set.of(IMAGE, MASK), false);
        }
        SDVariable maskTerm = multi ? MultiClassLoss.multiClassLoss(sd, sd.getVariable("mask_logit"), oneHot, loss)
                : MaskLoss.maskLoss(sd, sd.getVariable("mask"), y, loss);
        SDVariable ybg = sd.placeHolder(BACKGROUND, DataType.FLOAT, -1, 1, -1, -1);
        Stage2Loss.Terms t = Stage2Loss.withMaskTerm(sd, maskTerm, sd.getVariable("M_fg"),
                sd.getVariable("M_bg"), sd.getVariable("M_uc"), y, ybg, loss, "");
        return new TrainGraph(m, names(t.asMap()),
                multi ? Set.of(IMAGE, MASK, BACKGROUND, ONEHOT) : Set.of(IMAGE, MASK, BACKGROUND), false);
    }

    /**
     * The loss of a network without SID maps: {@code loss.maskLoss} (or, for model_default, the loss the network
     * was registered with) applied to {@code mask} and to every deep-supervision output {@code sideN}, summed
     * (PraNet Eq. 4; U-Net++ deep supervision). Terms: {@code loss} (the sum), {@code loss_mask},
     * {@code loss_side1}, ... . BCE_DICE reads the probabilities, STRUCTURE the logits.
     */
    static Map<String, String> segmentationTerms(BuiltModel m, SDVariable y, LossConfig loss) {
        SameDiff sd = m.sd();
        MaskLossKind kind = loss.maskLoss == MaskLossKind.MODEL_DEFAULT
                ? ModelRegistry.defaultLoss(m.config().name) : loss.maskLoss;
        List<String> heads = new ArrayList<>();
        for (String o : m.outputs()) {
            if (o.equals("mask") || o.matches("side\\d+")) {
                heads.add(o);
            }
        }
        Map<String, String> terms = new LinkedHashMap<>();
        SDVariable total = null;
        for (String o : heads) {
            SDVariable l = kind == MaskLossKind.STRUCTURE
                    ? StructureLoss.loss(sd, sd.getVariable(o + "_logit"), y, loss)
                    : MaskLoss.maskLoss(sd, sd.getVariable(o), y, loss);
            terms.put("loss_" + o, l.name());
            total = total == null ? l : total.add(l);
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("loss", heads.size() == 1 ? total.name() : total.rename("loss_total").name());
        if (heads.size() > 1) {
            out.putAll(terms);
        }
        return out;
    }

    /** Term name to variable name, with the total first under the name "loss". */
    private static Map<String, String> names(Map<String, SDVariable> terms) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("loss", terms.get("total").name());
        terms.forEach((k, v) -> {
            if (!k.equals("total")) {
                out.put(k, v.name());
            }
        });
        return out;
    }

    static ModelConfig copyWithName(ModelConfig model, String name) {
        ModelConfig c = Copies.deep(model);
        c.name = name;
        return c;
    }
}
