package org.condseg.eval;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.condseg.util.AtomicFiles;

/**
 * Per-image results of one evaluation and their aggregates.
 *
 * <ul>
 *   <li>Macro means (the paper's "mIoU", "mDSC", ...): the mean over images of each per-image value, as the
 *       official {@code test.py} does. Under {@link EmptyPolicy#EXCLUDE} images with an empty ground truth
 *       are left out; NaN values (undefined ratios, undefined HD95) are left out of that metric's mean.</li>
 *   <li>Micro IoU/Dice: one ratio from the confusion counts summed over all images (every image, whatever the
 *       policy), computed with the same formula as the per-image value (ε under the official policies).</li>
 * </ul>
 * The per-image CSV starts with {@code #} comment lines that record the threshold and policies
 * (read it with {@code pandas.read_csv(f, comment='#')} or a CSV reader with comment marker '#').
 */
public final class MetricSummary {
    /** CSV columns, in order. */
    public static final List<String> COLUMNS = List.of("id", "iou", "dice", "recall", "precision", "f2",
            "accuracy", "hd95", "tp", "fp", "fn", "tn");

    /** One image: its id (file stem) and metrics. */
    public record Entry(String id, ImageMetrics metrics) {
    }

    private final double threshold;
    private final EmptyPolicy emptyPolicy;
    private final boolean hd95;
    private final Hd95EmptyPolicy hd95EmptyPolicy;
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    public MetricSummary(double threshold, EmptyPolicy emptyPolicy, boolean hd95, Hd95EmptyPolicy hd95EmptyPolicy) {
        this.threshold = threshold;
        this.emptyPolicy = emptyPolicy;
        this.hd95 = hd95;
        this.hd95EmptyPolicy = hd95EmptyPolicy;
    }

    public MetricSummary(EvalConfig config) {
        this(config.threshold, config.emptyPolicy, config.hd95, config.hd95EmptyPolicy);
    }

    /** Adds one image's metrics; ids must be unique. */
    public void add(String id, ImageMetrics metrics) {
        if (!ids.add(id)) {
            throw new IllegalArgumentException("duplicate image id " + id);
        }
        entries.add(new Entry(id, metrics));
    }

    /** Computes and adds the metrics of one binarised prediction against its ground truth. */
    public ImageMetrics add(String id, BinaryMask pred, BinaryMask gt) {
        ImageMetrics m = MaskMetrics.compute(pred, gt, emptyPolicy, hd95, hd95EmptyPolicy);
        add(id, m);
        return m;
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    public int size() {
        return entries.size();
    }

    public double threshold() {
        return threshold;
    }

    public EmptyPolicy emptyPolicy() {
        return emptyPolicy;
    }

    public Hd95EmptyPolicy hd95EmptyPolicy() {
        return hd95EmptyPolicy;
    }

    /** Whether an image takes part in the macro means under the empty policy. */
    private boolean inMeans(ImageMetrics m) {
        return !(emptyPolicy == EmptyPolicy.EXCLUDE && m.gtEmpty());
    }

    /** Macro mean of one per-image value over the included images, skipping NaN; NaN when nothing is left. */
    public double macroMean(ToDoubleFunction<ImageMetrics> metric) {
        double sum = 0;
        int n = 0;
        for (Entry e : entries) {
            double v = metric.applyAsDouble(e.metrics());
            if (inMeans(e.metrics()) && !Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Number of included images whose value of {@code metric} is not NaN. */
    public int countDefined(ToDoubleFunction<ImageMetrics> metric) {
        int n = 0;
        for (Entry e : entries) {
            if (inMeans(e.metrics()) && !Double.isNaN(metric.applyAsDouble(e.metrics()))) {
                n++;
            }
        }
        return n;
    }

    /** Dataset-global IoU from the summed confusion counts. */
    public double microIou() {
        long[] c = summedCounts();
        return emptyPolicy == EmptyPolicy.NAN_UNDEFINED ? MaskMetrics.exactJaccard(c[0], c[1], c[2])
                : MaskMetrics.jaccard(c[0], c[1], c[2]);
    }

    /** Dataset-global Dice from the summed confusion counts. */
    public double microDice() {
        long[] c = summedCounts();
        return emptyPolicy == EmptyPolicy.NAN_UNDEFINED ? MaskMetrics.exactDice(c[0], c[1], c[2])
                : MaskMetrics.dice(c[0], c[1], c[2]);
    }

    /** {TP, FP, FN, TN} summed over all images. */
    public long[] summedCounts() {
        long[] c = new long[4];
        for (Entry e : entries) {
            ImageMetrics m = e.metrics();
            c[0] += m.tp();
            c[1] += m.fp();
            c[2] += m.fn();
            c[3] += m.tn();
        }
        return c;
    }

    /**
     * The aggregates for summary.json: macro means {@code iou, dice, recall, precision, f2, accuracy, hd95}
     * (NaN when no image defines them), {@code microIou, microDice}, and the counts {@code images},
     * {@code emptyGtImages}, {@code excludedImages}, {@code hd95Images} (images in the HD95 mean).
     */
    public Map<String, Double> means() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("iou", macroMean(ImageMetrics::iou));
        m.put("dice", macroMean(ImageMetrics::dice));
        m.put("recall", macroMean(ImageMetrics::recall));
        m.put("precision", macroMean(ImageMetrics::precision));
        m.put("f2", macroMean(ImageMetrics::f2));
        m.put("accuracy", macroMean(ImageMetrics::accuracy));
        m.put("hd95", macroMean(ImageMetrics::hd95));
        m.put("microIou", microIou());
        m.put("microDice", microDice());
        long emptyGt = entries.stream().filter(e -> e.metrics().gtEmpty()).count();
        m.put("images", (double) entries.size());
        m.put("emptyGtImages", (double) emptyGt);
        m.put("excludedImages", (double) (emptyPolicy == EmptyPolicy.EXCLUDE ? emptyGt : 0));
        m.put("hd95Images", (double) countDefined(ImageMetrics::hd95));
        return m;
    }

    /**
     * Writes one row per image (columns {@link #COLUMNS}), preceded by comment lines
     * {@code # threshold=..}, {@code # emptyPolicy=..}, {@code # hd95=..}, {@code # hd95EmptyPolicy=..}.
     * Values are written with {@link Double#toString} (round-trips exactly; NaN as "NaN").
     */
    public void writePerImageCsv(Path file) {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(w, csvFormat());
            printer.printComment("threshold=" + threshold);
            printer.printComment("emptyPolicy=" + emptyPolicy);
            printer.printComment("hd95=" + hd95);
            printer.printComment("hd95EmptyPolicy=" + hd95EmptyPolicy);
            printRow(printer, COLUMNS.toArray());
            for (Entry e : entries) {
                ImageMetrics m = e.metrics();
                printRow(printer, e.id(), m.iou(), m.dice(), m.recall(), m.precision(), m.f2(), m.accuracy(),
                        m.hd95(), m.tp(), m.fp(), m.fn(), m.tn());
            }
            printer.flush();
        });
    }

    /**
     * One record through {@code print} + {@code println}: commons-csv 1.14's {@code printRecord} (and its parser)
     * need commons-io 2.20 classes, and DL4J brings commons-io 2.7 onto the classpath.
     */
    private static void printRow(CSVPrinter printer, Object... values) throws IOException {
        for (Object v : values) {
            printer.print(v);
        }
        printer.println();
    }

    private static CSVFormat csvFormat() {
        return CSVFormat.DEFAULT.builder().setCommentMarker('#').setRecordSeparator('\n').build();
    }
}
