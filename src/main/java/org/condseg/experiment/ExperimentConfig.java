package org.condseg.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.condseg.data.DataConfig;
import org.condseg.eval.EvalConfig;
import org.condseg.loss.LossConfig;
import org.condseg.model.ModelConfig;
import org.condseg.train.TrainConfig;

/**
 * The root of every experiment config: what a YAML file under configs/ may contain besides the reserved
 * top-level keys ({@code extends}, {@code profiles}, {@code sweep}, {@code variants}, {@code seeds},
 * {@code experiment}). Each section belongs to the package that reads it.
 */
public class ExperimentConfig {
    /** One line on what the experiment reproduces (shown by --dry-run and in summaries). */
    public String description = "";
    /** paper (default) or official: the official code's behaviour for every switch of docs/decisions.md. */
    public String fidelity = "paper";
    /** Folder the run directories go under. */
    public String results = "results";
    /** The paper's table for this experiment, under experiments/ (empty: none). */
    public String paperTable = "";
    /** Data set, split, size, loading. */
    public DataConfig data = new DataConfig();
    /** Network. */
    public ModelConfig model = new ModelConfig();
    /** Training strategy and stages. */
    public TrainConfig train = new TrainConfig();
    /** Loss formulation. */
    public LossConfig loss = new LossConfig();
    /** Metrics. */
    public EvalConfig eval = new EvalConfig();

    /**
     * The {@code fidelity} presets: {@code official} turns on every official-code behaviour (condseg-reference.md
     * §14), {@code paper} every paper default. Keys set next to {@code fidelity:} in the same file still win.
     */
    public static Presets presets() {
        Presets p = new Presets();
        p.register("fidelity", "paper", fidelityOverlay(false));
        p.register("fidelity", "official", fidelityOverlay(true));
        return p;
    }

    private static Map<String, Object> fidelityOverlay(boolean official) {
        LossConfig l = official ? LossConfig.official() : LossConfig.paper();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", ResolvedConfig.toTree(l));
        m.put("model.cdfa.paperOrder", !official);
        m.put("train.stage2.encoderLr", official ? 1e-4 : 1e-5);
        m.put("train.stage1.batchSize", official ? 8 : 4);
        m.put("train.stage2.batchSize", official ? 12 : 4);
        m.put("data.channelOrder", official ? "bgr" : "rgb");
        m.put("train.stage2.augment.backgroundFromUnaugmentedMask", official);
        m.put("train.stage1.strong.perBatch", official);
        m.put("train.stage1.strong.blurVerticalOnly", official);
        return m;
    }
}
