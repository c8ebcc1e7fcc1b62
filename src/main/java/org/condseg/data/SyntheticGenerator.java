package org.condseg.data;

import java.util.SplittableRandom;

/**
 * Deterministic medical-like images with binary masks, for tests and for runs without real data. Each image is a pure
 * function of its seed: a tinted, textured background (two octaves of value noise) under uneven illumination (a
 * vignette around a random light centre plus a gradient); one main object of random size (soft-edged, elliptic,
 * with low-order harmonic wobble of the outline, its own texture, a small colour difference from the background)
 * and up to {@link SyntheticConfig#maxSmallObjects} small co-occurring ones; then 0..maxBlurPasses [1,2,1] blurs and
 * Gaussian noise. The mask is the objects' interior (outline radius &gt; distance); the label map numbers the objects
 * 1..k (GlaS-style instance labels).
 */
public final class SyntheticGenerator {
    private SyntheticGenerator() {
    }

    /** A generated pair plus its instance label map (0 = background, 1..k = objects; later objects on top). */
    public record Generated(RawPair pair, byte[] labels) {
    }

    /** Colour styles: endoscopy (pink mucosa), dermoscopy (skin with a darker lesion), histology (pink/purple). */
    private static final double[][][] STYLES = {
        {{0.78, 0.42, 0.36}, {0.90, 0.55, 0.45}},
        {{0.86, 0.70, 0.62}, {0.55, 0.38, 0.30}},
        {{0.90, 0.74, 0.84}, {0.62, 0.42, 0.70}},
    };

    /** Generates one sample of width x height from a seed. */
    public static Generated generate(String id, long seed, int width, int height, SyntheticConfig cfg) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = width * height;
        double[][] style = STYLES[rng.nextInt(STYLES.length)];
        float[] bg = new float[3];
        float[] fg = new float[3];
        double contrast = uniform(rng, cfg.minContrast, cfg.maxContrast);
        for (int c = 0; c < 3; c++) {
            bg[c] = (float) clamp(style[0][c] + uniform(rng, -0.06, 0.06));
            double toward = style[1][c] - style[0][c];
            // The object's colour moves from the background toward the style's object colour by `contrast`.
            fg[c] = (float) clamp(bg[c] + Math.signum(toward) * contrast * (0.6 + 0.4 * rng.nextDouble()));
        }
        float[] bgTex = noise(rng, width, height, 4, 12, 0.06);
        float[] fgTex = noise(rng, width, height, 8, 20, 0.05);

        float[] alpha = new float[n];
        byte[] labels = new byte[n];
        int minSide = Math.min(width, height);
        int objects = 1 + rng.nextInt(cfg.maxSmallObjects + 1);
        for (int k = 0; k < objects; k++) {
            double r = k == 0 ? uniform(rng, cfg.minRadius, cfg.maxRadius) * minSide
                    : uniform(rng, 0.025, 0.07) * minSide;
            double margin = k == 0 ? 0.6 * r : 0;
            double cx = uniform(rng, margin, Math.max(margin, width - margin));
            double cy = uniform(rng, margin, Math.max(margin, height - margin));
            drawBlob(rng, alpha, labels, width, height, cx, cy, r, (byte) (k + 1));
        }

