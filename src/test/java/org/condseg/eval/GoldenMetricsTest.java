package org.condseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The official calculate_metrics on stored inputs (golden README §6.5): scores.npy rows in manifest order,
 * columns [jaccard, f1, recall, precision, accuracy, F2], float64.
 */
class GoldenMetricsTest {
    private static final Path DIR = Path.of("..", "shared", "golden", "losses-metrics");

    @Test
    void matchesOfficialScoresToOneInTenToTheTwelve() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
        List<String> cases = new ArrayList<>();
        for (JsonNode t : manifest.get("tensors")) {
            String f = t.get("file").asText();
            if (f.startsWith("metrics/") && f.endsWith("/y_true.npy")) {
                cases.add(f.substring("metrics/".length(), f.length() - "/y_true.npy".length()));
            }
        }
        assertEquals(6, cases.size(), "cases listed in the manifest");
        INDArray scores = Nd4j.createFromNpyFile(DIR.resolve("metrics/scores.npy").toFile());
        assertEquals(cases.size(), scores.rows());
        JsonNode scalars = manifest.get("scalars").get("metrics");
        for (int row = 0; row < cases.size(); row++) {
            String c = cases.get(row);
            BinaryMask y = read(c, "y_true");
            BinaryMask p = read(c, "y_pred");
            ImageMetrics m = MaskMetrics.compute(p, y, EmptyPolicy.OFFICIAL_EPSILON, false, Hd95EmptyPolicy.NAN);
            double[] got = {m.iou(), m.dice(), m.recall(), m.precision(), m.accuracy(), m.f2()};
            String[] names = {"jaccard", "f1", "recall", "precision", "accuracy", "F2"};
            for (int k = 0; k < 6; k++) {
                double ref = scores.getDouble(row, k);
                assertEquals(scalars.get(c).get(names[k]).asDouble(), ref, 0.0, "manifest vs npy " + c);
                // relative, so the 1e-17 epsilon-only values are checked too
                assertEquals(ref, got[k], 1e-12 * Math.abs(ref), c + " " + names[k]);
            }
        }
        assertTrue(cases.contains("soft_values_threshold"));
    }

    private static BinaryMask read(String c, String name) {
        INDArray a = Nd4j.createFromNpyFile(DIR.resolve("metrics").resolve(c).resolve(name + ".npy").toFile());
        long[] shape = a.shape(); // [1, H, W]
        int h = (int) shape[1];
        int w = (int) shape[2];
        float[] v = a.reshape(h * (long) w).toFloatVector();
        return BinaryMask.fromProbabilities(v, w, h, 0.5);
    }
}
