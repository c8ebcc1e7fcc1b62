package org.condseg.nn;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training step's forward and backward pass: {@link SameDiff#calculateGradientsAndOutputs}, asking the session
 * for one variable instead of every output and gradient. SameDiff M2.1's session checks each requested name against
 * a fresh copy of the whole variable map (AbstractSession#output, step 0): for the paper-width ConDSeg step, 796
 * names (511 gradients, 284 batch statistics, the loss) × 0.86 ms per copy of the gradient function's 7,834
 * variables = 0.68 s of every step, whatever the image size (JFR: the largest item of the main thread's Java time).
 * Here the session is asked for a scalar "sink" computed from the first output that waits, through control
 * dependencies, for every wanted array; {@link SessionMemory} keeps those arrays as their ops produce them (never
 * freed early, never released) and they are returned as SameDiff would have returned them.
 */
public final class GradientStep {
    private static final String SINK = "condseg_step_sink_";

    private GradientStep() {
    }

    /**
     * The values of {@code outputs} and the gradients of {@code params}. Without a {@link SessionMemory} for the step
     * ({@code mem} null: SameDiff's own manager, which may hand a released array out again) this is SameDiff's
     * calculateGradientsAndOutputs.
     */
    public static OutAndGrad run(SameDiff sd, SessionMemory mem, Map<String, INDArray> feeds, List<String> outputs,
            Collection<String> params) {
        if (mem == null || outputs.isEmpty()) {
            Graphs.gradFunction(sd); // the same kernels as with a SessionMemory
            return sd.calculateGradientsAndOutputs(feeds, outputs, params);
        }
        SameDiff grad = sd.getFunction("grad");
        Map<String, String> gradOf = new HashMap<>();
        Set<String> wanted = new LinkedHashSet<>(outputs);
        for (String p : params) {
            SDVariable g = sd.getVariable(p).getGradient();
            if (g != null) {
                gradOf.put(p, g.name());
                wanted.add(g.name());
            }
        }
        String sink = sink(grad, mem, outputs.get(0), wanted);
        grad.setEnableCache(false);
        grad.setListeners(sd.getListeners());
        grad.output(feeds, sink);
        Map<String, INDArray> got = mem.kept();
        Map<String, INDArray> outs = new HashMap<>();
        for (String o : outputs) {
            outs.put(o, required(got, o));
        }
        Map<String, INDArray> grads = new HashMap<>();
        gradOf.forEach((p, g) -> grads.put(p, required(got, g)));
        return new OutAndGrad(outs, grads);
    }

    private static INDArray required(Map<String, INDArray> got, String name) {
        INDArray a = got.get(name);
        if (a == null) {
            throw new IllegalStateException("the training step did not produce " + name);
        }
        return a;
    }

    /**
     * The sink for {@code wanted} in the gradient function, added the first time: {@code first} × 1, with an op control
     * dependency on every other wanted variable (SameDiff's session includes an op's control dependencies in the
     * subgraph it runs and waits for them). A sink made earlier for the same arrays is reused.
     */
    private static String sink(SameDiff grad, SessionMemory mem, String first, Set<String> wanted) {
        Set<String> others = new LinkedHashSet<>(wanted);
        others.remove(first);
        for (int n = 0;; n++) {
            String name = SINK + n;
            if (!grad.hasVariable(name)) {
                SDVariable v = grad.getVariable(first).mul(name, 1.0);
                Graphs.waitFor(grad, grad.getVariableOutputOp(v.name()).getOwnName(), others);
                mem.graphChanged(grad);
                return name;
            }
            SameDiffOp op = grad.getOps().get(grad.getVariableOutputOp(name).getOwnName());
            if (op.getInputsToOp().equals(List.of(first)) && op.getControlDeps() != null
                    && new HashSet<>(op.getControlDeps()).equals(others)) {
                return name;
            }
        }
    }
}
