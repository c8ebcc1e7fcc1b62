package org.condseg.data;

/**
 * The strong augmentation Aug(.) of Consistency Reinforcement (stage 1), applied to a whole batch after the
 * geometric augmentation. Defaults are the official ones (condseg-reference.md §9.1): ColorJitter(0.3, 0.3,
 * 0.3, 0.1) in random order, RandomGrayscale(0.5), GaussianBlur(kernel (1,7), sigma 0.1..3.0).
 */
public class StrongAugConfig {
    /** Brightness jitter: factor uniform in [1-b, 1+b]. */
    public double brightness = 0.3;
    /** Contrast jitter: factor uniform in [1-c, 1+c], blending with the image's mean grey. */
    public double contrast = 0.3;
    /** Saturation jitter: factor uniform in [1-s, 1+s], blending with the pixel's grey. */
    public double saturation = 0.3;
    /** Hue jitter: shift uniform in [-h, h] (fraction of the hue circle). */
    public double hue = 0.1;
    /** Probability of converting to greyscale (weights 0.2989/0.587/0.114 on channels 0/1/2). */
    public double grayscaleP = 0.5;
    /** Gaussian blur kernel size (odd; 1 disables the blur). */
    public int blurKernel = 7;
    /** Smallest blur sigma. */
    public double blurSigmaMin = 0.1;
    /** Largest blur sigma. */
    public double blurSigmaMax = 3.0;
    /** One random draw for the whole batch (official) instead of one per image. */
    public boolean perBatch = true;
    /** Blur along the vertical axis only, as the official kernel (1,7) does; false = a square blurKernel² blur. */
    public boolean blurVerticalOnly = true;
}
