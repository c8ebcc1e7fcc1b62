package org.condseg.data;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training or evaluation batch.
 *
 * @param image      [B,3,H,W] float images
 * @param mask       [B,1,H,W] binary foreground target Y, or class ids for a multi-class dataset
 * @param background [B,1,H,W] background target Y_bg = 1 - Y, i.e. 1[label = 0] (computed after augmentation)
 * @param ids        sample ids, in batch order
 * @param seed       a seed derived from (loader seed, epoch, batch index) for the trainer's own randomness,
 *                   e.g. the strong augmentation, so that a rerun with the same seed repeats it
 */
public record Batch(INDArray image, INDArray mask, INDArray background, List<String> ids, long seed) {
    /** Number of samples in the batch (the last batch of an epoch may be smaller). */
    public int size() {
        return ids.size();
    }
}
