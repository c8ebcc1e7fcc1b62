package org.condseg.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.condseg.eval.EmptyPolicy;
import org.condseg.eval.EvalConfig;
import org.condseg.eval.MaskFolderEvaluator;
import org.condseg.eval.MetricSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code condseg evaluate --pred DIR --gt DIR}: the framework's metrics over two folders of mask images. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a folder of predicted masks against a folder of ground-truth masks (matched by file stem).")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--pred", required = true, description = "folder of predicted masks (png/jpg/bmp/tif/gif)")
    Path pred;

    @Option(names = "--gt", required = true, description = "folder of ground-truth masks")
    Path gt;

    @Option(names = "--threshold", defaultValue = "0.5", description = "binarise at value > threshold (0..1 of the 8-bit range); default ${DEFAULT-VALUE}")
    double threshold;

    @Option(names = "--empty-policy", defaultValue = "OFFICIAL_EPSILON",
            description = "empty-mask policy: ${COMPLETION-CANDIDATES}; default ${DEFAULT-VALUE}")
    EmptyPolicy emptyPolicy;

    @Option(names = "--no-hd95", description = "skip HD95 (faster)")
    boolean noHd95;

    @Option(names = "--out", description = "also write the per-image metrics to this CSV")
    Path out;

    @Override
    public Integer call() {
        EvalConfig cfg = new EvalConfig();
        cfg.threshold = threshold;
        cfg.emptyPolicy = emptyPolicy;
        cfg.hd95 = !noHd95;
        MetricSummary s = MaskFolderEvaluator.evaluate(pred, gt, cfg);
        if (out != null) {
            s.writePerImageCsv(out);
        }
        for (Map.Entry<String, Double> e : s.means().entrySet()) {
            System.out.printf("%-14s %s%n", e.getKey(), format(e.getValue()));
        }
        return 0;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format("%.6f", v);
    }
}
