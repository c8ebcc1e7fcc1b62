package org.condseg.model;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.condseg.model.condseg.ConDSeg;
import org.condseg.model.condseg.Net0;
import org.condseg.model.encoder.EncoderRegistry;
import org.condseg.nn.GraphMode;
import org.condseg.util.UserError;

/** Networks by config name ({@code model.name}). */
public final class ModelRegistry {
    private static final Map<String, ModelBuilder> MODELS = new TreeMap<>();

    static {
        register("condseg", ConDSeg::build);
        register("net0", Net0::build);
    }

    private ModelRegistry() {
    }

    public static synchronized void register(String name, ModelBuilder builder) {
        MODELS.put(name, builder);
    }

    public static synchronized Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(MODELS.keySet()));
    }

    /**
     * Builds a fresh graph. {@code withAux}: build the SID auxiliary head (needed for the stage-2 loss; the
     * inference graph usually skips it, see {@link ModelConfig#skipAuxAtInference}). Net_0 ignores it.
     */
    public static BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux) {
        ModelBuilder b;
        synchronized (ModelRegistry.class) {
            b = MODELS.get(cfg.name);
        }
        if (b == null) {
            throw new UserError("unknown model.name '" + cfg.name + "'; valid: " + String.join(", ", names()));
        }
        validate(cfg);
        return b.build(cfg, mode, withAux);
    }

    /** Checks the keys every builder relies on; a bad value is a UserError naming the key. */
    public static void validate(ModelConfig cfg) {
        EncoderRegistry.get(cfg.encoder);
        if (cfg.width < 2 || cfg.width % 2 != 0) {
            throw new UserError("model.width must be an even number ≥ 2, got " + cfg.width);
        }
        if (cfg.cdfa == null) {
            throw new UserError("model.cdfa is missing");
        }
        if (cfg.cdfa.heads < 1 || cfg.width % cfg.cdfa.heads != 0) {
            throw new UserError("model.width (" + cfg.width + ") must be divisible by model.cdfa.heads ("
                    + cfg.cdfa.heads + ")");
        }
        if (cfg.cdfa.window < 1 || cfg.cdfa.window % 2 == 0) {
            throw new UserError("model.cdfa.window must be odd and ≥ 1, got " + cfg.cdfa.window);
        }
        org.condseg.nn.ConvImpl.parse(cfg.convImpl, "model.convImpl");
        if (cfg.camMinHidden < 1) {
            throw new UserError("model.camMinHidden must be ≥ 1, got " + cfg.camMinHidden);
        }
        if (cfg.net0HeadWidth < 1) {
            throw new UserError("model.net0HeadWidth must be ≥ 1, got " + cfg.net0HeadWidth);
        }
    }
}
