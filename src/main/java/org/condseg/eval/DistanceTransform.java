package org.condseg.eval;

import java.util.Arrays;

/**
 * Exact Euclidean distance transform in any number of dimensions, O(number of pixels).
 *
 * <p>Felzenszwalb &amp; Huttenlocher, "Distance Transforms of Sampled Functions" (Theory of Computing 8,
 * 2012): the squared Euclidean distance is separable, so one exact 1-D pass per axis (lower envelope of
 * parabolas) gives the exact N-D result. The first pass (last axis) of a binary input reduces to the distance
 * to the nearest site on the row, found by two scans. Arrays are row-major (C order): the last dimension varies fastest.
 * With unit spacing every value is an integer held exactly in a double.
 */
public final class DistanceTransform {
    private DistanceTransform() {
    }

    /**
     * Squared Euclidean distance from each pixel to the nearest {@code true} site.
     *
     * @param sites   row-major sites, length = product of dims
     * @param dims    the shape, e.g. {H, W} or {D, H, W}
     * @param spacing physical size of a pixel along each axis, or null for 1 everywhere
     * @return squared distances; {@code +Infinity} everywhere when there is no site
     */
    public static double[] squared(boolean[] sites, int[] dims, double[] spacing) {
        int n = checkShape(sites.length, dims);
        if (spacing != null && spacing.length != dims.length) {
            throw new IllegalArgumentException("spacing has " + spacing.length + " entries for " + dims.length + " dims");
        }
        double[] f = new double[n];
        int nd = dims.length;
        // last axis (contiguous): for 0/inf input the 1-D transform is the squared distance to the nearest site
        // along the line, found by a forward and a backward scan
        nearestAlongRows(sites, dims[nd - 1], spacing == null ? 1.0 : spacing[nd - 1] * spacing[nd - 1], f);
        int maxLen = Arrays.stream(dims).max().orElse(1);
        double[] line = new double[maxLen];
        double[] out = new double[maxLen];
        int[] v = new int[maxLen];
        double[] z = new double[maxLen + 1];
        for (int axis = nd - 2; axis >= 0; axis--) {
            int len = dims[axis];
            int stride = 1;
            for (int a = axis + 1; a < nd; a++) {
                stride *= dims[a];
            }
            double w = spacing == null ? 1.0 : spacing[axis] * spacing[axis];
            int block = stride * len;
            // every line along this axis starts at (outer * block + inner)
            for (int outer = 0; outer < n; outer += block) {
                for (int inner = 0; inner < stride; inner++) {
                    int start = outer + inner;
                    for (int p = 0; p < len; p++) {
                        line[p] = f[start + p * stride];
                    }
                    lowerEnvelope(line, len, w, out, v, z);
                    for (int p = 0; p < len; p++) {
                        f[start + p * stride] = out[p];
                    }
                }
            }
        }
        return f;
    }

    /** Squared distance (times w) to the nearest site on the same row; +inf on rows without a site. */
    private static void nearestAlongRows(boolean[] sites, int len, double w, double[] f) {
        for (int start = 0; start < sites.length; start += len) {
            int last = -1;
            for (int p = 0; p < len; p++) {
                if (sites[start + p]) {
                    last = p;
                }
                f[start + p] = last < 0 ? Double.POSITIVE_INFINITY : (double) (p - last);
            }
            last = -1;
            for (int p = len - 1; p >= 0; p--) {
                if (sites[start + p]) {
                    last = p;
                }
                double d = last < 0 ? Double.POSITIVE_INFINITY : (double) (last - p);
                double best = Math.min(d, f[start + p]);
                f[start + p] = best == Double.POSITIVE_INFINITY ? best : w * best * best;
            }
        }
    }

    /**
     * One 1-D pass: {@code out[p] = min_q (w·(p−q)² + f[q])} over the finite f[q]. Infinite samples are left
     * out of the envelope (they can never be the minimum), so the intersection formula never sees infinity.
     */
    static void lowerEnvelope(double[] f, int len, double w, double[] out, int[] v, double[] z) {
        int k = -1;
        for (int q = 0; q < len; q++) {
            if (f[q] == Double.POSITIVE_INFINITY) {
                continue;
            }
            if (k < 0) {
                k = 0;
                v[0] = q;
                z[0] = Double.NEGATIVE_INFINITY;
                z[1] = Double.POSITIVE_INFINITY;
                continue;
            }
            double s = intersection(f, w, q, v[k]);
            while (s <= z[k]) {
                k--;
                s = intersection(f, w, q, v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        if (k < 0) {
            Arrays.fill(out, 0, len, Double.POSITIVE_INFINITY);
            return;
        }
        k = 0;
        for (int p = 0; p < len; p++) {
            while (z[k + 1] < p) {
                k++;
            }
            double d = p - v[k];
            out[p] = w * d * d + f[v[k]];
        }
    }

    /** Abscissa where the parabolas rooted at q and r (q &gt; r) meet. */
    private static double intersection(double[] f, double w, int q, int r) {
        return ((f[q] + w * q * q) - (f[r] + w * r * r)) / (2.0 * w * (q - r));
    }

    static int checkShape(int length, int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("non-positive dimension in " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("array of length " + length + " does not match shape " + Arrays.toString(dims));
        }
        return length;
    }
}
