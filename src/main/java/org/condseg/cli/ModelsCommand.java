package org.condseg.cli;

import java.util.concurrent.Callable;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.model.encoder.EncoderRegistry;
import org.condseg.nn.GraphMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code condseg models}: the registered networks and encoders with their parameter counts. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the registered networks with their trainable parameter counts and graph op counts.")
final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--width", defaultValue = "128", description = "model.width (default ${DEFAULT-VALUE}, the paper's)")
    int width;

    @Option(names = "--encoder", defaultValue = "resnet50", description = "model.encoder (default ${DEFAULT-VALUE})")
    String encoder;

    @Override
    public Integer call() {
        System.out.printf("%-18s %-10s %6s %14s %10s%n", "model", "encoder", "width", "parameters", "eval ops");
        for (String name : ModelRegistry.names()) {
            ModelConfig c = new ModelConfig();
            c.name = name;
            c.width = width;
            c.encoder = encoder;
            BuiltModel m = ModelRegistry.build(c, GraphMode.EVAL, true);
            System.out.printf("%-18s %-10s %6d %,14d %10d%n", name, encoder, width, m.parameterCount(),
                    m.sd().getOps().size());
        }
        System.out.println("encoders: " + String.join(", ", EncoderRegistry.names()));
        return 0;
    }
}
