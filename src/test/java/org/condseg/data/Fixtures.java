package org.condseg.data;

import java.nio.file.Path;

/** Small image/mask files written by the tests, in any layout. */
final class Fixtures {
    private Fixtures() {
    }

    /** An RGB image with a gradient and a bright square at (x0,y0) of side s, whose mask (0/255) is that square. */
    static void pair(Path image, Path mask, int w, int h, int x0, int y0, int s) {
        byte[] rgb = new byte[w * h * 3];
        byte[] m = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = x >= x0 && x < x0 + s && y >= y0 && y < y0 + s;
                int i = y * w + x;
                rgb[3 * i] = (byte) (in ? 240 : 40 + x);
                rgb[3 * i + 1] = (byte) (in ? 200 : 60 + y);
                rgb[3 * i + 2] = (byte) (in ? 40 : 90);
                m[i] = (byte) (in ? 255 : 0);
            }
        }
        ImageFiles.writeRgb(image, w, h, rgb);
        ImageFiles.writeGray(mask, w, h, m);
    }

    /** A 24x20 pair with a 10x8-ish square at (4,6). */
    static void pair(Path image, Path mask) {
        pair(image, mask, 24, 20, 4, 6, 9);
    }

    /** A grey label map with labels 1 (left square) and 2 (right square), as GlaS instance annotations. */
    static void labels(Path file, int w, int h) {
        byte[] m = new byte[w * h];
        for (int y = 4; y < 10; y++) {
            for (int x = 2; x < 8; x++) {
                m[y * w + x] = 1;
                m[y * w + x + 10] = 2;
            }
        }
        ImageFiles.writeGray(file, w, h, m);
    }
}
