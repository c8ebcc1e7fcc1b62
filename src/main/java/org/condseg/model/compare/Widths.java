package org.condseg.model.compare;

/**
 * Width rule of the comparison networks: their decoder and head widths are the paper's channel counts at the
 * standard {@code model.width} = 128; below 128 (quick profiles use 16) each such width c becomes
 * max(1, c·width/128), e.g. PraNet's 32-channel RFB outputs become 4 at width 16. Widths tied to the encoder
 * (residual additions with encoder features, blocks applied to an encoder map) never scale.
 */
final class Widths {
    private Widths() {
    }

    /** The decoder width c of the paper at {@code modelWidth}. */
    static int scale(int c, int modelWidth) {
        if (modelWidth >= 128) {
            return c;
        }
        return Math.max(1, c * modelWidth / 128);
    }
}
