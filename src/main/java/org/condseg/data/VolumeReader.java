package org.condseg.data;

import java.util.List;

/** A dataset whose test split is scored per 3-D volume (slice-by-slice prediction, stacked), as Synapse is. */
public interface VolumeReader {
    /** The test volumes' case names, in list order. */
    List<String> testVolumes();

    /** Reads one test volume; a missing or corrupt file is a UserError naming it. */
    Volume volume(String id);

    /** Display names of the foreground classes 1..C-1, in class-id order. */
    List<String> classNames();
}
