package org.condseg.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Targets derived from a batch of class-id maps [B,1,H,W] (multi-class datasets). */
public final class LabelMaps {
    private LabelMaps() {
    }

    /** 1[label &gt; 0]: the binary "any organ" foreground, [B,1,H,W]. */
    public static INDArray foreground(INDArray ids) {
        float[] v = ids.dup('c').data().asFloat();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] > 0 ? 1f : 0f;
        }
        return Nd4j.create(v, ids.shape(), 'c');
    }

    /** One-hot [B,C,H,W] of class ids [B,1,H,W] in 0..C-1. */
    public static INDArray oneHot(INDArray ids, int classes) {
        long[] s = ids.shape();
        int b = (int) s[0];
        int plane = (int) (s[2] * s[3]);
        float[] v = ids.dup('c').data().asFloat();
        float[] out = new float[b * classes * plane];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < plane; i++) {
                int c = Math.round(v[n * plane + i]);
                if (c < 0 || c >= classes) {
                    throw new IllegalArgumentException("class id " + c + " outside 0.." + (classes - 1));
                }
                out[(n * classes + c) * plane + i] = 1f;
            }
        }
        return Nd4j.create(out, new long[] {b, classes, s[2], s[3]}, 'c');
    }

    /** Per-pixel argmax over the class axis of [B,C,H,W] scores; [B][H·W] class ids. */
    public static int[][] argmax(INDArray scores) {
        long[] s = scores.shape();
        int b = (int) s[0];
        int classes = (int) s[1];
        int plane = (int) (s[2] * s[3]);
        float[] v = scores.dup('c').data().asFloat();
        int[][] out = new int[b][plane];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < plane; i++) {
                int best = 0;
                float bv = v[n * classes * plane + i];
                for (int c = 1; c < classes; c++) {
                    float x = v[(n * classes + c) * plane + i];
                    if (x > bv) {
                        bv = x;
                        best = c;
                    }
                }
                out[n][i] = best;
            }
        }
        return out;
    }
}
