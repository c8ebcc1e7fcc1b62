package org.condseg.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvesTest {
    @TempDir
    Path dir;

    @Test
    void curvesOfATwoStageLogIsAReadableTwoPanelPng() throws IOException {
        TrainLog log = TrainLog.open(dir.resolve("train_log.csv"));
        for (int stage = 1; stage <= 2; stage++) {
            for (int epoch = 1; epoch <= 5; epoch++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", epoch);
                row.put("stage", "stage" + stage);
                row.put("loss", 1.0 / (epoch + 5 * stage));
                row.put("loss_consistency", 0.1 / epoch);
                if (epoch % 2 == 0) {
                    row.put("val_mIoU", 0.1 * epoch);
                }
                log.append(row);
            }
        }
        Path png = dir.resolve("curves.png");
        Curves.write(log, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(LinePlot.WIDTH, img.getWidth());
        assertEquals(2 * LinePlot.HEIGHT, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "a drawn chart, not a blank image: " + colours.size() + " colours");
    }

    @Test
    void theGenericLinePlotWritesOnePanelSkippingNaN() throws IOException {
        Path png = dir.resolve("fig/threshold.png");
        double[] x = {0.1, 0.3, 0.5, 0.7, 0.9};
        LinePlot.write(png, "Threshold sweep", "threshold", "mIoU", List.of(
                new LinePlot.Series("ConDSeg", x, new double[] {0.7, 0.8, 0.82, Double.NaN, 0.6}),
                new LinePlot.Series("empty", x, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN})));
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(LinePlot.HEIGHT, img.getHeight());
    }
}
