package org.condseg.data;

/**
 * Geometric augmentation of a training sample (image and mask move together). Defaults are the official
 * stage-2 settings (condseg-reference.md §9.2); {@link #stage1()} gives the stage-1 ones (§9.1).
 * Order as official: rotate, horizontal flip, vertical flip, coarse dropout (image only).
 */
public class AugmentConfig {
    /** Rotation range in degrees: the angle is uniform in [-rotateLimit, +rotateLimit]. */
    public double rotateLimit = 35;
    /** Probability of a rotation (reflect-101 border, linear for the image, nearest for the mask). */
    public double rotateP = 0.3;
    /** Probability of a horizontal flip. */
    public double hflipP = 0.3;
    /** Probability of a vertical flip. */
    public double vflipP = 0.3;
    /** Probability of coarse dropout (all holes at once), applied to the image only, filled with 0. */
    public double dropoutP = 0.3;
    /** Number of dropout holes. */
    public int dropoutHoles = 10;
    /** Side of a dropout hole in pixels. */
    public int dropoutSize = 32;
    /** Whether dropoutSize is in original-image pixels (official: it augments before resizing) or in input pixels. */
    public boolean dropoutInOriginalPixels = true;
    /** Replicate the official bug (§10.3): background target = 1 - the mask BEFORE augmentation (default off: after). */
    public boolean backgroundFromUnaugmentedMask = false;

    /** The official stage-1 settings: rotation ±90° with p 0.5, flips p 0.5, dropout p 0.3. */
    public static AugmentConfig stage1() {
        AugmentConfig a = new AugmentConfig();
        a.rotateLimit = 90;
        a.rotateP = 0.5;
        a.hflipP = 0.5;
        a.vflipP = 0.5;
        return a;
    }

    /** The official stage-2 settings: rotation ±35° with p 0.3, flips p 0.3, dropout p 0.3 (= the defaults). */
    public static AugmentConfig stage2() {
        return new AugmentConfig();
    }

    /** No augmentation at all (every probability 0). */
    public static AugmentConfig none() {
        AugmentConfig a = new AugmentConfig();
        a.rotateP = 0;
        a.hflipP = 0;
        a.vflipP = 0;
        a.dropoutP = 0;
        return a;
    }
}
