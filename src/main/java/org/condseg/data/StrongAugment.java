package org.condseg.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The strong augmentation Aug(·) of Consistency Reinforcement (paper §"Consistency Reinforcement", Eq. 5–6 input;
 * official semantics in condseg-reference.md §9.1), on a [B,3,H,W] batch in pure Java:
 * <ol>
 * <li>colour jitter: brightness (x·b, clamped), contrast (blend with the image's mean grey, clamped), saturation
 * (blend with the pixel's grey, clamped), hue (shift h in HSV, modulo 1), in a random order, factors b, c, s uniform
 * in [1−v, 1+v] and the hue shift in [−hue, hue];</li>
 * <li>grayscale with probability grayscaleP (grey = 0.2989·ch0 + 0.587·ch1 + 0.114·ch2, to all channels);</li>
 * <li>Gaussian blur, sigma uniform in [blurSigmaMin, blurSigmaMax], kernel blurKernel taps ∝ exp(−x²/2σ²),
 * reflect-101 border; vertical only by default (the official kernel size (1,7) is read as (width, height)).</li>
 * </ol>
 * With perBatch (official) one draw serves the whole batch; otherwise each image draws its own. Channels are used as
 * stored: with data.channelOrder bgr the grey weights fall on B,G,R, which reproduces the official BGR/RGB mix-up; with
 * rgb they are correct. A normalised batch is mapped back to [0,1] first and normalised again after. Masks are never
 * touched (the consistency loss compares the network's outputs; the targets stay as they are).
 */
public final class StrongAugment {
    private final StrongAugConfig cfg;
    private final ImageNorm norm;

    public StrongAugment(StrongAugConfig cfg, ImageNorm norm) {
        this.cfg = cfg;
        this.norm = norm;
    }

    /** The random choices of one draw. */
    private record Draw(int[] order, float brightness, float contrast, float saturation, float hue, boolean gray,
            float[] kernel) {
    }

    /** A new [B,3,H,W] array: the augmented copy of {@code images} (which is left unchanged). */
    public INDArray apply(INDArray images, long seed) {
        long[] shape = images.shape();
        if (shape.length != 4 || shape[1] != 3) {
            throw new IllegalArgumentException("expected [B,3,H,W], got " + java.util.Arrays.toString(shape));
        }
        float[] data = images.dup('c').data().asFloat();
        apply(data, (int) shape[0], (int) shape[2], (int) shape[3], new SplittableRandom(seed));
        return Nd4j.create(data, shape, 'c');
    }

    /**
     * Augments {@code batch} CHW images of h x w stored contiguously in {@code data}, in place. The random draws are
     * made first, in image order, then the images are processed in parallel, so the result does not depend on threads.
     */
    public void apply(float[] data, int batch, int h, int w, SplittableRandom rng) {
        int plane = h * w;
        norm.denormalize(data, 0, batch, plane);
        Draw[] draws = new Draw[batch];
        for (int b = 0; b < batch; b++) {
            draws[b] = cfg.perBatch && b > 0 ? draws[0] : draw(rng);
        }
        IntStream.range(0, batch).parallel().forEach(b -> augmentOne(data, b * 3 * plane, h, w, draws[b]));
        norm.normalize(data, 0, batch, plane);
    }

    private void augmentOne(float[] data, int off, int h, int w, Draw d) {
        int plane = h * w;
        for (int op : d.order) {
            switch (op) {
                case 0 -> brightness(data, off, plane, d.brightness);
                case 1 -> contrast(data, off, plane, d.contrast);
                case 2 -> saturation(data, off, plane, d.saturation);
                default -> hue(data, off, plane, d.hue);
            }
        }
        if (d.gray) {
            for (int i = 0; i < plane; i++) {
                float g = gray(data, off, plane, i);
                data[off + i] = g;
                data[off + plane + i] = g;
                data[off + 2 * plane + i] = g;
            }
        }
        if (d.kernel.length > 1) {
            float[] tmp = new float[plane];
            for (int c = 0; c < 3; c++) {
                blurVertical(data, off + c * plane, h, w, d.kernel, tmp);
                if (!cfg.blurVerticalOnly) {
                    blurHorizontal(data, off + c * plane, h, w, d.kernel, tmp);
                }
            }
        }
    }

    private Draw draw(SplittableRandom rng) {
        int[] order = Splits.permutation(4, rng);
        float b = factor(rng, cfg.brightness);
        float c = factor(rng, cfg.contrast);
        float s = factor(rng, cfg.saturation);
        float hu = (float) ((2 * rng.nextDouble() - 1) * cfg.hue);
        boolean gray = rng.nextDouble() < cfg.grayscaleP;
        double sigma = cfg.blurSigmaMin + (cfg.blurSigmaMax - cfg.blurSigmaMin) * rng.nextDouble();
        return new Draw(order, b, c, s, hu, gray, kernel(cfg.blurKernel, sigma));
    }

    private static float factor(SplittableRandom rng, double v) {
        return (float) (Math.max(0, 1 - v) + (1 + v - Math.max(0, 1 - v)) * rng.nextDouble());
    }

    /** Normalised 1-D Gaussian taps for x = −(k−1)/2 .. (k−1)/2. */
    static float[] kernel(int k, double sigma) {
        float[] out = new float[Math.max(1, k)];
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            double x = i - (out.length - 1) / 2.0;
            out[i] = (float) Math.exp(-x * x / (2 * sigma * sigma));
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= (float) sum;
        }
        return out;
    }

    private static float gray(float[] d, int off, int plane, int i) {
        return 0.2989f * d[off + i] + 0.587f * d[off + plane + i] + 0.114f * d[off + 2 * plane + i];
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    private static void brightness(float[] d, int off, int plane, float f) {
        for (int i = off; i < off + 3 * plane; i++) {
            d[i] = clamp(d[i] * f);
        }
    }

    private static void contrast(float[] d, int off, int plane, float f) {
        double sum = 0;
        for (int i = 0; i < plane; i++) {
            sum += gray(d, off, plane, i);
        }
        float mean = (float) (sum / plane);
        for (int i = off; i < off + 3 * plane; i++) {
            d[i] = clamp(f * d[i] + (1 - f) * mean);
        }
    }

    private static void saturation(float[] d, int off, int plane, float f) {
        for (int i = 0; i < plane; i++) {
            float g = gray(d, off, plane, i);
            for (int c = 0; c < 3; c++) {
                int j = off + c * plane + i;
                d[j] = clamp(f * d[j] + (1 - f) * g);
            }
        }
    }

    /** Hue shift through HSV (hexcone model), h ← (h + shift) mod 1. */
    static void hue(float[] d, int off, int plane, float shift) {
        for (int i = 0; i < plane; i++) {
            float r = d[off + i];
            float g = d[off + plane + i];
            float b = d[off + 2 * plane + i];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float chroma = max - min;
            if (chroma <= 0) {
                continue; // grey pixels have no hue
            }
            float s = chroma / max;
            float h;
            if (max == r) {
                h = (g - b) / chroma;
            } else if (max == g) {
                h = 2 + (b - r) / chroma;
            } else {
                h = 4 + (r - g) / chroma;
            }
            h = h / 6 + shift;
            h -= (float) Math.floor(h);
            float h6 = h * 6;
            int sector = (int) h6 % 6;
            float f = h6 - (float) Math.floor(h6);
            float v = max;
            float p = clamp(v * (1 - s));
            float q = clamp(v * (1 - s * f));
            float t = clamp(v * (1 - s * (1 - f)));
            float nr;
            float ng;
            float nb;
            switch (sector) {
                case 0 -> { nr = v; ng = t; nb = p; }
                case 1 -> { nr = q; ng = v; nb = p; }
                case 2 -> { nr = p; ng = v; nb = t; }
                case 3 -> { nr = p; ng = q; nb = v; }
                case 4 -> { nr = t; ng = p; nb = v; }
                default -> { nr = v; ng = p; nb = q; }
            }
            d[off + i] = nr;
            d[off + plane + i] = ng;
            d[off + 2 * plane + i] = nb;
        }
    }

    /** Vertical pass: each output row is a weighted sum of whole input rows (reflect-101), via a plane buffer. */
    private static void blurVertical(float[] d, int off, int h, int w, float[] k, float[] buf) {
        int r = k.length / 2;
        java.util.Arrays.fill(buf, 0, h * w, 0f);
        for (int y = 0; y < h; y++) {
            int o = y * w;
            for (int t = 0; t < k.length; t++) {
                int src = off + Augment.reflect101(y + t - r, h) * w;
                float kt = k[t];
                for (int x = 0; x < w; x++) {
                    buf[o + x] += kt * d[src + x];
                }
            }
        }
        System.arraycopy(buf, 0, d, off, h * w);
    }

    /** Horizontal pass, row by row (reflect-101). */
    private static void blurHorizontal(float[] d, int off, int h, int w, float[] k, float[] buf) {
        int r = k.length / 2;
        for (int y = 0; y < h; y++) {
            int base = off + y * w;
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int t = 0; t < k.length; t++) {
                    acc += k[t] * d[base + Augment.reflect101(x + t - r, w)];
                }
                buf[x] = acc;
            }
            System.arraycopy(buf, 0, d, base, w);
        }
    }
}
