package org.condseg.bench;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.condseg.model.BuiltModel;
import org.condseg.nn.Bilinear;
import org.condseg.nn.Conv;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DepthwiseConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.custom.BatchMmul;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Counts multiply-accumulates of a graph by executing it once with a listener that sees every op's input and
 * output arrays (so all run-time shapes are resolved). Counted, as reference §13 does: conv2d (dilated or not)
 * cin·k²·|out|, depth-wise conv k²·|out|, deconv2d |in|·cout·k², and matrix products |out|·K (the CDFA attention
 * product, PVT's linear layers and attention). Not counted: biases, BatchNorm, LayerNorm, activations, pooling,
 * softmax and other element-wise ops. The matrix products of the bilinear upsampling ({@link Bilinear#up}, an
 * interpolation matrix named {@value Bilinear#INTERP_PREFIX}*) are reported apart as {@link Result#resize} and
 * left out of {@link Result#total}, as the reference leaves upsampling out.
 */
public final class MacCounter extends BaseListener {
    /** Module prefixes that exist only for the stage-2 loss (skipped by inference graphs). */
    public static final List<String> AUX_MODULES = List.of("aux_head.", "decouple_layer.cbr_uc.");

    /**
     * MACs of one forward pass. {@code byModule}: MACs per top-level module (the first segment of the parameter
     * name an op consumes; "(attention)" for products of two activations), resize excluded.
     */
    public record Result(long conv, long matmul, long resize, long aux, Map<String, Long> byModule) {
        /** conv + matmul (resize excluded). */
        public long total() {
            return conv + matmul;
        }

        /** The total without the auxiliary-only modules ({@link #AUX_MODULES}). */
        public long withoutAux() {
            return total() - aux;
        }
    }

    private SameDiff sd;
    private long conv;
    private long matmul;
    private long resize;
    private long aux;
    private final Map<String, Long> byModule = new TreeMap<>();

    private MacCounter() {
    }

    /** MACs of a forward pass of {@code m} on one zero image of h×w (batch 1), every named output requested. */
    public static Result count(BuiltModel m, int h, int w) {
        INDArray image = Nd4j.zeros(DataType.FLOAT, 1, 3, h, w);
        BuiltModel.checkInput(image, m.inputMultiple());
        return count(m.sd(), Map.of(BuiltModel.INPUT, image), m.outputs().toArray(new String[0]));
    }

    /** MACs of computing {@code outputs} of {@code sd} from {@code feeds}. */
    public static Result count(SameDiff sd, Map<String, INDArray> feeds, String... outputs) {
        MacCounter c = new MacCounter();
        c.sd = sd;
        sd.addListeners(c);
        try {
            sd.output(feeds, outputs);
        } finally {
            sd.getListeners().remove(c);
        }
        return new Result(c.conv, c.matmul, c.resize, c.aux, Collections.unmodifiableMap(c.byModule));
    }

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void opExecution(SameDiff s, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
        Object o = op.getOp();
        if (!(o instanceof DynamicCustomOp dco) || outputs == null || outputs.length == 0) {
            return;
        }
        List<INDArray> in = ctx != null && ctx.getInputArrays() != null && !ctx.getInputArrays().isEmpty()
                ? ctx.getInputArrays() : dco.inputArguments();
        long macs;
        boolean isConv = true;
        if (o instanceof DepthwiseConv2D dw) {
            Conv2DConfig c = dw.getConfig();
            macs = outputs[0].length() * c.getKH() * c.getKW();
        } else if (o instanceof Conv2D cv) {
            Conv2DConfig c = cv.getConfig();
            long cin = in.get(0).size(c.isNHWC() ? 3 : 1);
            macs = outputs[0].length() * cin * c.getKH() * c.getKW();
        } else if (o instanceof DeConv2D dc) {
            long cout = outputs[0].size("NHWC".equals(dc.getConfig().getDataFormat()) ? 3 : 1);
            macs = in.get(0).length() * cout * dc.getConfig().getKH() * dc.getConfig().getKW();
        } else if (producedBy(op, Conv.DEPTHWISE_PRODUCT)) {  // a depth-wise conv as im2col: one product per MAC
            macs = outputs[0].length();
        } else if (o instanceof Mmul || o instanceof BatchMmul || "matmul".equals(dco.opName())) {
            isConv = producedBy(op, Conv.IM2COL_PRODUCT);       // a conv computed as im2col + one matrix product
            INDArray a = in.get(0);
            long[] ia = dco.iArgs();
            boolean transA = ia != null && ia.length > 0 && ia[0] != 0;
            int r = a.rank();
            long k = a.size(transA ? r - 2 : r - 1);
            macs = outputs[0].length() * k;
        } else {
            return;
        }
        List<String> inputs = op.getInputsToOp();
        if (!isConv && inputs.stream().anyMatch(n -> n.startsWith(Bilinear.INTERP_PREFIX))) {
            resize += macs;
            return;
        }
        if (isConv) {
            conv += macs;
        } else {
            matmul += macs;
        }
        String module = module(inputs);
        if (module != null && AUX_MODULES.stream().anyMatch(module::startsWith)) {
            aux += macs;
        }
        String top = module == null ? "(attention)" : module.substring(0, Math.max(0, module.indexOf('.')));
        byModule.merge(top.isEmpty() ? module : top, macs, Long::sum);
    }

    private static boolean producedBy(SameDiffOp op, String prefix) {
        List<String> outs = op.getOutputsOfOp();
        return outs != null && !outs.isEmpty() && outs.get(0).startsWith(prefix);
    }

    /** The parameter name an op consumes (directly or through one permute/reshape), or null. */
    private String module(List<String> inputs) {
        for (String n : inputs) {
            String p = param(n, 2);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private String param(String name, int depth) {
        SDVariable v = sd.getVariable(name);
        if (v == null) {
            return null;
        }
        if (v.getVariableType() == VariableType.VARIABLE) {
            return name;
        }
        if (depth == 0 || v.getVariableType() != VariableType.ARRAY) {
            return null;
        }
        String producer = sd.getVariables().get(name).getOutputOfOp();
        if (producer == null) {
            return null;
        }
        SameDiffOp p = sd.getOps().get(producer);
        String type = p.getOp().opName();
        if (!type.equals("permute") && !type.equals("reshape") && !type.equals("transpose")) {
            return null;
        }
        List<String> ins = p.getInputsToOp();
        return ins == null || ins.isEmpty() ? null : param(ins.get(0), depth - 1);
    }
}
