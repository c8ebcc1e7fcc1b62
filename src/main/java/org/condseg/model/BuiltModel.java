package org.condseg.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.condseg.model.encoder.Encoder;
import org.condseg.model.encoder.EncoderRegistry;
import org.condseg.nn.BnStat;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Scope;
import org.condseg.util.UserError;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network declared in SameDiff. Input placeholder {@value #INPUT} [B,3,H,W] (H, W multiples of {@link #inputMultiple()});
 * named outputs (see {@link #outputs()}): {@code mask} (sigmoid probability) and {@code mask_logit}, and for
 * ConDSeg with the auxiliary head {@code M_fg}, {@code M_bg}, {@code M_uc} and their {@code *_logit}.
 * Trainable variables and BN buffers carry the official PyTorch state_dict names and layouts.
 */
public final class BuiltModel {
    public static final String INPUT = "image";

    public final SameDiff sd;
    private final ModelConfig config;
    private final GraphMode mode;
    private final boolean withAux;
    private final List<String> params;
    private final List<String> buffers;
    private final List<BnStat> bnStats;
    private final Map<String, SDVariable> taps;
    private final List<String> outputs;
    private final List<String> encoderPrefixes;
    private final int inputMultiple;

    /** A network over the encoder {@code config.encoder} (its parameter prefixes and deepest stride). */
    public BuiltModel(ModelConfig config, GraphMode mode, boolean withAux, Scope root, List<String> outputs) {
        this(config, mode, withAux, root, outputs, EncoderRegistry.get(config.encoder));
    }

    private BuiltModel(ModelConfig config, GraphMode mode, boolean withAux, Scope root, List<String> outputs,
            Encoder enc) {
        this(config, mode, withAux, root, outputs, enc.paramPrefixes(), deepest(enc.strides()));
    }

    /**
     * A network whose encoder parameters carry {@code encoderPrefixes} (none for networks trained from scratch;
     * layer0..layer4 for the comparison networks on a five-stage ResNet) and whose input sides must be multiples
     * of {@code inputMultiple}.
     */
    public BuiltModel(ModelConfig config, GraphMode mode, boolean withAux, Scope root, List<String> outputs,
            List<String> encoderPrefixes, int inputMultiple) {
        this.sd = root.sd();
        this.config = config;
        this.mode = mode;
        this.withAux = withAux;
        this.params = root.params();
        this.buffers = root.buffers();
        this.bnStats = root.bnStats();
        this.taps = root.taps();
        this.outputs = List.copyOf(outputs);
        this.encoderPrefixes = List.copyOf(encoderPrefixes);
        this.inputMultiple = inputMultiple;
    }

    private static int deepest(int[] strides) {
        return Math.max(16, strides[strides.length - 1]);
    }

    public SameDiff sd() {
        return sd;
    }

    public ModelConfig config() {
        return config;
    }

    public GraphMode mode() {
        return mode;
    }

    public boolean withAux() {
        return withAux;
    }

    /** Named outputs: probabilities and their logits. */
    public List<String> outputs() {
        return outputs;
    }

    /** All trainable variable names (state_dict order of declaration). */
    public List<String> trainableParams() {
        return params;
    }

    /** Trainable names of the encoder (those starting with one of {@link #encoderPrefixes()}). */
    public List<String> encoderParams() {
        List<String> out = new ArrayList<>();
        for (String p : params) {
            if (isEncoder(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Name prefixes of the encoder's parameters and buffers (ResNet: {@code layer0.}..{@code layer3.}): the
     * stage-1 → stage-2 transfer and the encoder learning rate.
     */
    public List<String> encoderPrefixes() {
        return encoderPrefixes;
    }

    /** Whether a parameter or buffer name belongs to the encoder. */
    public boolean isEncoder(String name) {
        for (String pre : encoderPrefixes) {
            if (name.startsWith(pre)) {
                return true;
            }
        }
        return false;
    }

    /** BN running-statistics constants (non-trainable). */
    public List<String> buffers() {
        return buffers;
    }

    /** Every BatchNorm layer; in TRAIN graphs with the names of its batch mean / unbiased variance outputs. */
    public List<BnStat> bnStats() {
        return bnStats;
    }

    /** Named intermediates by PyTorch module path ({@code layer2}, {@code cdfa1}, {@code cdfa1.v}, ...). */
    public Map<String, SDVariable> taps() {
        return taps;
    }

    /** Number of trainable scalars (BN running statistics excluded, as PyTorch counts). */
    public long parameterCount() {
        long n = 0;
        for (String p : params) {
            n += Arrays.stream(sd.getVariable(p).getShape()).reduce(1L, (a, b) -> a * b);
        }
        return n;
    }

    /** Every parameter and buffer by name, as detached copies. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String p : params) {
            out.put(p, sd.getArrForVarName(p).dup());
        }
        for (String b : buffers) {
            out.put(b, sd.getArrForVarName(b).dup());
        }
        return out;
    }

    /** Copies every tensor of the graph from {@code state}; a missing or mis-shaped tensor is a UserError. */
    public void load(Map<String, INDArray> state) {
        load(state, false);
    }

    /**
     * Copies the tensors of {@code state} whose names exist in this graph (extra names are ignored). A tensor of
     * the wrong shape is always a UserError; a graph tensor absent from {@code state} is one unless
     * {@code allowMissing} (partial loads such as the stage-1 encoder).
     */
    public void load(Map<String, INDArray> state, boolean allowMissing) {
        List<String> names = new ArrayList<>(params);
        names.addAll(buffers);
        for (String n : names) {
            INDArray src = state.get(n);
            if (src == null) {
                if (allowMissing) {
                    continue;
                }
                throw new UserError("weights have no tensor '" + n + "'");
            }
            INDArray dst = sd.getArrForVarName(n);
            if (!Arrays.equals(dst.shape(), src.shape())) {
                throw new UserError("tensor '" + n + "' has shape " + Arrays.toString(src.shape()) + ", the model needs "
                        + Arrays.toString(dst.shape()));
            }
            dst.assign(src.castTo(DataType.FLOAT));
        }
    }

    /** Forward pass on one batch: the requested variables (outputs or tap variable names). */
    public Map<String, INDArray> output(INDArray image, String... names) {
        checkInput(image, inputMultiple);
        return output(Collections.singletonMap(INPUT, image.castTo(DataType.FLOAT)), names);
    }

    /**
     * Forward pass with the given placeholder values (the input, and for a graph with a loss its target): the
     * requested variables, which the caller owns (close them when done: {@code StepMemory.close}). Every other array
     * of the pass is freed once its last reader has run ({@link org.condseg.nn.Graphs#output}).
     */
    public Map<String, INDArray> output(Map<String, INDArray> feeds, String... names) {
        return org.condseg.nn.Graphs.output(sd, feeds, names);
    }

    /** H and W of an input must be multiples of this: 16, or the encoder's deepest stride when larger (PVT: 32). */
    public int inputMultiple() {
        return inputMultiple;
    }

    /** Checks an input batch: [B,3,H,W] with H and W multiples of 16 (a UserError otherwise). */
    public static void checkInput(INDArray image) {
        checkInput(image, 16);
    }

    /** Checks an input batch: [B,3,H,W] with H and W multiples of {@code multiple} (a UserError otherwise). */
    public static void checkInput(INDArray image, int multiple) {
        long[] s = image.shape();
        if (s.length != 4 || s[1] != 3) {
            throw new UserError("the network takes images as [B,3,H,W], got " + Arrays.toString(s));
        }
        if (s[2] % multiple != 0 || s[3] % multiple != 0 || s[2] == 0 || s[3] == 0) {
            throw new UserError("input " + s[2] + "x" + s[3] + " is not divisible by " + multiple
                    + "; set data.size to a multiple of " + multiple);
        }
    }

    /**
     * Applies PyTorch's running-statistics update to every BN layer from a TRAIN forward's outputs, which must
     * hold each {@link BnStat#batchMean()} and {@link BnStat#batchVar()}:
     * running = (1 − momentum)·running + momentum·batch.
     */
    public void updateRunningStats(Map<String, INDArray> forwardOutputs) {
        if (mode != GraphMode.TRAIN) {
            throw new IllegalStateException("running statistics are updated from TRAIN graphs only");
        }
        double m = BnStat.MOMENTUM;
        for (BnStat s : bnStats) {
            INDArray bm = forwardOutputs.get(s.batchMean());
            INDArray bv = forwardOutputs.get(s.batchVar());
            if (bm == null || bv == null) {
                throw new IllegalArgumentException("outputs lack the batch statistics of " + s.module());
            }
            INDArray rm = sd.getArrForVarName(s.runningMean());
            INDArray rv = sd.getArrForVarName(s.runningVar());
            rm.assign(rm.mul(1 - m).addi(bm.mul(m)));
            rv.assign(rv.mul(1 - m).addi(bv.mul(m)));
        }
    }

    /** Names of all batch-statistics outputs (TRAIN graphs), to request alongside the loss. */
    public List<String> batchStatOutputs() {
        List<String> out = new ArrayList<>();
        for (BnStat s : bnStats) {
            if (s.batchMean() != null) {
                out.add(s.batchMean());
                out.add(s.batchVar());
            }
        }
        return out;
    }
}
