package org.condseg.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.condseg.bench.Bench;
import org.condseg.bench.BenchStats;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelRegistry;
import org.condseg.nn.GraphMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cell of a {@code bench:} experiment (Table 8): the cell's network in its inference graph, timed with
 * {@link Bench} on random images of data.size at the section's batch, after warm-up. summary.json gets
 * {@code images_per_s} (at the median time), {@code ms_per_image} (median / batch), {@code params_M} and {@code gmacs} (one image); its scale
 * records the device, threads, size, batch and width.
 */
final class BenchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BenchRunner.class);

    private BenchRunner() {
    }

    static void runOne(RunSpec<ExperimentConfig> run, RunDirectory dir, BenchSpec spec) {
        ExperimentConfig c = run.config();
        Summary summary = Summary.begin(run, scale(c, spec));
        summary.record(dir, () -> {
            Nd4j.getRandom().setSeed(run.seed());
            BuiltModel m = ModelRegistry.build(c.model, GraphMode.EVAL, !c.model.skipAuxAtInference);
            String output = m.outputs().contains("mask") ? "mask" : m.outputs().get(0);
            INDArray x = Nd4j.rand(DataType.FLOAT, spec.batch(), 3, c.data.size, c.data.size); // [B,3,H,W]
            BenchStats s = Bench.of("inference").warmups(spec.warmups()).reps(spec.reps()).items(spec.batch())
                    .progress(LOG::info).run(() -> org.condseg.train.StepMemory.close(m.output(x, output).values()));
            summary.metrics.put("images_per_s", s.itemsPerSec());
            summary.metrics.put("ms_per_image", s.medianMs() / spec.batch());
            summary.metrics.put("params_M", m.parameterCount() / 1e6);
            // multiply-accumulates of one image (conv + matmul, as the paper's "FLOPs"), the graph as timed
            summary.metrics.put("gmacs", org.condseg.bench.MacCounter.count(m, c.data.size, c.data.size).total() / 1e9);
            summary.extra.put("median_ms", s.medianMs());
            summary.extra.put("p10_ms", s.p10Ms());
            summary.extra.put("p90_ms", s.p90Ms());
            summary.extra.put("load_average", s.loadAverage());
            LOG.info("{}: {}", run.name(), s);
        });
    }

    private static Map<String, Object> scale(ExperimentConfig c, BenchSpec spec) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("image_size", c.data.size);
        s.put("batch", spec.batch());
        s.put("model", c.model.name);
        s.put("encoder", c.model.encoder);
        s.put("width", c.model.width);
        s.put("reps", spec.reps());
        s.put("threads", threads());
        s.put("device", ExperimentRunner.device());
        return s;
    }

    private static int threads() {
        String env = System.getenv("OMP_NUM_THREADS");
        try {
            return env == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(env.strip());
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
