package org.condseg.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.condseg.data.Dataset;
import org.condseg.data.DatasetReader;
import org.condseg.data.DatasetRegistry;
import org.condseg.data.VolumeReader;
import org.condseg.eval.MultiClassMetrics;
import org.condseg.train.VolumeEvaluator;
import org.condseg.data.Split;
import org.condseg.eval.MetricSummary;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.nn.GraphMode;
import org.condseg.train.Checkpoint;
import org.condseg.train.Evaluator;
import org.condseg.train.TwoStageTrainer;
import org.condseg.util.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an experiment: expands the config into its cells, trains and evaluates each in its run directory,
 * and assembles {@code results/<experiment>/table.csv}. Finished runs are never redone or overwritten; an
 * unfinished run continues only with {@code --resume}.
 */
public final class ExperimentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    /**
     * The command-line choices. {@code only}: glob patterns over the cell groups (e.g. {@code kvasir-seg_*}); an
     * empty list selects every cell.
     */
    public record Options(Path config, String profile, List<String> sets, boolean resume, boolean dryRun,
                          String shard, List<String> only) {
        public Options(Path config, String profile, List<String> sets, boolean resume, boolean dryRun, String shard) {
            this(config, profile, sets, resume, dryRun, shard, List.of());
        }

        /** The cells of this shard whose group matches one of {@link #only} (all of them when it is empty). */
        List<RunSpec<ExperimentConfig>> select(List<RunSpec<ExperimentConfig>> all) {
            List<RunSpec<ExperimentConfig>> shardCells = Shard.parse(shard).select(all);
            if (only.isEmpty()) {
                return shardCells;
            }
            List<java.util.regex.Pattern> globs = only.stream()
                    .map(g -> java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(g).replace("*", "\\E.*\\Q")))
                    .toList();
            List<RunSpec<ExperimentConfig>> out = shardCells.stream()
                    .filter(r -> globs.stream().anyMatch(p -> p.matcher(r.group()).matches())).toList();
            if (out.isEmpty()) {
                throw new UserError("--only " + String.join(",", only) + " matches no cell of " + config
                        + " (see --dry-run for the cell names)");
            }
            return out;
        }
    }

    private ExperimentRunner() {
    }

    /** Expands the config (every cell is validated here, before any run starts); the cells of the shard. */
    public static List<RunSpec<ExperimentConfig>> plan(Options o) {
        return o.select(load(o).runs());
    }

    /** Loads and expands the config: every cell (all shards), the report and bench sections. */
    public static ExperimentPlan load(Options o) {
        if (!Files.isRegularFile(o.config())) {
            throw new UserError("config file not found: " + o.config());
        }
        LoadedConfig loaded = new ConfigLoader().profile(o.profile()).sets(o.sets())
                .presets(ExperimentConfig.presets()).load(o.config());
        ReportSpec report = ReportSpec.of(loaded);
        BenchSpec bench = BenchSpec.of(loaded);
        List<RunSpec<ExperimentConfig>> all = new SweepExpander<>(ExperimentConfig.class).seedKey("train.seed")
                .expand(loaded);
        return new ExperimentPlan(loaded, all, report, bench);
    }

    public static int run(Options o) {
        ExperimentPlan plan = load(o);
        List<RunSpec<ExperimentConfig>> runs = o.select(plan.runs());
        if (o.dryRun()) {
            System.out.print(dryRun(plan, runs));
            return 0;
        }
        int i = 0;
        int unavailable = 0;
        Throwable failure = null; // the first cell that failed for a reason other than the user's input
        for (RunSpec<ExperimentConfig> run : runs) {
            i++;
            String problem = plan.problem(run);
            if (problem != null) {
                unavailable++;
                LOG.warn("run {}/{} {}: {}; reported as such in the table{}", i, runs.size(), run.name(), problem,
                        problem.startsWith(Availability.NO_DATA) ? " (" + Availability.NO_DATA_HINT + ")" : "");
                continue;
            }
            RunDirectory dir = RunDirectory.prepare(Path.of(run.config().results), run);
            if (dir.isFinished()) {
                LOG.info("run {}/{} {}: finished before, kept as it is", i, runs.size(), run.name());
                continue;
            }
            boolean started = Files.exists(dir.trainLogFile()) || hasCheckpoints(dir);
            if (started && !o.resume()) {
                throw new UserError("run " + dir.path() + " has unfinished results; pass --resume to continue it,"
                        + " or delete that folder to start it again");
            }
            LOG.info("run {}/{} {} ({})", i, runs.size(), run.name(), run.config().description);
            try {
                if (plan.bench() != null) {
                    BenchRunner.runOne(run, dir, plan.bench());
                } else {
                    runOne(run, dir, o.resume());
                }
            } catch (UserError e) {
                throw e;
            } catch (RuntimeException | OutOfMemoryError e) {
                // one cell's crash (e.g. out of memory at a large window) must not cost the others or the table
                LOG.error("run {}/{} {} failed ({}: {}); its summary says so, the other cells go on", i, runs.size(),
                        run.name(), e.getClass().getSimpleName(), e.getMessage());
                failure = failure == null ? e : failure;
                System.gc();
            }
        }
        if (!runs.isEmpty()) {
            ExperimentReport.Outputs out = ExperimentReport.write(plan);
            LOG.info("table: {}; report: {}{}{}", out.table(), out.markdown(), out.plot() == null ? "" : "; plot: " + out.plot(),
                    unavailable == 0 ? "" : "; " + unavailable + " cell(s) could not run here (see the status column)");
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
        return 0;
    }

    /** Rebuilds table.csv, the paper-vs-measured Markdown and the plot from the run folders; trains nothing. */
    public static ExperimentReport.Outputs report(Options o) {
        ExperimentReport.Outputs out = ExperimentReport.write(load(o));
        LOG.info("table: {}; report: {}{}", out.table(), out.markdown(), out.plot() == null ? "" : "; plot: " + out.plot());
        return out;
    }

    /** The --dry-run listing: one line per cell (with why it cannot run here, if so), then the paper's rows. */
    public static String dryRun(ExperimentPlan plan, List<RunSpec<ExperimentConfig>> runs) {
        StringBuilder out = new StringBuilder();
        out.append(plan.experiment()).append(": ").append(runs.size()).append(" cell(s)")
                .append(plan.bench() == null ? "" : " (inference benchmark: " + plan.bench() + ")")
                .append(", profile ").append(plan.loaded().profile() == null ? "none" : plan.loaded().profile()).append('\n');
        for (RunSpec<ExperimentConfig> run : runs) {
            String problem = plan.problem(run);
            out.append(run.describe()).append(problem == null ? "" : "  [" + problem + "]").append('\n');
        }
        if (runs.stream().map(plan::problem).anyMatch(x -> x != null && x.startsWith(Availability.NO_DATA))) {
            out.append("[data not available]: ").append(Availability.NO_DATA_HINT).append('\n');
        }
        return out.append(ExperimentReport.paperRows(plan)).toString();
    }

    private static boolean hasCheckpoints(RunDirectory dir) {
        try (var s = Files.list(dir.checkpoints())) {
            return s.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Trains, then evaluates the best checkpoint on the test split (val where the data set has none). */
    static void runOne(RunSpec<ExperimentConfig> run, RunDirectory dir, boolean resume) {
        ExperimentConfig c = run.config();
        Summary summary = Summary.begin(run, scale(c));
        summary.record(dir, () -> {
            TwoStageTrainer.Outcome out = TwoStageTrainer.train(
                    new TwoStageTrainer.Inputs(c.data, c.model, c.train, c.loss, c.eval), dir.checkpoints(),
                    dir.epochSink(), run.hash(), resume, LOG::info);
            if (c.model.numClasses > 1) {
                VolumeReader reader = volumeReader(c);
                MultiClassMetrics.Summary r = evaluateVolumes(out.finalModel(), out.bestCheckpoint(), c, reader);
                MultiClassReport.writePerCase(dir.path().resolve(MultiClassReport.PER_CASE), r, reader.classNames());
                summary.metrics = MultiClassReport.tableMetrics(r, reader.classNames());
                summary.extra.put("hd95_per_organ", MultiClassReport.organHd95(r, reader.classNames()));
                summary.extra.put("cases", r.ids().size());
            } else {
                Evaluator.Result r = evaluate(out.finalModel(), out.bestCheckpoint(), c, Split.test);
                r.metrics().writePerImageCsv(dir.perImage());
                summary.metrics = new LinkedHashMap<>(r.metrics().means());
                summary.metrics.put("loss", r.meanLoss());
            }
            summary.extra.putAll(out.facts());
            summary.extra.put("evaluated_checkpoint", dir.path().relativize(out.bestCheckpoint()).toString());
        });
        if (c.model.numClasses > 1) {
            LOG.info("{}: DSC {} HD95 {} on {} volumes", run.name(), fmt(summary.metrics.get("DSC")),
                    fmt(summary.metrics.get("HD95")), summary.extra.get("cases"));
        } else {
            LOG.info("{}: mIoU {} mDSC {} on {} images", run.name(), fmt(summary.metrics.get("iou")),
                    fmt(summary.metrics.get("dice")), summary.metrics.get("images"));
        }
    }

    /** The dataset reader of a multi-class run; it must score per volume (Synapse). */
    static VolumeReader volumeReader(ExperimentConfig c) {
        DatasetReader reader = DatasetRegistry.reader(c.data);
        if (!(reader instanceof VolumeReader v)) {
            throw new UserError("model.numClasses " + c.model.numClasses + " > 1 needs a multi-class dataset scored per"
                    + " volume (synapse); data.dataset is " + c.data.dataset);
        }
        return v;
    }

    /** Scores a multi-class checkpoint on the reader's test volumes (slice by slice, stacked, 3-D metrics). */
    public static MultiClassMetrics.Summary evaluateVolumes(ModelConfig model, Path checkpoint, ExperimentConfig c,
            VolumeReader reader) {
        BuiltModel m = ModelRegistry.build(model, GraphMode.EVAL, !model.skipAuxAtInference);
        m.load(Checkpoint.load(checkpoint).weights, false);
        return VolumeEvaluator.run(m, reader, c.data, Math.max(1, c.train.stage2.batchSize));
    }

    /** Scores a checkpoint with the EVAL graph of {@code model} on a split of the run's data set. */
    public static Evaluator.Result evaluate(ModelConfig model, Path checkpoint, ExperimentConfig c, Split split) {
        BuiltModel m = ModelRegistry.build(model, GraphMode.EVAL, !model.skipAuxAtInference);
        m.load(Checkpoint.load(checkpoint).weights, false);
        Dataset data = Dataset.open(c.data, split);
        int batch = Math.max(1, c.train.stage2.batchSize);
        return new Evaluator(m, c.loss).run(data, c.data, c.eval, batch, "evaluate " + split);
    }

    /** What a reader needs to tell a quick CPU run from a paper-scale one. */
    static Map<String, Object> scale(ExperimentConfig c) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("dataset", c.data.dataset + (c.data.synthetic ? " (synthetic layout)" : ""));
        s.put("image_size", c.data.size);
        s.put("train_subset", c.data.trainSubset);
        s.put("model", c.model.name);
        s.put("encoder", c.model.encoder);
        s.put("width", c.model.width);
        if (c.model.numClasses > 1) {
            s.put("classes", c.model.numClasses);
        }
        s.put("strategy", c.train.strategy.name());
        s.put("stage1_epochs", c.train.stage1.epochs);
        s.put("stage2_epochs", c.train.stage2.epochs);
        s.put("fidelity", c.fidelity);
        s.put("device", device());
        return s;
    }

    /** The backend and its libnd4j build, as runs record it: cpu-onednn, cuda-cudnn. */
    static String device() {
        return org.condseg.util.NativeBackend.deviceName();
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format("%.4f", v);
    }
}
