package org.condseg.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a block declares its variables: a name prefix (the PyTorch module path, e.g. {@code cdfa1.input_cbr.0})
 * over a shared build context (the SameDiff graph, the mode, the init seed, the run-time {@link Geometry}, the
 * list of BatchNorm layers and the named intermediates). Parameters are "get or create": declaring a name that
 * already exists returns the existing variable, so a block built twice shares its weights.
 */
public final class Scope {
    private final Context ctx;
    private final String prefix;
    private final String view;

    private Scope(Context ctx, String prefix, String view) {
        this.ctx = ctx;
        this.prefix = prefix;
        this.view = view;
    }

    /** A fresh root scope over {@code sd}. */
    public static Scope root(SameDiff sd, GraphMode mode, long seed) {
        return new Scope(new Context(sd, mode, seed), "", "");
    }

    /** The scope of a sub-module: {@code child("conv").child("0")} declares {@code <prefix>conv.0.weight}. */
    public Scope child(String name) {
        return new Scope(ctx, prefix + name + ".", view);
    }

    /**
     * The same module tree for a second input through the same weights (e.g. Net_0 on X and Aug(X)): parameters
     * and buffers are shared, while named intermediates and BN batch statistics get {@code suffix} appended
     * ({@code layer0#1}, {@code layer0.1.batch_mean#1}). Both inputs must have the same shape.
     */
    public Scope view(String suffix) {
        return new Scope(ctx, prefix, suffix);
    }

    /** Name of a per-pass output (tap, batch statistic): the full name plus the view suffix. */
    public String outputName(String local) {
        return prefix + local + view;
    }

    /** Full variable name of a local name. */
    public String name(String local) {
        return prefix + local;
    }

    /** This scope's module path without the trailing dot ("" at the root). */
    public String path() {
        return prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
    }

    public SameDiff sd() {
        return ctx.sd;
    }

    public GraphMode mode() {
        return ctx.mode;
    }

    public Geometry geometry() {
        return ctx.geometry;
    }

    /** How convolutions of this graph are computed (default: {@link ConvImpl#effective}{@code (null)}). */
    public ConvImpl convImpl() {
        return ctx.convImpl;
    }

    /** Sets how the convolutions declared from now on in this graph are computed; returns this scope. */
    public Scope convImpl(ConvImpl impl) {
        ctx.convImpl = impl;
        return this;
    }

    /** Trainable tensor initialised U(-bound, bound) from the seeded stream of its full name. */
    public SDVariable uniformParam(String local, double bound, long... shape) {
        String n = name(local);
        if (ctx.sd.hasVariable(n)) {
            return existing(n, shape);
        }
        ctx.params.add(n);
        return ctx.sd.var(n, Init.uniform(ctx.seed, n, bound, shape));
    }

    /** Trainable tensor initialised to a constant (BN gamma 1, beta 0). */
    public SDVariable constParam(String local, double value, long... shape) {
        String n = name(local);
        if (ctx.sd.hasVariable(n)) {
            return existing(n, shape);
        }
        ctx.params.add(n);
        return ctx.sd.var(n, Init.full(value, shape));
    }

    /** Non-trainable state (BN running statistics): a SameDiff constant, which never gets a gradient. */
    public SDVariable buffer(String local, double value, long... shape) {
        String n = name(local);
        if (ctx.sd.hasVariable(n)) {
            return existing(n, shape);
        }
        ctx.buffers.add(n);
        INDArray a = Init.full(value, shape);
        return ctx.sd.constant(n, a);
    }

    private SDVariable existing(String n, long[] shape) {
        SDVariable v = ctx.sd.getVariable(n);
        if (!java.util.Arrays.equals(v.getShape(), shape)) {
            throw new IllegalStateException("variable " + n + " declared twice with shapes "
                    + java.util.Arrays.toString(v.getShape()) + " and " + java.util.Arrays.toString(shape));
        }
        return v;
    }

    /** Records a named intermediate (module path + local name), for parity checks and feature export. */
    public SDVariable tap(String local, SDVariable v) {
        ctx.taps.put(outputName(local), v);
        return v;
    }

    /** Records a BatchNorm layer. */
    public void addBnStat(BnStat s) {
        ctx.bnStats.add(s);
    }

    /** Trainable parameter names, in declaration (= PyTorch state_dict) order. */
    public List<String> params() {
        return Collections.unmodifiableList(new ArrayList<>(ctx.params));
    }

    /** Buffer (running statistics) names, in declaration order. */
    public List<String> buffers() {
        return Collections.unmodifiableList(new ArrayList<>(ctx.buffers));
    }

    public List<BnStat> bnStats() {
        return Collections.unmodifiableList(ctx.bnStats);
    }

    /** Named intermediates, by full name. */
    public Map<String, SDVariable> taps() {
        return Collections.unmodifiableMap(ctx.taps);
    }

    private static final class Context {
        final SameDiff sd;
        final GraphMode mode;
        final long seed;
        final Geometry geometry;
        final Set<String> params = new LinkedHashSet<>();
        final Set<String> buffers = new LinkedHashSet<>();
        final List<BnStat> bnStats = new ArrayList<>();
        final Map<String, SDVariable> taps = new LinkedHashMap<>();
        ConvImpl convImpl = ConvImpl.effective(null);

        Context(SameDiff sd, GraphMode mode, long seed) {
            this.sd = sd;
            this.mode = mode;
            this.seed = seed;
            this.geometry = new Geometry(sd);
        }
    }
}
