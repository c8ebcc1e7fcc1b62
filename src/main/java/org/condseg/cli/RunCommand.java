package org.condseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.condseg.experiment.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code condseg run CONFIG.yaml ...} (what ./run-experiment calls): every run of an experiment config. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run every cell of an experiment config; write run directories and table.csv under results/.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "experiment config (see configs/)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a key, e.g. --set model.cdfa.window=5 (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--profile", description = "profile: quick (CPU, minutes; the default when the config has one) or paper (GPU scale)")
    String profile;

    @Option(names = "--resume", description = "continue unfinished runs from their last checkpoint")
    boolean resume;

    @Option(names = "--dry-run", description = "list the runs (one line each, with the keys that vary) and exit")
    boolean dryRun;

    @Option(names = "--only", split = ",", paramLabel = "GLOB", description = "run only the cells whose name (without /seedN) matches, e.g. --only 'kvasir-seg_*' (comma-separated, repeatable)")
    List<String> only = new java.util.ArrayList<>();

    @Option(names = "--shard", defaultValue = "0/1", paramLabel = "i/n", description = "run only every n-th cell, starting at i (0-based); default ${DEFAULT-VALUE}")
    String shard;

    @Override
    public Integer call() {
        return ExperimentRunner.run(new ExperimentRunner.Options(config, profile, sets, resume, dryRun, shard, only));
    }
}
