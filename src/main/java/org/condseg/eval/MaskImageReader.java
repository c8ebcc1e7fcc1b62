package org.condseg.eval;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import org.condseg.util.UserError;

/**
 * Reads a mask image (PNG, JPEG, BMP, TIFF, GIF through ImageIO and the TwelveMonkeys plug-ins) and binarises it.
 *
 * <p>Grey value of a pixel on the 0..1 scale: a single-band grey image gives {@code sample / (2^bits − 1)} (so 8-
 * and 16-bit masks both work); anything else (RGB, RGBA, palette) gives the 8-bit luma
 * {@code 0.299 R + 0.587 G + 0.114 B}, as OpenCV's grey conversion, divided by 255; alpha is ignored. Foreground:
 * grey &gt; threshold (strict).
 */
public final class MaskImageReader {
    /** File extensions (lower case) read as masks. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "gif");

    private MaskImageReader() {
    }

    /** Whether {@code file} has a mask image extension. */
    public static boolean isMaskFile(Path file) {
        return EXTENSIONS.contains(extension(file));
    }

    /** File name without its last extension. */
    public static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Reads and binarises {@code file}; an unreadable or undecodable file is a {@link UserError} naming it. */
    public static BinaryMask read(Path file, double threshold01) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (Exception e) {
            // corrupt data surfaces as IOException or as runtime errors thrown from inside the decoders
            throw new UserError("cannot decode mask image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new UserError("cannot decode mask image " + file + ": not a readable PNG/JPEG/BMP/TIFF/GIF image");
        }
        return binarise(img, threshold01);
    }

    /** Binarises a decoded image (see the class comment for the grey value). */
    public static BinaryMask binarise(BufferedImage img, double threshold01) {
        int w = img.getWidth();
        int h = img.getHeight();
        boolean[] px = new boolean[w * h];
        Raster raster = img.getRaster();
        if (raster.getNumBands() == 1 && !(img.getColorModel() instanceof IndexColorModel)) {
            double max = (1L << raster.getSampleModel().getSampleSize(0)) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = row[x] / max > threshold01;
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int rgb = row[x];
                    px[y * w + x] = luma((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF) / 255.0 > threshold01;
                }
            }
        }
        return new BinaryMask(w, h, px);
    }

    /** OpenCV's RGB→grey (fixed point, 14 fractional bits, rounded): 0.299 R + 0.587 G + 0.114 B. */
    static int luma(int r, int g, int b) {
        return (r * 4899 + g * 9617 + b * 1868 + (1 << 13)) >> 14;
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }
}
