package org.condseg.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An experiment config after loading and expansion: its cells (validated), its report section and, for a benchmark
 * experiment, its bench section (null otherwise).
 */
public record ExperimentPlan(LoadedConfig loaded, List<RunSpec<ExperimentConfig>> runs, ReportSpec report,
        BenchSpec bench) {

    public String experiment() {
        return loaded.experiment();
    }

    /** The results root of the cells (the {@code results} key of the first cell; "results" without cells). */
    public Path resultsRoot() {
        return Path.of(runs.isEmpty() ? "results" : runs.get(0).config().results);
    }

    /** results/EXPERIMENT/. */
    public Path experimentDir() {
        return RunDirectory.experimentDir(resultsRoot(), experiment());
    }

    /** The paper's CSV under experiments/ (null when the config names none). */
    public Path paperTable() {
        String p = runs.isEmpty() ? "" : runs.get(0).config().paperTable;
        return p == null || p.isBlank() ? null : Path.of(p);
    }

    /** The run groups (table rows) in cell order, each once. */
    public List<String> groups() {
        List<String> out = new ArrayList<>();
        runs.stream().map(RunSpec::group).filter(g -> !out.contains(g)).forEach(out::add);
        return out;
    }

    /** Why a cell cannot run here (see {@link Availability}), null when it can. */
    public String problem(RunSpec<ExperimentConfig> run) {
        return Availability.problem(run.config(), bench != null);
    }
}
