package org.condseg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentTest {
    private static final int N = 64;

    /** A dark image with a bright 6x4 block at (x0,y0) in all channels; the mask is the same block. */
    private static Sample marker(int x0, int y0) {
        float[] img = new float[3 * N * N];
        float[] mask = new float[N * N];
        java.util.Arrays.fill(img, 0.1f);
        for (int y = y0; y < y0 + 4; y++) {
            for (int x = x0; x < x0 + 6; x++) {
                mask[y * N + x] = 1;
                for (int c = 0; c < 3; c++) {
                    img[c * N * N + y * N + x] = 0.9f;
                }
            }
        }
        return new Sample("m", img, mask, N, N, N, null, null);
    }

    private static AugmentConfig only(String what) {
        AugmentConfig a = AugmentConfig.none();
        switch (what) {
            case "rotate" -> {
                a.rotateP = 1;
                a.rotateLimit = 90;
            }
            case "hflip" -> a.hflipP = 1;
            case "vflip" -> a.vflipP = 1;
            default -> a.dropoutP = 1;
        }
        return a;
    }

    /** Centroid {x, y} of the pixels of plane 0 above 0.5. */
    private static double[] centroid(float[] a) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int i = 0; i < N * N; i++) {
            if (a[i] > 0.5f) {
                sx += i % N;
                sy += i / N;
                n++;
            }
        }
        return new double[] {sx / n, sy / n, n};
    }

    @Test
    void flipsMoveImageAndMaskTogether() {
        Sample s = marker(5, 9);
        Sample h = new Augment(only("hflip")).apply(s, new SplittableRandom(1));
        assertEquals(1f, h.mask()[9 * N + (N - 1 - 5)]);
        assertEquals(0.9f, h.image()[2 * N * N + 9 * N + (N - 1 - 5)]);
        assertEquals(0f, h.mask()[9 * N + 5]);
        Sample v = new Augment(only("vflip")).apply(s, new SplittableRandom(1));
        assertEquals(1f, v.mask()[(N - 1 - 9) * N + 5]);
        assertEquals(0.9f, v.image()[(N - 1 - 9) * N + 5]);
        assertEquals(1f, s.mask()[9 * N + 5], "the input sample is left unchanged");
    }

    @Test
    void rotationKeepsMarkerAlignedAndMaskBinary() {
        Sample s = marker(40, 12);
        Augment rot = new Augment(only("rotate"));
        for (int seed = 0; seed < 20; seed++) {
            Sample r = rot.apply(s, new SplittableRandom(seed));
            double[] ci = centroid(r.image());
            double[] cm = centroid(r.mask());
            assertEquals(ci[0], cm[0], 1.0, "x, seed " + seed);
            assertEquals(ci[1], cm[1], 1.0, "y, seed " + seed);
            assertEquals(24, cm[2], 6, "mask area kept, seed " + seed);
            for (float m : r.mask()) {
                assertTrue(m == 0f || m == 1f);
            }
        }
    }

    @Test
    void rotateBy90IsCounterClockwiseAboutTheCentreWithReflect101() {
        int n = 5;
        float[] a = new float[n * n];
        a[2 * n + 4] = 1; // right of the centre (2,2)
        float[] r = Augment.rotate(a, 1, n, 90, true);
        assertEquals(1f, r[0 * n + 2], 1e-6, "moved to the top");
        float[] nearest = Augment.rotate(a, 1, n, 90, false);
        assertEquals(1f, nearest[2]);
        assertEquals(1, Augment.reflect101(-1, 4));
        assertEquals(2, Augment.reflect101(-2, 4));
        assertEquals(2, Augment.reflect101(4, 4));
        assertEquals(0, Augment.reflect101(6, 4));
        // 45°: corners sample outside the image and read the reflected interior, never zero.
        float[] ones = new float[n * n];
        java.util.Arrays.fill(ones, 1f);
        for (float v : Augment.rotate(ones, 1, n, 45, true)) {
            assertEquals(1f, v, 1e-6);
        }
    }

    @Test
    void dropoutTouchesImageOnlyWithHolesScaledToTheOriginalSize() {
        float[] img = new float[3 * N * N];
        java.util.Arrays.fill(img, 0.5f);
        float[] mask = new float[N * N];
        java.util.Arrays.fill(mask, 0, N * N / 2, 1f);
        // Original 256x128 at N=64: a 32 px hole is 8x16 input pixels.
        Sample s = new Sample("d", img, mask, N, 256, 128, null, null);
        Sample d = new Augment(only("dropout")).apply(s, new SplittableRandom(3));
        assertArrayEquals(mask, d.mask());
        int zeros = 0;
        for (int i = 0; i < N * N; i++) {
            if (d.image()[i] == 0f) {
                zeros++;
                assertEquals(0f, d.image()[N * N + i]);
                assertEquals(0f, d.image()[2 * N * N + i]);
            }
        }
        assertTrue(zeros >= 8 * 16 && zeros <= 10 * 8 * 16, "zeros " + zeros);
    }

    @Test
    void officialStageDefaults() {
        AugmentConfig s1 = AugmentConfig.stage1();
        assertEquals(90, s1.rotateLimit);
        assertEquals(0.5, s1.rotateP);
        assertEquals(0.5, s1.vflipP);
        AugmentConfig s2 = AugmentConfig.stage2();
        assertEquals(35, s2.rotateLimit);
        assertEquals(0.3, s2.hflipP);
        assertEquals(0.3, s2.dropoutP);
        assertEquals(10, s2.dropoutHoles);
        assertEquals(32, s2.dropoutSize);
    }
}
