package org.condseg.data;

import java.util.List;
import org.condseg.util.UserError;

/**
 * The last step from a [0,1] RGB image to the network input: channel order (rgb, or bgr as official) and the optional
 * mean/std normalisation (off by default, as official). The mean/std lists are given in R,G,B order.
 */
public final class ImageNorm {
    private final boolean bgr;
    private final float[] mean;
    private final float[] std;

    public ImageNorm(ChannelOrder order, boolean normalize, List<Double> mean, List<Double> std) {
        this.bgr = order == ChannelOrder.bgr;
        if (normalize) {
            if (mean == null || std == null || mean.size() != 3 || std.size() != 3) {
                throw new UserError("data.mean and data.std need exactly 3 values each (R,G,B) when data.normalize is on");
            }
            this.mean = new float[3];
            this.std = new float[3];
            for (int c = 0; c < 3; c++) {
                int src = bgr ? 2 - c : c;
                this.mean[c] = mean.get(src).floatValue();
                this.std[c] = std.get(src).floatValue();
                if (!(this.std[c] > 0)) {
                    throw new UserError("data.std values must be > 0, got " + std);
                }
            }
        } else {
            this.mean = null;
            this.std = null;
        }
    }

    /** From the data config. */
    public static ImageNorm of(DataConfig cfg) {
        return new ImageNorm(cfg.channelOrder, cfg.normalize, cfg.mean, cfg.std);
    }

    /** Identity (rgb, no normalisation). */
    public static ImageNorm identity() {
        return new ImageNorm(ChannelOrder.rgb, false, null, null);
    }

    /** Whether mean/std normalisation is on. */
    public boolean normalizes() {
        return mean != null;
    }

    /** Reorders (for bgr) and normalises one CHW image in place; {@code plane} = H·W. */
    public void finish(float[] chw, int plane) {
        if (bgr) {
            for (int i = 0; i < plane; i++) {
                float t = chw[i];
                chw[i] = chw[2 * plane + i];
                chw[2 * plane + i] = t;
            }
        }
        if (mean != null) {
            normalize(chw, 0, 1, plane);
        }
    }

    /** (x − mean)/std on {@code images} CHW images starting at {@code offset} (in the output channel order). */
    public void normalize(float[] data, int offset, int images, int plane) {
        if (mean == null) {
            return;
        }
        for (int b = 0; b < images; b++) {
            for (int c = 0; c < 3; c++) {
                int base = offset + (b * 3 + c) * plane;
                float m = mean[c];
                float inv = 1 / std[c];
                for (int i = 0; i < plane; i++) {
                    data[base + i] = (data[base + i] - m) * inv;
                }
            }
        }
    }

    /** The inverse of {@link #normalize}: x·std + mean. */
    public void denormalize(float[] data, int offset, int images, int plane) {
        if (mean == null) {
            return;
        }
        for (int b = 0; b < images; b++) {
            for (int c = 0; c < 3; c++) {
                int base = offset + (b * 3 + c) * plane;
                for (int i = 0; i < plane; i++) {
                    data[base + i] = data[base + i] * std[c] + mean[c];
                }
            }
        }
    }
}
