package org.condseg.data;

/** How a mask file encodes the foreground. */
public enum MaskEncoding {
    /** A grey (or colour, converted to grey) mask thresholded at data.maskThreshold after resizing. */
    GRAY,
    /** An instance/class label map (e.g. GlaS {@code *_anno.bmp}): foreground = label &gt; 0. */
    LABELS
}
