package org.condseg.data;

import java.nio.file.Path;

/**
 * One sample ready for the network, resized to size x size.
 *
 * @param id             sample id
 * @param image          CHW floats, 3·size·size, in [0,1] in the configured channel order (or normalised)
 * @param mask           size·size floats, binary {0,1}
 * @param size           side of the square sample
 * @param originalWidth  width of the source image
 * @param originalHeight height of the source image
 * @param imagePath      source image file (null for in-memory synthetic data)
 * @param maskPath       source mask file (null for in-memory synthetic data)
 */
public record Sample(String id, float[] image, float[] mask, int size, int originalWidth, int originalHeight,
        Path imagePath, Path maskPath) {
}
