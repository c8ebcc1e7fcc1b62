package org.condseg.model;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.condseg.model.compare.AttentionUNet;
import org.condseg.model.compare.UNet;
import org.condseg.model.compare.UNetPlusPlus;
import org.condseg.loss.MaskLossKind;
import org.condseg.model.compare.CeNet;
import org.condseg.model.compare.CpfNet;
import org.condseg.model.compare.PraNet;
import org.condseg.model.condseg.Ablations;
import org.condseg.model.condseg.ConDSeg;
import org.condseg.model.condseg.Net0;
import org.condseg.model.encoder.EncoderRegistry;
import org.condseg.nn.GraphMode;
import org.condseg.util.UserError;

/** Networks by config name ({@code model.name}). */
public final class ModelRegistry {
    private static final Map<String, ModelBuilder> MODELS = new TreeMap<>();
    /** Networks built on the ConDSeg encoder and modules; only they read model.encoder, cdfa, cam and net0 keys. */
    private static final Set<String> CONDSEG_FAMILY = Set.of("condseg", "net0");
    /** Networks trained from scratch without a registry encoder; they ignore model.encoder. */
    private static final Set<String> ENCODERLESS = Set.of("unet", "unetpp", "attention_unet");
    private static final Map<String, MaskLossKind> DEFAULT_LOSS = new TreeMap<>();

    static {
        register("condseg", ConDSeg::build);
        register("condseg_baseline", Ablations::baseline);
        register("condseg_no_sad", Ablations::noSad);
        register("net0", Net0::build);
        register("unet", UNet::build);
        register("unetpp", UNetPlusPlus::build);
        register("attention_unet", AttentionUNet::build);
        register("pranet", PraNet::build, MaskLossKind.STRUCTURE);
        register("cenet", CeNet::build);
        register("cpfnet", CpfNet::build);
    }

    private ModelRegistry() {
    }

    public static synchronized void register(String name, ModelBuilder builder) {
        register(name, builder, MaskLossKind.BCE_DICE);
    }

    /** Registers a network with its own published loss ({@code loss.maskLoss: model_default} picks it). */
    public static synchronized void register(String name, ModelBuilder builder, MaskLossKind defaultLoss) {
        if (defaultLoss == MaskLossKind.MODEL_DEFAULT) {
            throw new IllegalArgumentException("a network's default loss must be a concrete loss");
        }
        MODELS.put(name, builder);
        DEFAULT_LOSS.put(name, defaultLoss);
    }

    /** The loss a network was registered with (BCE_DICE when it has none of its own). */
    public static synchronized MaskLossKind defaultLoss(String name) {
        return DEFAULT_LOSS.getOrDefault(name, MaskLossKind.BCE_DICE);
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

    /**
     * The encoder a network was published with: ResNet-34 for CE-Net and CPFNet, none for the U-Net family (they
     * ignore model.encoder), ResNet-50 otherwise (ConDSeg; PraNet's Res2Net-50 is replaced by it).
     */
    public static String paperEncoder(String name) {
        if (ENCODERLESS.contains(name)) {
            return "-";
        }
        return name.equals("cenet") || name.equals("cpfnet") ? "resnet34" : "resnet50";
    }

    /**
     * Checks the keys the builder of {@code cfg.name} relies on; a bad value is a UserError naming the key. The
     * encoder is checked for every network built on one; the CDFA, CAM and Net_0 keys for the ConDSeg family only.
     */
    public static void validate(ModelConfig cfg) {
        if (cfg.width < 2 || cfg.width % 2 != 0) {
            throw new UserError("model.width must be an even number ≥ 2, got " + cfg.width);
        }
        if (!ENCODERLESS.contains(cfg.name)) {
            EncoderRegistry.get(cfg.encoder);
        }
        if (!CONDSEG_FAMILY.contains(cfg.name)) {
            if (cfg.numClasses != 1) {
                throw new UserError("model.numClasses > 1 is built by condseg and net0 only, not by " + cfg.name);
            }
            return;
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
        if (cfg.numClasses < 1) {
            throw new UserError("model.numClasses must be ≥ 1 (1 = binary), got " + cfg.numClasses);
        }
        if (cfg.net0HeadWidth < 1) {
            throw new UserError("model.net0HeadWidth must be ≥ 1, got " + cfg.net0HeadWidth);
        }
    }
}
