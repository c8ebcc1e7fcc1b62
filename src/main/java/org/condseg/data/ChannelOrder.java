package org.condseg.data;

/** Channel order of the network input. The official code feeds OpenCV's BGR; the paper does not say. */
public enum ChannelOrder {
    /** Red, green, blue (default). */
    rgb,
    /** Blue, green, red, as the official code (OpenCV {@code imread}). */
    bgr
}
