package org.condseg.eval;

/** Builds small masks from text rows for hand-computed tests: '#' is foreground, anything else background. */
final class TestMasks {
    private TestMasks() {
    }

    static BinaryMask parse(String... rows) {
        int h = rows.length;
        int w = rows[0].length();
        boolean[] px = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            if (rows[y].length() != w) {
                throw new IllegalArgumentException("ragged rows");
            }
            for (int x = 0; x < w; x++) {
                px[y * w + x] = rows[y].charAt(x) == '#';
            }
        }
        return new BinaryMask(w, h, px);
    }

    /** Integer label map from digit rows. */
    static int[] labels(String... rows) {
        int w = rows[0].length();
        int[] out = new int[w * rows.length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = rows[y].charAt(x) - '0';
            }
        }
        return out;
    }
}
