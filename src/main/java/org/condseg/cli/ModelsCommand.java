package org.condseg.cli;

import java.util.concurrent.Callable;
import org.condseg.bench.MacCounter;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.model.encoder.EncoderRegistry;
import org.condseg.nn.GraphMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code condseg models}: the registered networks and encoders with their parameter counts, graph op counts and
 * multiply-accumulates of one forward pass ({@link MacCounter}: conv, depth-wise conv, deconv and matrix products;
 * bilinear upsampling, BN and element-wise ops excluded), with the auxiliary head and without it (inference).
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the registered networks with their trainable parameter counts, graph op counts and GMACs.")
final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--width", defaultValue = "128", description = "model.width (default ${DEFAULT-VALUE}, the paper's)")
    int width;

    @Option(names = "--encoder", description = "model.encoder for every network that takes one (default: the encoder "
            + "each network was published with: resnet50, resnet34 for cenet and cpfnet)")
    String encoder;

    @Option(names = "--macs-size", defaultValue = "256",
            description = "square input side for the GMACs count, batch 1 (default ${DEFAULT-VALUE}; 0 skips it: "
                    + "the count runs one forward pass per model)")
    int macsSize;

    @Override
    public Integer call() {
        System.out.printf("%-18s %-10s %6s %14s %10s %12s %14s%n", "model", "encoder", "width", "parameters", "eval ops",
                "GMACs", "GMACs (no aux)");
        for (String name : ModelRegistry.names()) {
            ModelConfig c = new ModelConfig();
            c.name = name;
            c.width = width;
            String enc = encoder != null ? encoder : ModelRegistry.paperEncoder(name);
            c.encoder = enc.equals("-") ? c.encoder : enc;
            BuiltModel m = ModelRegistry.build(c, GraphMode.EVAL, true);
            String all = "-";
            String inference = "-";
            if (macsSize > 0) {
                MacCounter.Result r = MacCounter.count(m, macsSize, macsSize);
                all = String.format("%.2f", r.total() / 1e9);
                inference = String.format("%.2f", r.withoutAux() / 1e9);
            }
            System.out.printf("%-18s %-10s %6d %,14d %10d %12s %14s%n", name, enc, width, m.parameterCount(),
                    m.sd().getOps().size(), all, inference);
        }
        if (macsSize > 0) {
            System.out.println("GMACs at " + macsSize + "x" + macsSize + ", batch 1; 'no aux' leaves out the SID "
                    + "auxiliary head and the uc branch, which inference skips");
        }
        System.out.println("encoders: " + String.join(", ", EncoderRegistry.names()));
        return 0;
    }
}
