package org.condseg.data;

/**
 * Bilinear resizing with OpenCV's {@code INTER_LINEAR} geometry (pixel centres aligned, i.e.
 * src = (dst + 0.5)·scale − 0.5, clamped at the border; no anti-aliasing when shrinking), which is what the
 * official pipeline uses for image, mask and background (condseg-reference.md §10.2). The aspect ratio is not kept.
 */
public final class Resize {
    private Resize() {
    }

    /** Source index pairs and weights for one axis. */
    private record Axis(int[] i0, int[] i1, float[] w1) {
        static Axis of(int src, int dst) {
            int[] i0 = new int[dst];
            int[] i1 = new int[dst];
            float[] w1 = new float[dst];
            double scale = (double) src / dst;
            for (int d = 0; d < dst; d++) {
                double s = (d + 0.5) * scale - 0.5;
                if (s < 0) {
                    s = 0;
                }
                int a = (int) Math.floor(s);
                float f = (float) (s - a);
                if (a >= src - 1) {
                    a = src - 1;
                    f = 0;
                }
                i0[d] = a;
                i1[d] = Math.min(a + 1, src - 1);
                w1[d] = f;
            }
            return new Axis(i0, i1, w1);
        }
    }

    /**
     * Resizes interleaved bytes ({@code channels} per pixel, row-major) to planar CHW bytes of size x size,
     * rounding to the nearest integer as a uint8 pipeline does.
     */
    public static byte[] toPlanar(byte[] src, int width, int height, int channels, int size) {
        Axis ax = Axis.of(width, size);
        Axis ay = Axis.of(height, size);
        byte[] out = new byte[channels * size * size];
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            int r0 = ay.i0[y] * width;
            int r1 = ay.i1[y] * width;
            float wy = ay.w1[y];
            for (int x = 0; x < size; x++) {
                int c0 = ax.i0[x];
                int c1 = ax.i1[x];
                float wx = ax.w1[x];
                int p00 = (r0 + c0) * channels;
                int p01 = (r0 + c1) * channels;
                int p10 = (r1 + c0) * channels;
                int p11 = (r1 + c1) * channels;
                for (int c = 0; c < channels; c++) {
                    float top = (src[p00 + c] & 255) * (1 - wx) + (src[p01 + c] & 255) * wx;
                    float bottom = (src[p10 + c] & 255) * (1 - wx) + (src[p11 + c] & 255) * wx;
                    out[c * plane + y * size + x] = (byte) (int) (top * (1 - wy) + bottom * wy + 0.5f);
                }
            }
        }
        return out;
    }

    /**
     * Resizes a grey mask bilinearly to size x size and binarises it: 1 where the rounded value is &gt;= threshold
     * (128 ⇔ value/255 &gt; 0.5, the official metric's rule), else 0.
     */
    public static byte[] maskToBinary(byte[] gray, int width, int height, int size, int threshold) {
        byte[] resized = toPlanar(gray, width, height, 1, size);
        for (int i = 0; i < resized.length; i++) {
            resized[i] = (byte) ((resized[i] & 255) >= threshold ? 1 : 0);
        }
        return resized;
    }

    /**
     * Nearest-neighbour resize of a class-id map to size x size (labels must not be blended): each output pixel takes
     * the source pixel under its centre, src = floor((dst + 0.5)·scale), clamped.
     */
    public static byte[] labelsNearest(byte[] labels, int width, int height, int size) {
        return nearest(labels, width, height, size, size);
    }

    /** Nearest-neighbour resize of a byte map from sw x sh to dw x dh, pixel centres aligned. */
    public static byte[] nearest(byte[] src, int sw, int sh, int dw, int dh) {
        byte[] out = new byte[dw * dh];
        for (int y = 0; y < dh; y++) {
            int sy = Math.min(sh - 1, (int) Math.floor((y + 0.5) * sh / dh));
            for (int x = 0; x < dw; x++) {
                int sx = Math.min(sw - 1, (int) Math.floor((x + 0.5) * sw / dw));
                out[y * dw + x] = src[sy * sw + sx];
            }
        }
        return out;
    }
}
