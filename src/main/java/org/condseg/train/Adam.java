package org.condseg.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba 2015) with PyTorch's defaults and semantics (bias-corrected moments, eps added after the
 * square root, no weight decay), over named parameters split into two groups with their own learning rate.
 *
 * <p>SameDiff's TrainingConfig takes one updater for the whole graph, but the paper trains stage 2 with the
 * encoder at 1e-5 and the rest at 1e-4: the trainer computes gradients with SameDiff and applies them here.
 * The moments are plain arrays keyed by parameter name, so they go into checkpoints and resume exactly.
 */
public final class Adam {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Predicate<String> inSlowGroup;
    private double lr;
    private double slowLr;
    private long step;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();

    /**
     * @param lr          learning rate of the main group
     * @param slowLr      learning rate of the parameters {@code inSlowGroup} selects (the encoder)
     * @param inSlowGroup which parameter names belong to the slow group
     */
    public Adam(double lr, double slowLr, Predicate<String> inSlowGroup) {
        this(lr, slowLr, inSlowGroup, 0.9, 0.999, 1e-8);
    }

    public Adam(double lr, double slowLr, Predicate<String> inSlowGroup, double beta1, double beta2, double eps) {
        this.lr = lr;
        this.slowLr = slowLr;
        this.inSlowGroup = inSlowGroup;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** One update of every parameter that has a gradient; {@code params} arrays are changed in place. */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            String name = e.getKey();
            INDArray p = params.get(name);
            if (p == null) {
                continue;
            }
            INDArray g = e.getValue();
            INDArray mi = m.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
            INDArray vi = v.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
            INDArray t = g.mul(1 - beta1);
            mi.muli(beta1).addi(t);                                      // m = b1 m + (1-b1) g
            t.assign(g).muli(g).muli(1 - beta2);
            vi.muli(beta2).addi(t);                                      // v = b2 v + (1-b2) g^2
            INDArray denom = Transforms.sqrt(vi, true).divi(Math.sqrt(bc2)).addi(eps);
            double rate = (inSlowGroup.test(name) ? slowLr : lr) / bc1;
            t.assign(mi).divi(denom).muli(rate);
            p.subi(t);                                                   // p -= lr * mhat / (sqrt(vhat) + eps)
            StepMemory.close(t);                                         // temporaries: free now, not at the next GC
            StepMemory.close(denom);
        }
    }

    public double lr() {
        return lr;
    }

    public double slowLr() {
        return slowLr;
    }

    /** Scales both groups' rates, as ReduceLROnPlateau does. */
    public void scaleLr(double factor) {
        lr *= factor;
        slowLr *= factor;
    }

    public long stepCount() {
        return step;
    }

    /** The moments, keyed {@code m/<name>} and {@code v/<name>}, plus the step count, for checkpoints. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        m.forEach((k, a) -> out.put("m/" + k, a));
        v.forEach((k, a) -> out.put("v/" + k, a));
        out.put("step", Nd4j.scalar((double) step));
        out.put("lr", Nd4j.createFromArray(lr, slowLr));
        return out;
    }

    public void load(Map<String, INDArray> state) {
        m.clear();
        v.clear();
        state.forEach((k, a) -> {
            if (k.startsWith("m/")) {
                m.put(k.substring(2), a.dup());
            } else if (k.startsWith("v/")) {
                v.put(k.substring(2), a.dup());
            }
        });
        step = state.containsKey("step") ? (long) state.get("step").getDouble(0) : 0;
        if (state.containsKey("lr")) {
            lr = state.get("lr").getDouble(0);
            slowLr = state.get("lr").getDouble(1);
        }
    }
}
