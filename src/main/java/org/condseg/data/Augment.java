package org.condseg.data;

import java.util.SplittableRandom;

/**
 * Geometric augmentation of one sample, image and mask together, in the official order (condseg-reference.md §9.1,
 * §9.2): rotation by a uniform angle in ±rotateLimit (about the image centre, reflect-101 border, bilinear for the
 * image, nearest for the mask), horizontal flip, vertical flip, then coarse dropout (image only, holes filled with 0).
 *
 * <p>Unlike the official code, which augments at the original resolution before resizing, this runs on the resized
 * size x size sample, so that resized samples can be cached. With {@code dropoutInOriginalPixels} the hole size is
 * scaled by size/original side, so holes cover the same fraction of the image as in the official pipeline. The
 * input must be a [0,1] image (before normalisation), so that the dropout fill 0 is black as in the official code.
 */
public final class Augment {
    private final AugmentConfig cfg;

    public Augment(AugmentConfig cfg) {
        this.cfg = cfg;
    }

    /** A new sample with augmented copies of the image and mask (the input is not changed). */
    public Sample apply(Sample s, SplittableRandom rng) {
        int n = s.size();
        float[] image = s.image().clone();
        float[] mask = s.mask().clone();
        if (rng.nextDouble() < cfg.rotateP) {
            double angle = (2 * rng.nextDouble() - 1) * cfg.rotateLimit;
            image = rotate(image, 3, n, angle, true);
            mask = rotate(mask, 1, n, angle, false);
        }
        if (rng.nextDouble() < cfg.hflipP) {
            flip(image, 3, n, true);
            flip(mask, 1, n, true);
        }
        if (rng.nextDouble() < cfg.vflipP) {
            flip(image, 3, n, false);
            flip(mask, 1, n, false);
        }
        if (rng.nextDouble() < cfg.dropoutP) {
            int hw = cfg.dropoutSize;
            int hh = cfg.dropoutSize;
            if (cfg.dropoutInOriginalPixels) {
                hw = (int) Math.round((double) cfg.dropoutSize * n / s.originalWidth());
                hh = (int) Math.round((double) cfg.dropoutSize * n / s.originalHeight());
            }
            dropout(image, n, cfg.dropoutHoles, Math.max(1, Math.min(n, hw)), Math.max(1, Math.min(n, hh)), rng);
        }
        return new Sample(s.id(), image, mask, n, s.originalWidth(), s.originalHeight(), s.imagePath(), s.maskPath());
    }

    /**
     * Rotates CHW planes of n x n by {@code degrees} (positive = counter-clockwise on screen, as OpenCV) about the
     * centre ((n−1)/2, (n−1)/2): each output pixel samples the input at the inversely rotated position, bilinearly
     * or at the nearest pixel, with reflect-101 indexing outside (…, 2, 1 | 0, 1, 2, …, n−1 | n−2, …).
     */
    static float[] rotate(float[] src, int channels, int n, double degrees, boolean bilinear) {
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double c = (n - 1) / 2.0;
        int plane = n * n;
        float[] out = new float[src.length];
        for (int y = 0; y < n; y++) {
            double dy = y - c;
            for (int x = 0; x < n; x++) {
                double dx = x - c;
                double sx = cos * dx - sin * dy + c;
                double sy = sin * dx + cos * dy + c;
                int o = y * n + x;
                if (bilinear) {
                    int x0 = (int) Math.floor(sx);
                    int y0 = (int) Math.floor(sy);
                    float fx = (float) (sx - x0);
                    float fy = (float) (sy - y0);
                    boolean inside = x0 >= 0 && y0 >= 0 && x0 < n - 1 && y0 < n - 1;
                    int ix0 = inside ? x0 : reflect101(x0, n);
                    int ix1 = inside ? x0 + 1 : reflect101(x0 + 1, n);
                    int r0 = (inside ? y0 : reflect101(y0, n)) * n;
                    int r1 = (inside ? y0 + 1 : reflect101(y0 + 1, n)) * n;
                    for (int ch = 0; ch < channels; ch++) {
                        int b = ch * plane;
                        float top = src[b + r0 + ix0] * (1 - fx) + src[b + r0 + ix1] * fx;
                        float bottom = src[b + r1 + ix0] * (1 - fx) + src[b + r1 + ix1] * fx;
                        out[b + o] = top * (1 - fy) + bottom * fy;
                    }
                } else {
                    int ix = reflect101((int) Math.floor(sx + 0.5), n);
                    int iy = reflect101((int) Math.floor(sy + 0.5), n);
                    for (int ch = 0; ch < channels; ch++) {
                        out[ch * plane + o] = src[ch * plane + iy * n + ix];
                    }
                }
            }
        }
        return out;
    }

    /** Reflect-101 border index (OpenCV BORDER_REFLECT_101, torch "reflect"). */
    static int reflect101(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * n - 2;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    /** In-place horizontal (left-right) or vertical (top-bottom) flip of CHW planes of n x n. */
    static void flip(float[] a, int channels, int n, boolean horizontal) {
        int plane = n * n;
        for (int ch = 0; ch < channels; ch++) {
            int b = ch * plane;
            if (horizontal) {
                for (int y = 0; y < n; y++) {
                    int row = b + y * n;
                    for (int x = 0; x < n / 2; x++) {
                        float t = a[row + x];
                        a[row + x] = a[row + n - 1 - x];
                        a[row + n - 1 - x] = t;
                    }
                }
            } else {
                for (int y = 0; y < n / 2; y++) {
                    int r0 = b + y * n;
                    int r1 = b + (n - 1 - y) * n;
                    for (int x = 0; x < n; x++) {
                        float t = a[r0 + x];
                        a[r0 + x] = a[r1 + x];
                        a[r1 + x] = t;
                    }
                }
            }
        }
    }

    /** {@code holes} rectangles of hw x hh at uniform positions, set to 0 in all three image channels. */
    static void dropout(float[] image, int n, int holes, int hw, int hh, SplittableRandom rng) {
        int plane = n * n;
        for (int k = 0; k < holes; k++) {
            int y0 = rng.nextInt(n - hh + 1);
            int x0 = rng.nextInt(n - hw + 1);
            for (int ch = 0; ch < 3; ch++) {
                for (int y = y0; y < y0 + hh; y++) {
                    java.util.Arrays.fill(image, ch * plane + y * n + x0, ch * plane + y * n + x0 + hw, 0f);
                }
            }
        }
    }
}
