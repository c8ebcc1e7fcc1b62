package org.condseg.nn;

/**
 * How a graph is built. TRAIN: BatchNorm normalises with batch statistics and exposes them as outputs (see
 * {@link BnStat}); EVAL: BatchNorm uses its running statistics. The two modes are separate graphs that share
 * variable names, so weights move between them with {@code state()} / {@code load()}.
 */
public enum GraphMode {
    TRAIN,
    EVAL
}
