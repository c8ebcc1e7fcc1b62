package org.condseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three 4x4 images:
 * A: GT 4 px, prediction 2 of them        TP 2 FP 0 FN 2: IoU 1/2, Dice 2/3, recall 1/2, precision 1
 * B: GT 6 px, prediction those + 2 more   TP 6 FP 2 FN 0: IoU 3/4, Dice 6/7, recall 1, precision 3/4
 * C: empty GT, prediction 2 px            TP 0 FP 2 FN 0
 * Summed counts TP 8 FP 4 FN 2: micro IoU 8/14, micro Dice 16/22. Accuracy 14/16 for each image.
 */
class MetricSummaryTest {
    private static final double TOL = 1e-12;

    @TempDir
    Path dir;

    private static MetricSummary summary(EmptyPolicy policy, Hd95EmptyPolicy hd) {
        MetricSummary s = new MetricSummary(0.5, policy, true, hd);
        s.add("A", TestMasks.parse("##..", "....", "....", "...."), TestMasks.parse("##..", "##..", "....", "...."));
        s.add("B", TestMasks.parse("####", "####", "....", "...."), TestMasks.parse("###.", "###.", "....", "...."));
        s.add("C", TestMasks.parse("#...", "#...", "....", "...."), BinaryMask.empty(4, 4));
        return s;
    }

    @Test
    void idsWithCommasAreQuoted() throws IOException {
        MetricSummary s = new MetricSummary(new EvalConfig());
        s.add("a,b", BinaryMask.empty(2, 2), BinaryMask.empty(2, 2));
        Path f = dir.resolve("q.csv");
        s.writePerImageCsv(f);
        assertTrue(Files.readAllLines(f).get(5).startsWith("\"a,b\","), Files.readString(f));
    }

    @Test
    void officialPolicyAveragesEveryImage() {
        Map<String, Double> m = summary(EmptyPolicy.OFFICIAL_EPSILON, Hd95EmptyPolicy.NAN).means();
        assertEquals((0.5 + 0.75 + 0.0) / 3, m.get("iou"), TOL);          // C scores ~5e-16
        assertEquals((2.0 / 3 + 6.0 / 7 + 0.0) / 3, m.get("dice"), TOL);
        assertEquals((0.5 + 1.0 + 1.0) / 3, m.get("recall"), TOL);        // C: (0+eps)/(0+eps) = 1
        assertEquals((1.0 + 0.75 + 0.0) / 3, m.get("precision"), TOL);
        // F2: A 5*1*(1/2)/(4+1/2) = 5/9, B 5*(3/4)/(3+1) = 15/16, C ~0
        assertEquals((5.0 / 9 + 15.0 / 16) / 3, m.get("f2"), TOL);
        assertEquals(14.0 / 16, m.get("accuracy"), TOL);
        assertEquals(8.0 / 14, m.get("microIou"), TOL);
        assertEquals(16.0 / 22, m.get("microDice"), TOL);
        // A: GT->pred {1,1,0,0}, pred->GT {0,0}: HD95 1; B: pred->GT has two 1s among 14 values: HD95 1;
        // C has an empty GT -> NaN, left out
        assertEquals(1.0, m.get("hd95"), TOL);
        assertEquals(2.0, m.get("hd95Images"));
        assertEquals(3.0, m.get("images"));
        assertEquals(1.0, m.get("emptyGtImages"));
        assertEquals(0.0, m.get("excludedImages"));
    }

    @Test
    void excludePolicyDropsEmptyGtImagesFromMacroMeansOnly() {
        Map<String, Double> m = summary(EmptyPolicy.EXCLUDE, Hd95EmptyPolicy.DIAGONAL).means();
        assertEquals((0.5 + 0.75) / 2, m.get("iou"), TOL);
        assertEquals((2.0 / 3 + 6.0 / 7) / 2, m.get("dice"), TOL);
        assertEquals(0.75, m.get("recall"), TOL);
        assertEquals(1.0, m.get("excludedImages"));
        assertEquals(8.0 / 14, m.get("microIou"), TOL, "micro keeps C's false positives");
        assertEquals(1.0, m.get("hd95"), TOL, "C (diagonal) is excluded with the image");
    }

    @Test
    void nanPolicySkipsUndefinedValuesPerMetric() {
        MetricSummary s = summary(EmptyPolicy.NAN_UNDEFINED, Hd95EmptyPolicy.DIAGONAL);
        Map<String, Double> m = s.means();
        assertEquals((0.5 + 0.75 + 0.0) / 3, m.get("iou"), TOL);
        assertEquals((0.5 + 1.0) / 2, m.get("recall"), TOL);              // C's recall 0/0 is NaN
        assertEquals((1.0 + 0.75 + 0.0) / 3, m.get("precision"), TOL);
        assertEquals(2, s.countDefined(ImageMetrics::recall));
        assertEquals(16.0 / 22, m.get("microDice"), TOL);
        assertEquals((1.0 + 1.0 + Math.sqrt(32)) / 3, m.get("hd95"), TOL); // C: diagonal of 4x4
    }

    @Test
    void macroAndMicroDiffer() {
        Map<String, Double> m = summary(EmptyPolicy.OFFICIAL_EPSILON, Hd95EmptyPolicy.NAN).means();
        assertTrue(Math.abs(m.get("iou") - m.get("microIou")) > 0.1);
    }

    @Test
    void perImageCsvRecordsSettingsAndExactValues() throws IOException {
        MetricSummary s = summary(EmptyPolicy.EXCLUDE, Hd95EmptyPolicy.NAN);
        Path f = dir.resolve("out/per_image.csv");
        s.writePerImageCsv(f);
        List<String> lines = Files.readAllLines(f);
        assertEquals(List.of("# threshold=0.5", "# emptyPolicy=EXCLUDE", "# hd95=true", "# hd95EmptyPolicy=NAN",
                "id,iou,dice,recall,precision,f2,accuracy,hd95,tp,fp,fn,tn"), lines.subList(0, 5));
        assertEquals(8, lines.size());
        assertTrue(lines.get(5).startsWith("A,") && lines.get(5).endsWith(",1.0,2,0,2,12"), lines.get(5));
        assertTrue(lines.get(7).endsWith(",NaN,0,2,0,14"), lines.get(7));
        // values are written with Double.toString, so they parse back to the same doubles
        for (int i = 0; i < 3; i++) {
            String[] cells = lines.get(5 + i).split(",");
            ImageMetrics m = s.entries().get(i).metrics();
            assertEquals(s.entries().get(i).id(), cells[0]);
            assertEquals(m.iou(), Double.parseDouble(cells[1]), 0.0);
            assertEquals(m.f2(), Double.parseDouble(cells[5]), 0.0);
            assertEquals(Double.doubleToLongBits(m.hd95()), Double.doubleToLongBits(Double.parseDouble(cells[7])));
            assertEquals(m.tn(), Long.parseLong(cells[11]));
        }
    }

    @Test
    void duplicateIdsAreRejected() {
        MetricSummary s = summary(EmptyPolicy.OFFICIAL_EPSILON, Hd95EmptyPolicy.NAN);
        assertThrows(IllegalArgumentException.class, () -> s.add("A", BinaryMask.empty(2, 2), BinaryMask.empty(2, 2)));
    }
}
