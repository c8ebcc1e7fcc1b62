package org.condseg.data;

/**
 * A test volume of a multi-class 3-D dataset (Synapse): D axial slices of H x W.
 *
 * @param id     case name, e.g. {@code case0001}
 * @param depth  D, number of slices
 * @param height H
 * @param width  W
 * @param image  intensities in [0,1], row-major [D,H,W]
 * @param labels class ids, row-major [D,H,W]
 */
public record Volume(String id, int depth, int height, int width, float[] image, int[] labels) {
    /** Slice d as a decoded pair: grey replicated to R,G,B bytes (round(255·v), clipped), class-id mask bytes. */
    public RawPair slice(int d) {
        int plane = height * width;
        byte[] rgb = new byte[3 * plane];
        byte[] mask = new byte[plane];
        int off = d * plane;
        for (int i = 0; i < plane; i++) {
            byte g = SynapseReader.toByte(image[off + i]);
            rgb[3 * i] = g;
            rgb[3 * i + 1] = g;
            rgb[3 * i + 2] = g;
            mask[i] = (byte) labels[off + i];
        }
        return new RawPair(SynapseReader.sliceId(id, d), width, height, rgb, mask);
    }
}
