package org.condseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.condseg.util.UserError;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskFolderEvaluatorTest {
    @TempDir
    Path tmp;
    Path pred;
    Path gt;

    @BeforeEach
    void writeMasks() throws IOException {
        pred = Files.createDirectories(tmp.resolve("pred"));
        gt = Files.createDirectories(tmp.resolve("gt"));
        // a: 8-bit grey PNG GT, left half (x < 3) of a 6x4 image; RGB PNG prediction x < 2 plus a grey-128 pixel
        // (128/255 > 0.5, foreground) and a grey-127 pixel (background)
        BufferedImage gtA = grey8(6, 4, (x, y) -> x < 3 ? 255 : 0);
        write(gtA, "png", gt.resolve("a.png"));
        BufferedImage predA = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                int v = x < 2 ? 255 : 0;
                predA.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        predA.setRGB(5, 0, 128 << 16 | 128 << 8 | 128);
        predA.setRGB(5, 1, 127 << 16 | 127 << 8 | 127);
        write(predA, "png", pred.resolve("a.png"));
        // b: BMP GT with 3 foreground pixels; 16-bit grey TIFF prediction: 32768/65535 > 0.5, 32767/65535 is not
        write(grey8(3, 3, (x, y) -> y == 1 ? 200 : 10), "bmp", gt.resolve("b.bmp"));
        BufferedImage predB = new BufferedImage(3, 3, BufferedImage.TYPE_USHORT_GRAY);
        predB.getRaster().setSample(0, 1, 0, 32768);
        predB.getRaster().setSample(1, 1, 0, 32767);
        predB.getRaster().setSample(2, 1, 0, 65535);
        write(predB, "tif", pred.resolve("b.tif"));
        // c: both empty (GIF GT, PNG prediction)
        write(grey8(2, 2, (x, y) -> 0), "gif", gt.resolve("c.gif"));
        write(grey8(2, 2, (x, y) -> 0), "png", pred.resolve("c.png"));
        // noise that must be ignored: a prediction without GT and a non-image file
        write(grey8(2, 2, (x, y) -> 255), "png", pred.resolve("zz_extra.png"));
        Files.writeString(gt.resolve("notes.txt"), "not a mask");
    }

    @Test
    void evaluatesMatchingStemsAcrossFormats() {
        MetricSummary s = MaskFolderEvaluator.evaluate(pred, gt, 0.5, EmptyPolicy.EXCLUDE);
        List<MetricSummary.Entry> e = s.entries();
        assertEquals(List.of("a", "b", "c"), e.stream().map(MetricSummary.Entry::id).toList());
        ImageMetrics a = e.get(0).metrics();
        // GT 12 px (3 columns x 4 rows), prediction 8 + 1 (grey 128): TP 8, FP 1, FN 4, TN 11
        assertEquals(8, a.tp());
        assertEquals(1, a.fp());
        assertEquals(4, a.fn());
        assertEquals(11, a.tn());
        ImageMetrics b = e.get(1).metrics();
        // GT row y=1 (200 > 127.5); prediction pixels 0 and 2 of that row
        assertEquals(2, b.tp());
        assertEquals(0, b.fp());
        assertEquals(1, b.fn());
        assertEquals(6, b.tn());
        assertTrue(e.get(2).metrics().gtEmpty() && e.get(2).metrics().predEmpty());
        assertEquals(1.0, s.means().get("excludedImages"));
        assertEquals((8.0 / 13 + 2.0 / 3) / 2, s.means().get("iou"), 1e-12);
    }

    @Test
    void thresholdIsApplied() {
        // at 0.8, GT b (200/255 = 0.784) becomes empty; the 16-bit 32768 pixel drops out of prediction b
        MetricSummary s = MaskFolderEvaluator.evaluate(pred, gt, 0.8, EmptyPolicy.OFFICIAL_EPSILON);
        ImageMetrics b = s.entries().get(1).metrics();
        assertEquals(0, b.tp() + b.fn());
        assertEquals(1, b.fp());
    }

    @Test
    void missingPredictionNamesTheGroundTruthFile() throws IOException {
        write(grey8(2, 2, (x, y) -> 255), "png", gt.resolve("d.png"));
        UserError e = assertThrows(UserError.class,
                () -> MaskFolderEvaluator.evaluate(pred, gt, 0.5, EmptyPolicy.OFFICIAL_EPSILON));
        assertTrue(e.getMessage().contains("d.png"), e.getMessage());
    }

    @Test
    void sizeMismatchNamesBothFiles() throws IOException {
        write(grey8(3, 2, (x, y) -> 0), "png", pred.resolve("c.png"));
        UserError e = assertThrows(UserError.class,
                () -> MaskFolderEvaluator.evaluate(pred, gt, 0.5, EmptyPolicy.OFFICIAL_EPSILON));
        assertTrue(e.getMessage().contains("c.png") && e.getMessage().contains("c.gif")
                && e.getMessage().contains("3x2"), e.getMessage());
    }

    @Test
    void corruptFilesNameTheFile() throws IOException {
        Files.write(pred.resolve("a.png"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        UserError e = assertThrows(UserError.class,
                () -> MaskFolderEvaluator.evaluate(pred, gt, 0.5, EmptyPolicy.OFFICIAL_EPSILON));
        assertTrue(e.getMessage().contains("a.png"), e.getMessage());
        // a real PNG cut in the middle of its data
        byte[] full = Files.readAllBytes(gt.resolve("b.bmp"));
        Files.write(gt.resolve("b.bmp"), java.util.Arrays.copyOf(full, 40));
        Files.write(pred.resolve("a.png"), Files.readAllBytes(gt.resolve("a.png")));
        e = assertThrows(UserError.class, () -> MaskFolderEvaluator.evaluate(pred, gt, 0.5, EmptyPolicy.OFFICIAL_EPSILON));
        assertTrue(e.getMessage().contains("b.bmp"), e.getMessage());
    }

    @Test
    void folderProblemsAreUserErrors() throws IOException {
        assertThrows(UserError.class, () -> MaskFolderEvaluator.evaluate(tmp.resolve("nope"), gt, 0.5,
                EmptyPolicy.OFFICIAL_EPSILON));
        Path emptyGt = Files.createDirectories(tmp.resolve("emptygt"));
        assertThrows(UserError.class, () -> MaskFolderEvaluator.evaluate(pred, emptyGt, 0.5,
                EmptyPolicy.OFFICIAL_EPSILON));
        write(grey8(2, 2, (x, y) -> 0), "bmp", pred.resolve("c.bmp"));
        UserError e = assertThrows(UserError.class,
                () -> MaskFolderEvaluator.evaluate(pred, gt, 0.5, EmptyPolicy.OFFICIAL_EPSILON));
        assertTrue(e.getMessage().contains("c.bmp") && e.getMessage().contains("c.png"), e.getMessage());
    }

    private interface Pixel {
        int value(int x, int y);
    }

    private static BufferedImage grey8(int w, int h, Pixel p) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, p.value(x, y));
            }
        }
        return img;
    }

    private static void write(BufferedImage img, String format, Path file) throws IOException {
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + format);
        }
    }
}
