package org.condseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.condseg.experiment.ExperimentReport;
import org.condseg.experiment.ExperimentRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code condseg report CONFIG.yaml}: table.csv, the paper-vs-measured Markdown and the plot, from finished runs only. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild results/<experiment>/table.csv, the paper-vs-measured Markdown and its plot from the"
                + " run folders, without training.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "experiment config (see configs/)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a key, as for run (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--profile", description = "profile the runs were made with (default: quick when the config has one)")
    String profile;

    @Override
    public Integer call() {
        ExperimentReport.Outputs out = ExperimentRunner.report(
                new ExperimentRunner.Options(config, profile, sets, false, false, "0/1"));
        System.out.println("table: " + out.table());
        if (out.paperLayout() != null) {
            System.out.println("paper layout: " + out.paperLayout());
        }
        System.out.println("report: " + out.markdown());
        if (out.plot() != null) {
            System.out.println("plot: " + out.plot());
        }
        return 0;
    }
}
