package org.condseg.nn;

/**
 * One BatchNorm layer's statistics, by SameDiff variable name. {@code runningMean}/{@code runningVar} are
 * non-trainable constants (the PyTorch buffers, e.g. {@code layer0.1.running_mean}). In TRAIN graphs
 * {@code batchMean} and {@code batchVar} name output variables holding the batch mean and the UNBIASED batch
 * variance of the current forward pass; the trainer applies PyTorch's update
 * {@code running = (1 - MOMENTUM) * running + MOMENTUM * batch}. In EVAL graphs both are null.
 */
public record BnStat(String module, String runningMean, String runningVar, String batchMean, String batchVar) {
    /** PyTorch's default BatchNorm momentum. */
    public static final double MOMENTUM = 0.1;
    /** PyTorch's default BatchNorm epsilon. */
    public static final double EPS = 1e-5;
}
