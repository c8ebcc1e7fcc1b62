package org.condseg.eval;

import java.util.Arrays;

/**
 * A binarised 2-D mask, row-major: pixel (y, x) is {@code pixels[y * width + x]}.
 *
 * <p>Binarisation is always strict ({@code value > threshold}), as the official code does with
 * {@code y_pred > 0.5}: a value exactly at the threshold is background.
 */
public record BinaryMask(int width, int height, boolean[] pixels) {
    public BinaryMask {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("mask size must be positive, got " + width + "x" + height);
        }
        if (pixels.length != (long) width * height) {
            throw new IllegalArgumentException("mask " + width + "x" + height + " needs " + (long) width * height
                    + " pixels, got " + pixels.length);
        }
    }

    /** An all-background mask. */
    public static BinaryMask empty(int width, int height) {
        return new BinaryMask(width, height, new boolean[width * height]);
    }

    /**
     * Binarise a float probability map: {@code p > threshold}, compared in float32 (the threshold is rounded to
     * float first) as PyTorch compares a float32 tensor with a Python scalar.
     */
    public static BinaryMask fromProbabilities(float[] values, int width, int height, double threshold) {
        float t = (float) threshold;
        boolean[] px = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            px[i] = values[i] > t;
        }
        return new BinaryMask(width, height, px);
    }

    /** Binarise a double probability map: {@code p > threshold}. */
    public static BinaryMask fromProbabilities(double[] values, int width, int height, double threshold) {
        boolean[] px = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            px[i] = values[i] > threshold;
        }
        return new BinaryMask(width, height, px);
    }

    /**
     * Binarise an 8-bit map (values 0..255) on the 0..1 scale: {@code value / 255 > threshold01}. With the default
     * 0.5, 128 is foreground and 127 background.
     */
    public static BinaryMask fromGrey8(int[] values, int width, int height, double threshold01) {
        boolean[] px = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("8-bit value out of range at index " + i + ": " + v);
            }
            px[i] = v / 255.0 > threshold01;
        }
        return new BinaryMask(width, height, px);
    }

    /** Pixel (x, y). */
    public boolean get(int x, int y) {
        return pixels[y * width + x];
    }

    /** Number of foreground pixels. */
    public int count() {
        int c = 0;
        for (boolean p : pixels) {
            if (p) {
                c++;
            }
        }
        return c;
    }

    public boolean isEmpty() {
        for (boolean p : pixels) {
            if (p) {
                return false;
            }
        }
        return true;
    }

    /** Throws IllegalArgumentException unless {@code other} has the same width and height. */
    public void requireSameSize(BinaryMask other) {
        if (width != other.width || height != other.height) {
            throw new IllegalArgumentException("mask sizes differ: " + width + "x" + height + " vs "
                    + other.width + "x" + other.height);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryMask m && m.width == width && m.height == height && Arrays.equals(m.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "BinaryMask[" + width + "x" + height + ", foreground=" + count() + "]";
    }
}
