package org.condseg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.condseg.experiment.ExperimentConfig;
import org.condseg.experiment.ExperimentRunner;
import org.condseg.experiment.RunDirectory;
import org.condseg.experiment.RunSpec;
import org.condseg.experiment.Summary;
import org.condseg.model.ModelConfig;
import org.condseg.train.Checkpoint;
import org.condseg.train.Predictor;
import org.condseg.train.TwoStageTrainer;
import org.condseg.util.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code condseg predict --checkpoint RUN_DIR --input IMAGES --output OUT}: masks and overlays for a folder. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Segment a folder of images with a trained run: a mask PNG and an overlay PNG per image, at the image's size.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "RUN_DIR", description = "a run directory (results/<experiment>/<run>)")
    Path runDir;

    @Option(names = "--input", required = true, description = "folder of images")
    Path input;

    @Option(names = "--output", required = true, description = "folder for <stem>.png masks and <stem>_overlay.png")
    Path output;

    @Option(names = "--threshold", description = "probability threshold (default: the run's eval.threshold)")
    Double threshold;

    @Override
    public Integer call() {
        Path resolved = runDir.resolve(RunDirectory.RESOLVED);
        if (!Files.isRegularFile(resolved)) {
            throw new UserError(runDir + " is not a run directory (no " + RunDirectory.RESOLVED + ")");
        }
        List<RunSpec<ExperimentConfig>> runs = ExperimentRunner.plan(
                new ExperimentRunner.Options(resolved, null, List.of(), false, false, "0/1"));
        ExperimentConfig c = runs.get(0).config();
        Path ck = checkpoint(RunDirectory.at(runDir), c);
        ModelConfig model = TwoStageTrainer.finalModel(c.model, c.train.strategy);
        Predictor p = new Predictor(model, Checkpoint.load(ck), c.data, threshold == null ? c.eval.threshold : threshold);
        int n = p.run(input, output);
        System.out.println("wrote " + n + " masks and overlays to " + output);
        return 0;
    }

    /** The checkpoint the run was evaluated with, else the best of its last stage. */
    static Path checkpoint(RunDirectory dir, ExperimentConfig c) {
        if (Files.exists(dir.summaryFile())) {
            Object rel = Summary.read(dir.summaryFile()).extra.get("evaluated_checkpoint");
            if (rel != null && Files.exists(dir.path().resolve(rel.toString()))) {
                return dir.path().resolve(rel.toString());
            }
        }
        for (String name : List.of("stage2-best.zip", "stage2-last.zip", "stage1-best.zip", "stage1-last.zip")) {
            Path p = dir.checkpoints().resolve(name);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new UserError(dir.path() + " has no checkpoint yet (train it with ./run-experiment first)");
    }
}
