package org.condseg.model.encoder;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.condseg.util.UserError;

/** Encoders by config name ({@code model.encoder}). */
public final class EncoderRegistry {
    private static final Map<String, Supplier<Encoder>> ENCODERS = new TreeMap<>();

    static {
        register("resnet18", ResNet::resnet18);
        register("resnet34", ResNet::resnet34);
        register("resnet50", ResNet::resnet50);
        register("vgg19", Vgg::vgg19);
        register("vgg19_bn", Vgg::vgg19Bn);
        register("pvt_v2_b2", PvtV2::b2);
    }

    private EncoderRegistry() {
    }

    public static synchronized void register(String name, Supplier<Encoder> factory) {
        ENCODERS.put(name, factory);
    }

    /** The encoder of that name; an unknown name is a UserError listing the valid ones. */
    public static synchronized Encoder get(String name) {
        Supplier<Encoder> f = ENCODERS.get(name);
        if (f == null) {
            throw new UserError("unknown model.encoder '" + name + "'; valid: " + String.join(", ", ENCODERS.keySet()));
        }
        return f.get();
    }

    public static synchronized java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(ENCODERS.keySet()));
    }
}
