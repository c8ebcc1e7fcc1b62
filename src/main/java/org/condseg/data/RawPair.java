package org.condseg.data;

/**
 * A decoded pair at its original resolution.
 *
 * @param id     sample id
 * @param width  width in pixels (image and mask)
 * @param height height in pixels
 * @param rgb    interleaved R,G,B bytes, row-major, length 3·width·height
 * @param mask   grey mask bytes 0..255 (label masks already mapped to 0/255), or class ids for a multi-class
 *               reader ({@link DatasetReader#numClasses()} &gt; 1), length width·height
 */
public record RawPair(String id, int width, int height, byte[] rgb, byte[] mask) {
    /** The same pair under another id. */
    public RawPair withId(String newId) {
        return new RawPair(newId, width, height, rgb, mask);
    }
}
