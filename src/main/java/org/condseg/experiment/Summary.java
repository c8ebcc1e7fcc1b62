package org.condseg.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;

/**
 * summary.json of one run: status, identity (experiment, run, seed, config hash), final metrics, the scale the
 * run was made at (image size, width, epochs, subset, device: what a reader needs to judge the numbers) and any
 * extra facts. Written atomically; unknown JSON fields are ignored on read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Summary {
    public static final String RUNNING = "running";
    public static final String FINISHED = "finished";
    public static final String FAILED = "failed";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** running | finished | failed. */
    public String status = RUNNING;
    /** Experiment name (results/EXPERIMENT/). */
    public String experiment;
    /** Run name, e.g. K5/seed0. */
    public String run;
    /** The run's seed. */
    public Integer seed;
    /** SHA-256 of the run's resolved.yaml. */
    public String configHash;
    /** Wall-clock seconds of the run. */
    public Double seconds;
    /** Final metrics by name (e.g. mIoU, mDSC), the values the tables are assembled from. */
    public Map<String, Double> metrics = new LinkedHashMap<>();
    /** Scale of the run by name (imageSize, width, epochs, subset, device), copied into the tables. */
    public Map<String, Object> scale = new LinkedHashMap<>();
    /** Anything else worth keeping (best epoch, failure message...). */
    public Map<String, Object> extra = new LinkedHashMap<>();

    public boolean isFinished() {
        return FINISHED.equals(status);
    }

    /** The summary of a run that starts now (status running): its identity and the scale it runs at. */
    static Summary begin(RunSpec<?> run, Map<String, Object> scale) {
        Summary s = new Summary();
        s.experiment = run.experiment();
        s.run = run.name();
        s.seed = run.seed();
        s.configHash = run.hash();
        s.scale = scale;
        return s;
    }

    /**
     * Writes this summary (running), runs {@code body}, which fills the metrics, and writes it again with the
     * seconds taken: finished, or failed with the error, which is rethrown.
     */
    void record(RunDirectory dir, Runnable body) {
        long t0 = System.nanoTime();
        dir.writeSummary(this);
        try {
            body.run();
            status = FINISHED;
        } catch (RuntimeException | Error e) {
            status = FAILED;
            extra.put("error", String.valueOf(e.getMessage()));
            throw e;
        } finally {
            seconds = (System.nanoTime() - t0) / 1e9;
            dir.writeSummary(this);
        }
    }

    public static Summary read(Path file) {
        try {
            return JSON.readValue(AtomicFiles.readString(file), Summary.class);
        } catch (JsonProcessingException e) {
            throw new UserError(file + ": unreadable summary: " + e.getOriginalMessage(), e);
        }
    }

    public void write(Path file) {
        AtomicFiles.write(file, out -> JSON.writeValue(out, this));
    }
}
