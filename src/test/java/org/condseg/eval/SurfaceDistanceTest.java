package org.condseg.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SurfaceDistanceTest {

    @Test
    void singlePixelsAreTheirOwnBoundary() {
        BinaryMask a = TestMasks.parse(
                "#....",
                ".....",
                ".....",
                "....#");
        // A->B {0, 5} (offset (3,4)), B->A {0}: sorted [0,0,5], index 0.95*2 = 1.9 -> 0 + 0.9*5
        assertEquals(4.5, SurfaceDistance.hd95(a, TestMasks.parse(
                "#....",
                ".....",
                ".....",
                ".....")), 1e-12);
        BinaryMask p = TestMasks.parse("#....", ".....");
        BinaryMask q = TestMasks.parse(".....", "..#..");
        assertEquals(Math.sqrt(5), SurfaceDistance.hd95(p, q), 1e-15); // offsets (1,2)
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        // A = cols 0..4 of a 1x6 row, B = col 5: A->B {5,4,3,2,1}, B->A {1};
        // sorted [1,1,2,3,4,5], index 0.95*5 = 4.75 -> 4 + 0.75*(5-4)
        BinaryMask a = TestMasks.parse("#####.");
        BinaryMask b = TestMasks.parse(".....#");
        assertEquals(4.75, SurfaceDistance.hd95(a, b), 1e-12);
        assertEquals(5.0, SurfaceDistance.hausdorff(a.pixels(), b.pixels(), new int[] {1, 6}, null, 100), 0.0);
        assertEquals(1.0, SurfaceDistance.hausdorff(a.pixels(), b.pixels(), new int[] {1, 6}, null, 0), 0.0);
    }

    @Test
    void interiorPixelsAreNotBoundary() {
        // 5x5 square vs its centred 3x3: outer ring (16 px) to inner ring (8 px, centre is interior):
        // 12 at distance 1, 4 corners at sqrt 2; inner ring to outer ring: 8 at 1. 24 values, 95th pct sqrt 2
        BinaryMask big = TestMasks.parse(
                ".......",
                ".#####.",
                ".#####.",
                ".#####.",
                ".#####.",
                ".#####.",
                ".......");
        BinaryMask small = TestMasks.parse(
                ".......",
                ".......",
                "..###..",
                "..###..",
                "..###..",
                ".......",
                ".......");
        boolean[] ring = SurfaceDistance.boundary(small.pixels(), new int[] {7, 7});
        assertEquals(8, count(ring));
        assertTrue(!ring[3 * 7 + 3], "centre is interior");
        assertEquals(16, count(SurfaceDistance.boundary(big.pixels(), new int[] {7, 7})));
        assertEquals(Math.sqrt(2), SurfaceDistance.hd95(big, small), 1e-15);
        assertEquals(0.0, SurfaceDistance.hd95(big, big), 0.0);
        double[] d = SurfaceDistance.symmetricDistances(big.pixels(), small.pixels(), new int[] {7, 7}, null);
        assertEquals(24, d.length);
        assertEquals(12 + 8 + 4 * Math.sqrt(2), Arrays.stream(d).sum(), 1e-12);
    }

    @Test
    void pixelsOnTheImageEdgeAreBoundary() {
        BinaryMask full = TestMasks.parse("###", "###", "###");
        boolean[] b = SurfaceDistance.boundary(full.pixels(), new int[] {3, 3});
        assertEquals(8, count(b));
        assertTrue(!b[4]);
    }

    @Test
    void emptyMaskGivesNaN() {
        assertTrue(Double.isNaN(SurfaceDistance.hd95(BinaryMask.empty(3, 3), TestMasks.parse("#..", "...", "..."))));
    }

    @Test
    void distanceTransformHandCases() {
        // one site at x=1 of a 1x5 row: squared distances 1,0,1,4,9
        boolean[] s = {false, true, false, false, false};
        assertArrayEquals(new double[] {1, 0, 1, 4, 9}, DistanceTransform.squared(s, new int[] {1, 5}, null), 0.0);
        // spacing 2 along the row: times 4
        assertArrayEquals(new double[] {4, 0, 4, 16, 36},
                DistanceTransform.squared(s, new int[] {1, 5}, new double[] {1, 2}), 0.0);
        // 3x3 with the corner site: squared distance y^2 + x^2
        boolean[] c = new boolean[9];
        c[0] = true;
        assertArrayEquals(new double[] {0, 1, 4, 1, 2, 5, 4, 5, 8}, DistanceTransform.squared(c, new int[] {3, 3}, null), 0.0);
        double[] none = DistanceTransform.squared(new boolean[4], new int[] {2, 2}, null);
        assertTrue(Arrays.stream(none).allMatch(v -> v == Double.POSITIVE_INFINITY));
    }

    @Test
    void distanceTransformMatchesBruteForce2dAnd3d() {
        Random rnd = new Random(7);
        int[][] shapes = {{1, 1}, {1, 9}, {7, 1}, {12, 15}, {16, 9}, {5, 6, 7}, {3, 1, 8}};
        for (int trial = 0; trial < 60; trial++) {
            int[] dims = shapes[trial % shapes.length];
            double density = 0.02 + 0.3 * rnd.nextDouble();
            boolean[] sites = random(rnd, dims, density);
            double[] spacing = trial % 3 == 0 ? null : randomSpacing(rnd, dims.length);
            double[] fast = DistanceTransform.squared(sites, dims, spacing);
            double[] brute = bruteSquared(sites, dims, spacing);
            for (int i = 0; i < fast.length; i++) {
                if (spacing == null) {
                    assertEquals(brute[i], fast[i], 0.0, "unit spacing is exact, trial " + trial);
                } else {
                    assertEquals(brute[i], fast[i], 1e-9 * Math.max(1, brute[i]), "trial " + trial);
                }
            }
        }
    }

    @Test
    void hd95MatchesBruteForceOnRandomMasks() {
        Random rnd = new Random(11);
        int[][] shapes = {{8, 8}, {11, 13}, {1, 10}, {4, 5, 6}};
        for (int trial = 0; trial < 80; trial++) {
            int[] dims = shapes[trial % shapes.length];
            boolean[] a = random(rnd, dims, 0.05 + 0.5 * rnd.nextDouble());
            boolean[] b = random(rnd, dims, 0.05 + 0.5 * rnd.nextDouble());
            double[] spacing = trial % 2 == 0 ? null : randomSpacing(rnd, dims.length);
            double fast = SurfaceDistance.hausdorff(a, b, dims, spacing, 95);
            double brute = bruteHd(a, b, dims, spacing, 0.95);
            if (Double.isNaN(brute)) {
                assertTrue(Double.isNaN(fast));
            } else {
                assertEquals(brute, fast, 1e-9, "trial " + trial);
            }
        }
    }

    // ---- independent brute force: explicit neighbour test, all pairs, textbook type-7 percentile ----

    private static double bruteHd(boolean[] a, boolean[] b, int[] dims, double[] spacing, double q) {
        int[][] ba = borderCoords(a, dims);
        int[][] bb = borderCoords(b, dims);
        if (ba.length == 0 || bb.length == 0) {
            return Double.NaN;
        }
        double[] all = new double[ba.length + bb.length];
        int k = 0;
        for (int[] p : ba) {
            all[k++] = nearest(p, bb, spacing);
        }
        for (int[] p : bb) {
            all[k++] = nearest(p, ba, spacing);
        }
        Arrays.sort(all);
        double h = (all.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, all.length - 1);
        return all[lo] + (h - lo) * (all[hi] - all[lo]);
    }

    private static double nearest(int[] p, int[][] set, double[] spacing) {
        double best = Double.POSITIVE_INFINITY;
        for (int[] s : set) {
            best = Math.min(best, dist2(p, s, spacing));
        }
        return Math.sqrt(best);
    }

    private static int[][] borderCoords(boolean[] m, int[] dims) {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < m.length; i++) {
            if (!m[i]) {
                continue;
            }
            int[] c = coords(i, dims);
            boolean border = false;
            for (int axis = 0; axis < dims.length; axis++) {
                for (int step = -1; step <= 1; step += 2) {
                    int[] n = c.clone();
                    n[axis] += step;
                    if (n[axis] < 0 || n[axis] >= dims[axis] || !m[index(n, dims)]) {
                        border = true;
                    }
                }
            }
            if (border) {
                out.add(c);
            }
        }
        return out.toArray(new int[0][]);
    }

    private static double[] bruteSquared(boolean[] sites, int[] dims, double[] spacing) {
        double[] out = new double[sites.length];
        for (int i = 0; i < sites.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            int[] c = coords(i, dims);
            for (int j = 0; j < sites.length; j++) {
                if (sites[j]) {
                    best = Math.min(best, dist2(c, coords(j, dims), spacing));
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static double dist2(int[] p, int[] q, double[] spacing) {
        double s = 0;
        for (int a = 0; a < p.length; a++) {
            double d = (p[a] - q[a]) * (spacing == null ? 1.0 : spacing[a]);
            s += d * d;
        }
        return s;
    }

    private static int[] coords(int i, int[] dims) {
        int[] c = new int[dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            c[a] = i % dims[a];
            i /= dims[a];
        }
        return c;
    }

    private static int index(int[] c, int[] dims) {
        int i = 0;
        for (int a = 0; a < dims.length; a++) {
            i = i * dims[a] + c[a];
        }
        return i;
    }

    private static boolean[] random(Random rnd, int[] dims, double density) {
        int n = Arrays.stream(dims).reduce(1, (x, y) -> x * y);
        boolean[] m = new boolean[n];
        for (int i = 0; i < n; i++) {
            m[i] = rnd.nextDouble() < density;
        }
        return m;
    }

    private static double[] randomSpacing(Random rnd, int nd) {
        double[] s = new double[nd];
        for (int i = 0; i < nd; i++) {
            s[i] = 0.5 + 2.5 * rnd.nextDouble();
        }
        return s;
    }

    private static int count(boolean[] m) {
        int c = 0;
        for (boolean x : m) {
            if (x) {
                c++;
            }
        }
        return c;
    }
}
