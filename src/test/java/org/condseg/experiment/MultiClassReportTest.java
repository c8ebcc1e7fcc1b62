package org.condseg.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.condseg.eval.MultiClassMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table 10's numbers from two tiny 3-D cases, checked against values computed by hand. */
class MultiClassReportTest {
    @TempDir
    Path tmp;

    /** Voxel index of (z, y, x) in a 2 x 3 x 3 volume. */
    private static int at(int z, int y, int x) {
        return z * 9 + y * 3 + x;
    }

    @Test
    void volumesGiveHandComputedDiceAndHd95() {
        int[] dims = {2, 3, 3};
        // case 1: organ A (class 1) is a 2-voxel column in the GT, the prediction finds its upper voxel only;
        // organ B (class 2) is predicted at one voxel but absent from the GT
        int[] gt1 = new int[18];
        gt1[at(0, 1, 1)] = 1;
        gt1[at(1, 1, 1)] = 1;
        int[] pred1 = new int[18];
        pred1[at(0, 1, 1)] = 1;
        pred1[at(1, 0, 0)] = 2;
        // case 2: organ A is missed; organ B is absent from both
        int[] gt2 = new int[18];
        gt2[at(0, 0, 0)] = 1;
        int[] pred2 = new int[18];

        MultiClassMetrics.Summary s = new MultiClassMetrics.Summary(3);
        s.add("c1", MultiClassMetrics.compute(pred1, gt1, dims, 3));
        s.add("c2", MultiClassMetrics.compute(pred2, gt2, dims, 3));
        // case 1, A: Dice 2·1/(1+2) = 2/3. Boundary distances pred→GT {0}, GT→pred {0, 1 (one slice down)};
        // sorted {0, 0, 1}, numpy's 95th percentile at index 1.9: 1 − 1·(1 − 0.9) = 0.9.
        // case 1, B: prediction only → (1, 0). Case 2: A missed → (0, 0); B absent from both → (0, 0).
        Map<String, Double> m = MultiClassReport.tableMetrics(s, List.of("A", "B"));
        assertEquals(List.of("DSC", "HD95", "A", "B"), List.copyOf(m.keySet()));
        assertEquals(1.0 / 3, m.get("A"), 1e-12);
        assertEquals(0.5, m.get("B"), 1e-12);
        assertEquals((1.0 / 3 + 0.5) / 2, m.get("DSC"), 1e-12);
        assertEquals((0.9 / 2 + 0) / 2, m.get("HD95"), 1e-12);
        Map<String, Double> hd = MultiClassReport.organHd95(s, List.of("A", "B"));
        assertEquals(0.45, hd.get("A"), 1e-12);
        assertEquals(0.0, hd.get("B"), 0);

        Path csv = tmp.resolve(MultiClassReport.PER_CASE);
        MultiClassReport.writePerCase(csv, s, List.of("A", "B"));
        Map<String, Map<String, String>> rows = TableAssembler.read(csv);
        assertEquals("0.666667", rows.get("c1").get("A_dice"));
        assertEquals("0.9", rows.get("c1").get("A_hd95"));
        assertEquals("1", rows.get("c1").get("B_dice"));
        assertEquals("0", rows.get("c2").get("A_dice"));
    }
}