        float[] light = illumination(rng, width, height, cfg.illumination);
        float[] img = new float[3 * n];
        for (int i = 0; i < n; i++) {
            float a = alpha[i];
            for (int c = 0; c < 3; c++) {
                float base = bg[c] + bgTex[i];
                float obj = fg[c] + fgTex[i];
                img[c * n + i] = (base * (1 - a) + obj * a) * light[i];
            }
        }
        int passes = cfg.maxBlurPasses <= 0 ? 0 : rng.nextInt(cfg.maxBlurPasses + 1);
        for (int p = 0; p < passes; p++) {
            for (int c = 0; c < 3; c++) {
                blur121(img, c * n, width, height);
            }
        }
        byte[] rgb = new byte[3 * n];
        byte[] mask = new byte[n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                double v = img[c * n + i] + cfg.noise * rng.nextGaussian();
                rgb[3 * i + c] = (byte) (int) Math.round(255 * clamp(v));
            }
            mask[i] = (byte) (labels[i] != 0 ? 255 : 0);
        }
        return new Generated(new RawPair(id, width, height, rgb, mask), labels);
    }

    /**
     * One soft-edged object: an ellipse (axis ratio 0.6..1, random orientation) whose outline radius wobbles with
     * harmonics 2..4, R(θ) = r·(1 + Σ a_k cos(kθ + φ_k)), a_k ≤ 0.12. Alpha ramps over 2·edge pixels across the outline.
     */
    private static void drawBlob(SplittableRandom rng, float[] alpha, byte[] labels, int w, int h, double cx,
            double cy, double r, byte label) {
        double ratio = uniform(rng, 0.6, 1.0);
        double rot = uniform(rng, 0, Math.PI);
        double cr = Math.cos(rot);
        double sr = Math.sin(rot);
        double[] amp = new double[5];
        double[] cph = new double[5];
        double[] sph = new double[5];
        for (int k = 2; k <= 4; k++) {
            amp[k] = uniform(rng, 0, 0.12);
            double ph = uniform(rng, 0, 2 * Math.PI);
            cph[k] = Math.cos(ph);
            sph[k] = Math.sin(ph);
        }
        double edge = uniform(rng, 0.8, 3.0);
        double reach = r * 1.4 + 2 * edge + 1;
        int x0 = Math.max(0, (int) (cx - reach));
        int x1 = Math.min(w - 1, (int) (cx + reach));
        int y0 = Math.max(0, (int) (cy - reach));
        int y1 = Math.min(h - 1, (int) (cy + reach));
        for (int y = y0; y <= y1; y++) {
            double dy = y + 0.5 - cy;
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx;
                double u = dx * cr + dy * sr;
                double v = (-dx * sr + dy * cr) / ratio;
                double d = Math.sqrt(u * u + v * v);
                double c1 = d > 0 ? u / d : 1;
                double s1 = d > 0 ? v / d : 0;
                // cos(kθ), sin(kθ) by the angle-addition recurrence, no trigonometric calls per pixel.
                double ck = c1;
                double sk = s1;
                double wobble = 0;
                for (int k = 2; k <= 4; k++) {
                    double cn = ck * c1 - sk * s1;
                    double sn = sk * c1 + ck * s1;
                    ck = cn;
                    sk = sn;
                    wobble += amp[k] * (ck * cph[k] - sk * sph[k]);
                }
                double signed = r * (1 + wobble) - d;
                float a = (float) Math.max(0, Math.min(1, 0.5 + signed / (2 * edge)));
                int i = y * w + x;
                if (a > alpha[i]) {
                    alpha[i] = a;
                }
                if (signed > 0) {
                    labels[i] = label;
                }
            }
        }
    }

    /** Two octaves of bilinear value noise (coarse and fine grids), scaled to about ±amplitude. */
    private static float[] noise(SplittableRandom rng, int w, int h, int coarse, int fine, double amplitude) {
        float[] out = new float[w * h];
        addOctave(rng, out, w, h, coarse, (float) (0.7 * amplitude));
        addOctave(rng, out, w, h, fine, (float) (0.3 * amplitude));
        return out;
    }

    private static void addOctave(SplittableRandom rng, float[] out, int w, int h, int cells, float amp) {
        int g = cells + 2;
        float[] grid = new float[g * g];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (float) (2 * rng.nextDouble() - 1);
        }
        for (int y = 0; y < h; y++) {
            double gy = (double) y / h * cells;
            int iy = (int) gy;
            float fy = smooth((float) (gy - iy));
            for (int x = 0; x < w; x++) {
                double gx = (double) x / w * cells;
                int ix = (int) gx;
                float fx = smooth((float) (gx - ix));
                float top = grid[iy * g + ix] * (1 - fx) + grid[iy * g + ix + 1] * fx;
                float bottom = grid[(iy + 1) * g + ix] * (1 - fx) + grid[(iy + 1) * g + ix + 1] * fx;
                out[y * w + x] += amp * (top * (1 - fy) + bottom * fy);
            }
        }
    }

    /** Multiplicative light: 1 − s·(0.7·r² + 0.3·gradient), r the distance to a random light centre. */
    private static float[] illumination(SplittableRandom rng, int w, int h, double strength) {
        double lx = uniform(rng, 0.2, 0.8) * w;
        double ly = uniform(rng, 0.2, 0.8) * h;
        double ang = uniform(rng, 0, 2 * Math.PI);
        double gx = Math.cos(ang);
        double gy = Math.sin(ang);
        double diag2 = (double) w * w + (double) h * h;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r2 = ((x - lx) * (x - lx) + (y - ly) * (y - ly)) / diag2 * 2;
                double grad = 0.5 + 0.5 * ((x / (double) w - 0.5) * gx + (y / (double) h - 0.5) * gy);
                out[y * w + x] = (float) Math.max(0.25, 1 - strength * (0.7 * r2 + 0.3 * grad));
            }
        }
        return out;
    }

    /** In-place separable [1,2,1]/4 blur of one plane (edges replicated). */
    private static void blur121(float[] a, int off, int w, int h) {
        float[] row = new float[Math.max(w, h)];
        for (int y = 0; y < h; y++) {
            int base = off + y * w;
            for (int x = 0; x < w; x++) {
                row[x] = 0.25f * a[base + Math.max(0, x - 1)] + 0.5f * a[base + x] + 0.25f * a[base + Math.min(w - 1, x + 1)];
            }
            System.arraycopy(row, 0, a, base, w);
        }
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                row[y] = 0.25f * a[off + Math.max(0, y - 1) * w + x] + 0.5f * a[off + y * w + x]
                        + 0.25f * a[off + Math.min(h - 1, y + 1) * w + x];
            }
            for (int y = 0; y < h; y++) {
                a[off + y * w + x] = row[y];
            }
        }
    }

    private static float smooth(float t) {
        return t * t * (3 - 2 * t);
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
