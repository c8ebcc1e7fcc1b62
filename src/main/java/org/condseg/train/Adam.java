package org.condseg.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

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

    /**
     * One update of every parameter that has a gradient; {@code params} arrays are changed in place, and so are the
     * gradients (they hold the update afterwards). Each parameter is one fused libnd4j {@code adam_updater} (moments
     * updated in place, the update written over the gradient) and one subtraction: two native calls and no
     * temporaries, where eleven elementwise ops and two fresh arrays per parameter took ≈ 0.8 s of a paper-width
     * step (511 parameters; JFR, README Performance). The op computes lr · √(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε');
     * PyTorch's m̂ / (√v̂ + ε) is that with ε' = ε · √(1−β2ᵗ).
     */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads) {
        step++;
        double epsOnRawRoot = eps * Math.sqrt(1 - Math.pow(beta2, step));
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            String name = e.getKey();
            INDArray p = params.get(name);
            if (p == null) {
                continue;
            }
            INDArray g = e.getValue();
            INDArray mi = m.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
            INDArray vi = v.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
            double rate = inSlowGroup.test(name) ? slowLr : lr;
            Nd4j.exec(new AdamUpdater(g, vi, mi, rate, beta1, beta2, epsOnRawRoot, (int) (step - 1))); // g := update
            p.subi(g);
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
