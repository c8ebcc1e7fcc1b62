package org.condseg.data;

import java.nio.file.Path;

/**
 * One listed image/mask pair of a dataset split, before decoding.
 *
 * @param id    sample id (the file stem for file datasets)
 * @param image image file, or null for in-memory data
 * @param mask  mask file; null when a file dataset found no mask for the image (an error at check/load time)
 */
public record PairRef(String id, Path image, Path mask) {
}
