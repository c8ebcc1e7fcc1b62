package org.condseg.nn;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small helpers around SameDiff M2.1. */
public final class Graphs {
    private static final Object STDOUT_LOCK = new Object();

    private Graphs() {
    }

    /**
     * Builds the gradient graph once. M2.1's createGradFunction prints one "Added differentiated op" line per op
     * to System.out (thousands for ConDSeg); this swallows them. Call it before the first gradient computation.
     */
    public static void createGradFunction(SameDiff sd) {
        if (sd.getFunction("grad") != null) {
            return;
        }
        quietly(() -> {
            sd.createGradFunction();
            return null;
        });
    }

    /**
     * The gradient graph ({@link #createGradFunction}), run on this thread by a {@link KernelSession}, as training
     * steps are.
     */
    public static SameDiff gradFunction(SameDiff sd) {
        createGradFunction(sd);
        SameDiff grad = sd.getFunction("grad");
        KernelSession.install(grad);
        return grad;
    }

    /** {@link SameDiff#calculateGradients} on the {@link #gradFunction}. */
    public static Map<String, INDArray> gradients(SameDiff sd, Map<String, INDArray> placeholders,
            Collection<String> variables) {
        gradFunction(sd);
        return sd.calculateGradients(placeholders, variables);
    }

    /**
     * A forward pass, as models are run for prediction, evaluation and benchmarks: a {@link KernelSession} with a
     * {@link SessionMemory#inference} manager, so that every array of the pass other than the requested ones is freed
     * once its last reader has run. The caller owns what is returned (close it when done).
     */
    public static Map<String, INDArray> output(SameDiff sd, Map<String, INDArray> feeds, String... names) {
        KernelSession.install(sd);
        SessionMemory mem = SessionMemory.inference(sd, java.util.Arrays.asList(names));
        Map<String, INDArray> out = sd.output(feeds, names);
        if (mem != null) {
            mem.closeAllBut(out.values());
        }
        return out;
    }

    /** Runs {@code body} with System.out silenced (serialised, since System.out is global). */
    public static <T> T quietly(Supplier<T> body) {
        synchronized (STDOUT_LOCK) {
            PrintStream old = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                return body.get();
            } finally {
                System.setOut(old);
            }
        }
    }

    /**
     * A scalar zero of {@code like}'s type, returned by an op's {@code doDiff} for an input that needs no gradient
     * (batch statistics, fixed matrices): SameDiff then computes nothing for it.
     */
    static SDVariable zeroGradient(SameDiff sd, SDVariable like) {
        return sd.constant(org.nd4j.linalg.factory.Nd4j.scalar(like.dataType(), 0.0));
    }

    /**
     * Makes op {@code opName} wait until every variable in {@code vars} is available. SameDiff's session tracks op
     * control dependencies by variable name (variable control dependencies it ignores), and includes them in the
     * subgraph it runs.
     */
    static void waitFor(SameDiff sd, String opName, Collection<String> vars) {
        SameDiffOp op = sd.getOps().get(opName);
        List<String> deps = op.getControlDeps() == null ? new ArrayList<>() : new ArrayList<>(op.getControlDeps());
        for (String v : vars) {
            deps.add(v);
            Variable var = sd.getVariables().get(v);
            List<String> forOps = var.getControlDepsForOp() == null ? new ArrayList<>()
                    : new ArrayList<>(var.getControlDepsForOp());
            forOps.add(opName);
            var.setControlDepsForOp(forOps);
        }
        op.setControlDeps(deps);
    }

    /** Number of ops in the forward graph. */
    public static int opCount(SameDiff sd) {
        return sd.getOps().size();
    }
}
