package org.condseg.data;

import java.util.SplittableRandom;

/**
 * Deterministic CT-like volumes with organ labels, for {@code data.synthetic: true} on Synapse: a body ellipse
 * (soft tissue) on dark air, and the eight organs as ellipsoids with their class ids 1..8 (aorta a thin tube
 * through every slice, the others ellipsoids whose axial extent covers only part of the volume, so some slices miss
 * some organs), each with its own mean intensity, then Gaussian noise; intensities clipped to [0,1] as the
 * preprocessed Synapse data. Later organs are drawn on top. Each volume is a pure function of its seed.
 */
public final class SyntheticVolumes {
    /** Per organ 1..8: mean intensity, centre x, centre y (fractions of the side), radius (fraction). */
    private static final double[][] ORGANS = {
        {0.85, 0.52, 0.55, 0.04},  // aorta
        {0.25, 0.34, 0.52, 0.06},  // gallbladder
        {0.70, 0.70, 0.62, 0.08},  // kidney (L), on the image's right as in radiological view
        {0.70, 0.30, 0.62, 0.08},  // kidney (R)
        {0.60, 0.30, 0.40, 0.16},  // liver
        {0.50, 0.52, 0.45, 0.07},  // pancreas
        {0.55, 0.74, 0.40, 0.09},  // spleen
        {0.38, 0.62, 0.32, 0.11},  // stomach
    };

    private SyntheticVolumes() {
    }

    /** A volume of depth x height x width from a seed. */
    public static Volume generate(String id, long seed, int depth, int height, int width, double noise) {
        SplittableRandom rng = new SplittableRandom(seed);
        int plane = height * width;
        float[] image = new float[depth * plane];
        int[] labels = new int[depth * plane];
        double bodyRx = uniform(rng, 0.40, 0.46) * width;
        double bodyRy = uniform(rng, 0.32, 0.40) * height;
        double[][] organ = new double[ORGANS.length][];
        for (int k = 0; k < ORGANS.length; k++) {
            double[] o = ORGANS[k];
            double r = o[3] * Math.min(width, height) * uniform(rng, 0.8, 1.25);
            double cz = k == 0 ? depth / 2.0 : uniform(rng, 0.2, 0.8) * depth;
            double rz = k == 0 ? depth : uniform(rng, 0.3, 0.6) * depth;
            organ[k] = new double[] {o[0] + uniform(rng, -0.05, 0.05), (o[1] + uniform(rng, -0.04, 0.04)) * width,
                    (o[2] + uniform(rng, -0.04, 0.04)) * height, r, r * uniform(rng, 0.7, 1.0), cz, rz};
        }
        for (int z = 0; z < depth; z++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = z * plane + y * width + x;
                    double bx = (x + 0.5 - width / 2.0) / bodyRx;
                    double by = (y + 0.5 - height / 2.0) / bodyRy;
                    double v = bx * bx + by * by <= 1 ? 0.45 : 0.02;
                    int label = 0;
                    for (int k = 0; k < organ.length; k++) {
                        double[] o = organ[k];
                        double dx = (x + 0.5 - o[1]) / o[3];
                        double dy = (y + 0.5 - o[2]) / o[4];
                        double dz = (z + 0.5 - o[5]) / o[6];
                        if (dx * dx + dy * dy + dz * dz <= 1) {
                            v = o[0];
                            label = k + 1;
                        }
                    }
                    image[i] = (float) Math.max(0, Math.min(1, v + noise * rng.nextGaussian()));
                    labels[i] = label;
                }
            }
        }
        return new Volume(id, depth, height, width, image, labels);
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
