package org.condseg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StrongAugmentTest {
    private static final int H = 16;
    private static final int W = 12;

    private static float[] randomImages(int b, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[b * 3 * H * W];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble();
        }
        return d;
    }

    /** Only the blur (all jitter off, no grayscale). */
    private static StrongAugConfig blurOnly(boolean verticalOnly) {
        StrongAugConfig c = new StrongAugConfig();
        c.brightness = 0;
        c.contrast = 0;
        c.saturation = 0;
        c.hue = 0;
        c.grayscaleP = 0;
        c.blurSigmaMin = 2;
        c.blurVerticalOnly = verticalOnly;
        return c;
    }

    @Test
    void staysInUnitRangeAndLeavesTheBatchMaskUntouched() {
        StrongAugment aug = new StrongAugment(new StrongAugConfig(), ImageNorm.identity());
        INDArray images = Nd4j.create(randomImages(4, 1), new long[] {4, 3, H, W}, 'c');
        INDArray before = images.dup();
        INDArray mask = Nd4j.rand(4, 1, H, W);
        Batch batch = new Batch(images, mask, mask.rsub(1), List.of("a", "b", "c", "d"), 9);
        INDArray maskBefore = mask.dup();
        for (long seed = 0; seed < 20; seed++) {
            INDArray out = aug.apply(batch.image(), seed);
            assertArrayEquals(new long[] {4, 3, H, W}, out.shape());
            assertTrue(out.minNumber().doubleValue() >= 0 && out.maxNumber().doubleValue() <= 1, "seed " + seed);
            assertFalse(out.equals(before), "seed " + seed);
        }
        assertEquals(before, batch.image(), "the input images are not modified");
        assertEquals(maskBefore, batch.mask());
    }

    @Test
    void perBatchSharesOneDrawPerImageDoesNot() {
        float[] one = randomImages(1, 2);
        float[] two = new float[2 * one.length];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        StrongAugConfig cfg = new StrongAugConfig();
        float[] shared = two.clone();
        new StrongAugment(cfg, ImageNorm.identity()).apply(shared, 2, H, W, new SplittableRandom(5));
        assertArrayEquals(Arrays.copyOfRange(shared, 0, one.length), Arrays.copyOfRange(shared, one.length, two.length));
        cfg.perBatch = false;
        float[] own = two.clone();
        new StrongAugment(cfg, ImageNorm.identity()).apply(own, 2, H, W, new SplittableRandom(5));
        assertFalse(Arrays.equals(Arrays.copyOfRange(own, 0, one.length), Arrays.copyOfRange(own, one.length, two.length)));
    }

    @Test
    void blurIsVerticalOnlyAsOfficial() {
        float[] vertical = new float[3 * H * W]; // stripes that vary along x only
        float[] horizontal = new float[3 * H * W]; // stripes that vary along y only
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    vertical[c * H * W + y * W + x] = x % 2;
                    horizontal[c * H * W + y * W + x] = y % 2;
                }
            }
        }
        StrongAugment v = new StrongAugment(blurOnly(true), ImageNorm.identity());
        float[] a = vertical.clone();
        v.apply(a, 1, H, W, new SplittableRandom(1));
        assertArrayEquals(vertical, a, 1e-6f);
        float[] b = horizontal.clone();
        v.apply(b, 1, H, W, new SplittableRandom(1));
        assertEquals(0.5f, b[5 * W + 3], 0.1f, "alternating rows average out");
        float[] c = vertical.clone();
        new StrongAugment(blurOnly(false), ImageNorm.identity()).apply(c, 1, H, W, new SplittableRandom(1));
        assertEquals(0.5f, c[5 * W + 3], 0.1f, "square blur reaches the columns too");
    }

    @Test
    void gaussianKernelMatchesHandValues() {
        // exp(-x²/2) for x = 0..3: 1, 0.606531, 0.135335, 0.011109; sum over -3..3 = 2.505949.
        float[] k = StrongAugment.kernel(7, 1.0);
        assertEquals(1 / 2.505949, k[3], 1e-6);
        assertEquals(0.606531 / 2.505949, k[2], 1e-6);
        assertEquals(0.011109 / 2.505949, k[0], 1e-6);
        assertEquals(k[1], k[5], 0);
    }

    @Test
    void hueShiftOfOneThirdTurnsRedIntoGreen() {
        float[] px = {1f, 0f, 0f}; // one pixel: R, G, B planes
        StrongAugment.hue(px, 0, 1, 1f / 3);
        assertArrayEquals(new float[] {0f, 1f, 0f}, px, 1e-5f);
        float[] orange = {1f, 0.5f, 0f};
        StrongAugment.hue(orange, 0, 1, -1f / 12); // 30° back: pure red
        assertArrayEquals(new float[] {1f, 0f, 0f}, orange, 1e-5f);
    }

    @Test
    void normalisedBatchIsAugmentedInUnitSpace() {
        StrongAugConfig noop = blurOnly(true);
        noop.blurKernel = 1;
        ImageNorm norm = new ImageNorm(ChannelOrder.rgb, true, List.of(0.5, 0.4, 0.3), List.of(0.2, 0.25, 0.3));
        float[] x = randomImages(2, 3);
        norm.normalize(x, 0, 2, H * W);
        float[] y = x.clone();
        new StrongAugment(noop, norm).apply(y, 2, H, W, new SplittableRandom(0));
        assertArrayEquals(x, y, 1e-5f);

        StrongAugConfig gray = blurOnly(true);
        gray.blurKernel = 1;
        gray.grayscaleP = 1;
        float[] z = x.clone();
        new StrongAugment(gray, norm).apply(z, 2, H, W, new SplittableRandom(0));
        norm.denormalize(z, 0, 2, H * W);
        assertEquals(z[0], z[H * W], 1e-5f, "grey in [0,1] space: equal channels after de-normalising");
    }
}
