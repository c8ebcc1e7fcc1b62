package org.condseg.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.condseg.train.StageLoop;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;

/**
 * The unit of record: results/EXPERIMENT/RUN-NAME/ holding resolved.yaml, train_log.csv, per_image.csv,
 * summary.json, curves.png and checkpoints/. Tables are assembled only from these folders.
 */
public final class RunDirectory {
    public static final String RESOLVED = "resolved.yaml";
    public static final String TRAIN_LOG = "train_log.csv";
    public static final String PER_IMAGE = "per_image.csv";
    public static final String SUMMARY = "summary.json";
    public static final String CURVES = "curves.png";
    public static final String CHECKPOINTS = "checkpoints";

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** results/EXPERIMENT/. */
    public static Path experimentDir(Path resultsRoot, String experiment) {
        return resultsRoot.resolve(experiment);
    }

    /** An existing (or future) run folder, for reading; creates nothing. */
    public static RunDirectory at(Path dir) {
        return new RunDirectory(dir);
    }

    /**
     * Create (or reopen, to resume) the folder of {@code run} under {@code resultsRoot} and write its resolved.yaml.
     * A folder whose resolved.yaml holds a different config is refused: its records belong to another config. A
     * record written before keys were added to the code, and differing only by those keys at their defaults, is
     * the same config ({@link KeyDefaults}); it is kept as written.
     */
    public static RunDirectory prepare(Path resultsRoot, RunSpec<?> run) {
        Path dir = experimentDir(resultsRoot, run.experiment()).resolve(run.name());
        try {
            Files.createDirectories(resultsRoot);
        } catch (IOException e) {
            throw new UserError("results root " + resultsRoot + " is not writable (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "); pass another results folder", e);
        }
        if (!Files.isDirectory(resultsRoot) || !Files.isWritable(resultsRoot)) {
            throw new UserError("results root " + resultsRoot + " is not writable; pass another results folder");
        }
        try {
            Files.createDirectories(dir.resolve(CHECKPOINTS));
        } catch (IOException e) {
            throw new UserError("cannot create run folder " + dir + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
        RunDirectory rd = new RunDirectory(dir);
        Path resolved = rd.resolvedYaml();
        if (Files.exists(resolved)) {
            String old = AtomicFiles.readString(resolved);
            if (!old.equals(run.resolvedYaml()) && !KeyDefaults.onlyNewKeysAtDefault(old, run)) {
                throw new UserError(resolved + " holds a different config (hash " + ResolvedConfig.sha256(old)
                        .substring(0, 12) + ", this run " + run.hash().substring(0, 12) + "); delete " + dir
                        + " to rerun it, or give the experiment another name");
            }
        } else {
            AtomicFiles.writeString(resolved, run.resolvedYaml());
        }
        return rd;
    }

    public Path path() {
        return dir;
    }

    public Path resolvedYaml() {
        return dir.resolve(RESOLVED);
    }

    public Path trainLogFile() {
        return dir.resolve(TRAIN_LOG);
    }

    public Path perImage() {
        return dir.resolve(PER_IMAGE);
    }

    public Path summaryFile() {
        return dir.resolve(SUMMARY);
    }

    public Path curves() {
        return dir.resolve(CURVES);
    }

    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    /** The train log, with the rows already written (for resume). */
    public TrainLog trainLog() {
        return TrainLog.open(trainLogFile());
    }

    /** The summary, or null when the run has none yet. */
    public Summary summary() {
        return Files.exists(summaryFile()) ? Summary.read(summaryFile()) : null;
    }

    public void writeSummary(Summary summary) {
        summary.write(summaryFile());
    }

    /**
     * Where {@link StageLoop} sends its epochs: each one appends a train_log.csv row ({@code stage}, {@code epoch}
     * as the loop counts it, then the loop's values) and redraws curves.png.
     */
    public StageLoop.EpochSink epochSink() {
        TrainLog log = trainLog();
        return new StageLoop.EpochSink() {
            @Override
            public void epochDone(String stage, int epoch, Map<String, Double> values) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put(TrainLog.STAGE, stage);
                row.put(TrainLog.EPOCH, epoch);
                row.putAll(values);
                log.append(row);
                Curves.write(log, curves());
            }

            @Override
            public void truncateAfter(String stage, int epoch) {
                log.truncateAfter(stage, epoch);
            }
        };
    }

    /** True when summary.json exists with status finished: the run can be skipped. */
    public boolean isFinished() {
        Summary s = summary();
        return s != null && s.isFinished();
    }
}
