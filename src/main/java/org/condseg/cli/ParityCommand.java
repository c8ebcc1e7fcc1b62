package org.condseg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.condseg.parity.ParityRunner;
import org.condseg.util.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code condseg parity --fixture DIR}: the graph against a fixture folder in the golden format. */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Compare the SameDiff graph with a fixture folder in the ../shared/golden format (weights filled from"
                + " the manifest's formula by name); one line per tensor; non-zero exit on any failure.")
final class ParityCommand implements Callable<Integer> {
    @Option(names = "--fixture", required = true, description = "fixture folder holding a manifest.json")
    Path fixture;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(fixture.resolve("manifest.json"))) {
            throw new UserError(fixture + " is not a fixture folder (no manifest.json)");
        }
        return ParityRunner.run(fixture, System.out);
    }
}
