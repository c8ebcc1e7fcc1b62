package org.condseg.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.condseg.util.Progress;
import org.condseg.util.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a folder of predicted masks against a folder of ground-truth masks (backs
 * {@code ./condseg evaluate --pred DIR --gt DIR}). Files are matched by stem ({@code case7.png} ↔
 * {@code case7.jpg}), both binarised at the threshold (see {@link MaskImageReader}). Every ground truth needs a
 * prediction of the same size; predictions without a ground truth are ignored with a warning. No resizing:
 * write predictions at the ground truth's size (the official code scores at 256×256).
 */
public final class MaskFolderEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(MaskFolderEvaluator.class);

    private MaskFolderEvaluator() {
    }

    /** Evaluates with HD95 on and {@link Hd95EmptyPolicy#NAN}. */
    public static MetricSummary evaluate(Path predDir, Path gtDir, double threshold01, EmptyPolicy policy) {
        EvalConfig cfg = new EvalConfig();
        cfg.threshold = threshold01;
        cfg.emptyPolicy = policy;
        return evaluate(predDir, gtDir, cfg);
    }

    /** Evaluates every ground truth in {@code gtDir}, in stem order. */
    public static MetricSummary evaluate(Path predDir, Path gtDir, EvalConfig config) {
        if (!(config.threshold >= 0 && config.threshold < 1)) {
            throw new UserError("eval.threshold must be in [0, 1), got " + config.threshold);
        }
        Map<String, Path> gts = listMasks(gtDir, "ground-truth");
        Map<String, Path> preds = listMasks(predDir, "prediction");
        if (gts.isEmpty()) {
            throw new UserError("no mask images (" + String.join("/", MaskImageReader.EXTENSIONS.stream().sorted()
                    .toList()) + ") in ground-truth folder " + gtDir);
        }
        for (Map.Entry<String, Path> gt : gts.entrySet()) {
            if (!preds.containsKey(gt.getKey())) {
                throw new UserError("no prediction for ground truth " + gt.getValue() + ": expected "
                        + predDir.resolve(gt.getKey() + ".png") + " (any image extension)");
            }
        }
        List<String> extra = preds.keySet().stream().filter(s -> !gts.containsKey(s)).toList();
        if (!extra.isEmpty()) {
            LOG.warn("{} prediction(s) in {} have no ground truth and are ignored, e.g. {}", extra.size(), predDir,
                    preds.get(extra.get(0)).getFileName());
        }
        MetricSummary summary = new MetricSummary(config);
        try (Progress progress = Progress.start("evaluate", gts.size())) {
            for (Map.Entry<String, Path> gt : gts.entrySet()) {
                Path predFile = preds.get(gt.getKey());
                BinaryMask y = MaskImageReader.read(gt.getValue(), config.threshold);
                BinaryMask p = MaskImageReader.read(predFile, config.threshold);
                if (p.width() != y.width() || p.height() != y.height()) {
                    throw new UserError("prediction " + predFile + " is " + p.width() + "x" + p.height()
                            + " but ground truth " + gt.getValue() + " is " + y.width() + "x" + y.height()
                            + "; write predictions at the ground truth's size");
                }
                summary.add(gt.getKey(), p, y);
                progress.step();
            }
        }
        return summary;
    }

    /** Mask files of a folder by stem; two files with one stem are ambiguous. */
    private static Map<String, Path> listMasks(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(what + " folder " + dir + " does not exist or is not a folder");
        }
        Map<String, Path> byStem = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).filter(MaskImageReader::isMaskFile)
                    .sorted()::iterator) {
                Path prev = byStem.put(MaskImageReader.stem(f), f);
                if (prev != null) {
                    throw new UserError("two " + what + " files with the stem '" + MaskImageReader.stem(f) + "': "
                            + prev + " and " + f + "; keep one");
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot list " + what + " folder " + dir + ": " + e.getMessage(), e);
        }
        return byStem;
    }
}
