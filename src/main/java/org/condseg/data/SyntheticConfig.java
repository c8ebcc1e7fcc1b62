package org.condseg.data;

/**
 * Knobs of the synthetic generator (key {@code data.generator}). Used for the in-memory {@code synthetic}
 * dataset and for {@code data.synthetic: true}, which writes the same images in a real dataset's folder layout.
 */
public class SyntheticConfig {
    /** Number of training samples. */
    public int train = 64;
    /** Number of validation samples. */
    public int val = 16;
    /** Number of test samples (datasets without a test split read val instead). */
    public int test = 16;
    /** Generated image width in pixels; 0 = data.size. */
    public int width = 0;
    /** Generated image height in pixels; 0 = data.size. */
    public int height = 0;
    /** Seed of the generator; every sample is a pure function of (seed, split, index). */
    public long seed = 1234;
    /** Largest number of small objects that co-occur with the main one. */
    public int maxSmallObjects = 3;
    /** Smallest radius of the main object, as a fraction of the shorter image side. */
    public double minRadius = 0.08;
    /** Largest radius of the main object, as a fraction of the shorter image side. */
    public double maxRadius = 0.32;
    /** Smallest colour difference between object and background (low contrast), in [0,1] intensity. */
    public double minContrast = 0.06;
    /** Largest colour difference between object and background, in [0,1] intensity. */
    public double maxContrast = 0.22;
    /** Standard deviation of the additive Gaussian pixel noise, in [0,1] intensity. */
    public double noise = 0.02;
    /** Strength of the uneven illumination (vignette plus gradient), 0 = flat. */
    public double illumination = 0.35;
    /** Largest number of [1,2,1] blur passes (each image draws 0..this many). */
    public int maxBlurPasses = 2;
    /** Slices per synthetic volume (3-D datasets: Synapse writes ceil(train/slices) training and ceil(test/slices) test cases). */
    public int slices = 8;
}
