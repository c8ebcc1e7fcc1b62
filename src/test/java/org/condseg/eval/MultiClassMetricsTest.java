package org.condseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiClassMetricsTest {
    private static final int[] DIMS = {4, 4};
    private static final int[] GT = TestMasks.labels(
            "1100",
            "1100",
            "0030",
            "0000");
    private static final int[] PRED = TestMasks.labels(
            "1110",
            "1100",
            "0000",
            "2000");

    @Test
    void transUnetConventionPerClass() {
        MultiClassMetrics.CaseResult r = MultiClassMetrics.compute(PRED, GT, DIMS, 5);
        // class 1: GT 4 px, prediction 5 px, overlap 4 -> Dice 8/9. Boundaries are whole masks; pred->GT
        // {0,0,0,0,1}, GT->pred {0,0,0,0}: sorted 8 zeros and a 1, index 0.95*8 = 7.6 -> 0.6
        assertEquals(8.0 / 9, r.dice(1), 1e-15);
        assertEquals(0.6, r.hd95(1), 1e-12);
        // class 2 predicted, absent from GT -> (1, 0)
        assertEquals(1.0, r.dice(2), 0.0);
        assertEquals(0.0, r.hd95(2), 0.0);
        // class 3 missed -> (0, 0)
        assertEquals(0.0, r.dice(3), 0.0);
        assertEquals(0.0, r.hd95(3), 0.0);
        // class 4 absent from both -> (0, 0), TransUNet's else-branch
        assertEquals(0.0, r.dice(4), 0.0);
        assertEquals(0.0, r.hd95(4), 0.0);
    }

    @Test
    void summaryAveragesClassesOverCasesThenOverClasses() {
        MultiClassMetrics.Summary s = new MultiClassMetrics.Summary(5);
        s.add("case1", MultiClassMetrics.compute(PRED, GT, DIMS, 5));
        s.add("case2", MultiClassMetrics.compute(GT, GT, DIMS, 5)); // perfect: 1,0,1,0 Dice; HD95 all 0
        assertEquals((8.0 / 9 + 1) / 2, s.meanDice(1), 1e-15);
        assertEquals(0.5, s.meanDice(2), 0.0);
        assertEquals(0.5, s.meanDice(3), 0.0);
        assertEquals(0.0, s.meanDice(4), 0.0);
        assertEquals((17.0 / 18 + 0.5 + 0.5 + 0) / 4, s.meanDice(), 1e-15);
        assertEquals(0.3, s.meanHd95(1), 1e-12);
        assertEquals(0.3 / 4, s.meanHd95(), 1e-12);
        Map<String, Double> m = s.means();
        assertEquals(s.meanDice(), m.get("dice"));
        assertEquals(0.5, m.get("dice.2"));
        assertEquals(2.0, m.get("cases"));
        assertThrows(IllegalArgumentException.class, () -> s.add("case1", MultiClassMetrics.compute(GT, GT, DIMS, 5)));
    }

    @Test
    void volumesUseThreeDimensionalDistancesAndSpacing() {
        int[] dims = {2, 3, 3};
        int[] gt = new int[18];
        int[] pred = new int[18];
        gt[4] = 1;          // slice 0, centre
        pred[9 + 4] = 1;    // slice 1, centre: one slice apart
        MultiClassMetrics.CaseResult r = MultiClassMetrics.compute(pred, gt, dims, 2);
        assertEquals(0.0, r.dice(1), 0.0);
        assertEquals(1.0, r.hd95(1), 0.0);
        MultiClassMetrics.CaseResult s = MultiClassMetrics.compute(pred, gt, dims, 2, new double[] {2.5, 0.8, 0.8});
        assertEquals(2.5, s.hd95(1), 1e-12);
    }

    @Test
    void labelsOutOfRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> MultiClassMetrics.compute(PRED, GT, DIMS, 3));
    }
}
