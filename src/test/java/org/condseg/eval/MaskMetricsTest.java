package org.condseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MaskMetricsTest {
    private static final double TOL = 1e-12;

    // GT 6 px, prediction 5 px, 4 shared: TP 4, FP 1, FN 2, TN 9 of 16.
    private static final BinaryMask GT = TestMasks.parse(
            "###.",
            "###.",
            "....",
            "....");
    private static final BinaryMask PRED = TestMasks.parse(
            ".###",
            ".##.",
            "....",
            "....");

    @Test
    void handComputedOverlapMetrics() {
        ImageMetrics m = MaskMetrics.compute(PRED, GT, EmptyPolicy.OFFICIAL_EPSILON, true, Hd95EmptyPolicy.NAN);
        assertEquals(4, m.tp());
        assertEquals(1, m.fp());
        assertEquals(2, m.fn());
        assertEquals(9, m.tn());
        assertEquals(4.0 / 7.0, m.iou(), TOL);          // 4 / (6 + 5 - 4)
        assertEquals(8.0 / 11.0, m.dice(), TOL);        // 2*4 / (6 + 5)
        assertEquals(4.0 / 6.0, m.recall(), TOL);
        assertEquals(4.0 / 5.0, m.precision(), TOL);
        // 5 p r / (4p + r) = 5*(4/5)(2/3) / (16/5 + 2/3) = (8/3) / (58/15) = 20/29
        assertEquals(20.0 / 29.0, m.f2(), TOL);
        assertEquals(13.0 / 16.0, m.accuracy(), TOL);
        // boundaries are the whole masks; PRED->GT {0,0,0,0,1}, GT->PRED {1,1,0,0,0,0}: 8 zeros and 3 ones,
        // numpy index 0.95*10 = 9.5 lies between two ones
        assertEquals(1.0, m.hd95(), 0.0);
    }

    @Test
    void exactPolicyAgreesWithEpsilonPolicyOnNonEmptyMasks() {
        ImageMetrics a = MaskMetrics.compute(PRED, GT, EmptyPolicy.OFFICIAL_EPSILON, false, Hd95EmptyPolicy.NAN);
        ImageMetrics b = MaskMetrics.compute(PRED, GT, EmptyPolicy.NAN_UNDEFINED, false, Hd95EmptyPolicy.NAN);
        assertEquals(20.0 / 29.0, b.f2(), TOL);           // 5TP/(5TP + 4FN + FP) = 20/29
        assertEquals(a.iou(), b.iou(), TOL);
        assertEquals(a.dice(), b.dice(), TOL);
        assertEquals(a.recall(), b.recall(), TOL);
        assertEquals(a.precision(), b.precision(), TOL);
        assertTrue(Double.isNaN(a.hd95()), "hd95 off leaves NaN");
    }

    @Test
    void emptyGtAndEmptyPredictionUnderEachPolicy() {
        BinaryMask empty = BinaryMask.empty(4, 3);
        ImageMetrics off = MaskMetrics.compute(empty, empty, EmptyPolicy.OFFICIAL_EPSILON, true, Hd95EmptyPolicy.NAN);
        assertEquals(1.0, off.iou(), 0.0);                // (0+eps)/(0+eps)
        assertEquals(1.0, off.dice(), 0.0);
        assertEquals(1.0, off.recall(), 0.0);
        assertEquals(1.0, off.precision(), 0.0);
        assertEquals(5.0 / (5.0 + 1e-15), off.f2(), 0.0);
        assertEquals(1.0, off.accuracy(), 0.0);
        assertTrue(Double.isNaN(off.hd95()));
        assertTrue(off.gtEmpty() && off.predEmpty());

        ImageMetrics nan = MaskMetrics.compute(empty, empty, EmptyPolicy.NAN_UNDEFINED, true, Hd95EmptyPolicy.DIAGONAL);
        assertTrue(Double.isNaN(nan.iou()) && Double.isNaN(nan.dice()) && Double.isNaN(nan.recall())
                && Double.isNaN(nan.precision()) && Double.isNaN(nan.f2()));
        assertEquals(1.0, nan.accuracy(), 0.0);
        assertEquals(0.0, nan.hd95(), 0.0);               // DIAGONAL: both empty agree perfectly
    }

    @Test
    void oneEmptyMaskUnderEachPolicy() {
        BinaryMask none = BinaryMask.empty(4, 4);
        // empty prediction on a 6-pixel GT
        ImageMetrics off = MaskMetrics.compute(none, GT, EmptyPolicy.OFFICIAL_EPSILON, true, Hd95EmptyPolicy.DIAGONAL);
        assertEquals(1.0, off.precision(), 0.0);          // (0+eps)/(0+eps)
        assertEquals(1e-15 / 6, off.recall(), 1e-30);
        assertEquals(1e-15 / 6, off.iou(), 1e-30);
        assertEquals(10.0 / 16.0, off.accuracy(), 0.0);
        assertEquals(Math.sqrt(32), off.hd95(), 1e-12);   // diagonal of a 4x4 image

        ImageMetrics nan = MaskMetrics.compute(none, GT, EmptyPolicy.NAN_UNDEFINED, true, Hd95EmptyPolicy.NAN);
        assertEquals(0.0, nan.iou(), 0.0);
        assertEquals(0.0, nan.dice(), 0.0);
        assertEquals(0.0, nan.recall(), 0.0);
        assertTrue(Double.isNaN(nan.precision()));
        assertEquals(0.0, nan.f2(), 0.0);                 // 0 / (4*6)
        assertTrue(Double.isNaN(nan.hd95()));

        // hallucination on an empty GT
        ImageMetrics fp = MaskMetrics.compute(PRED, none, EmptyPolicy.NAN_UNDEFINED, false, Hd95EmptyPolicy.NAN);
        assertTrue(Double.isNaN(fp.recall()));
        assertEquals(0.0, fp.precision(), 0.0);
        assertEquals(0.0, fp.iou(), 0.0);
        assertEquals(0.0, fp.f2(), 0.0);
        ImageMetrics fpOff = MaskMetrics.compute(PRED, none, EmptyPolicy.EXCLUDE, false, Hd95EmptyPolicy.NAN);
        assertEquals(1.0, fpOff.recall(), 0.0);           // EXCLUDE keeps the official per-image values
        assertTrue(fpOff.gtEmpty());
        assertFalse(fpOff.predEmpty());
    }

    @Test
    void binarisationIsStrict() {
        BinaryMask f = BinaryMask.fromProbabilities(new float[] {0.5f, 0.50000006f, 0.2f, 0.9f}, 2, 2, 0.5);
        assertEquals(TestMasks.parse(".#", ".#"), f);
        BinaryMask d = BinaryMask.fromProbabilities(new double[] {0.3, 0.30000000000000004, 1, 0}, 2, 2, 0.3);
        assertEquals(TestMasks.parse(".#", "#."), d);
        // 127/255 = 0.498 and 128/255 = 0.502
        BinaryMask g = BinaryMask.fromGrey8(new int[] {0, 127, 128, 255}, 4, 1, 0.5);
        assertEquals(TestMasks.parse("..##"), g);
        assertEquals(TestMasks.parse("...#"), BinaryMask.fromGrey8(new int[] {0, 127, 128, 255}, 4, 1, 0.9));
        assertThrows(IllegalArgumentException.class, () -> BinaryMask.fromGrey8(new int[] {256}, 1, 1, 0.5));
    }

    @Test
    void floatThresholdIsComparedInFloat32LikePyTorch() {
        // a value equal to (float) 0.3 = 0.3000000119 is not above 0.3 in float32 (it would be in double)
        float t = 0.3f;
        float above = Math.nextUp(t);
        BinaryMask m = BinaryMask.fromProbabilities(new float[] {t, above}, 2, 1, 0.3);
        assertEquals(TestMasks.parse(".#"), m);
    }

    @Test
    void sizeMismatchIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> MaskMetrics.compute(BinaryMask.empty(4, 4),
                BinaryMask.empty(4, 3), EmptyPolicy.OFFICIAL_EPSILON, false, Hd95EmptyPolicy.NAN));
        assertThrows(IllegalArgumentException.class, () -> new BinaryMask(2, 2, new boolean[3]));
    }
}
