package org.condseg.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;

/**
 * Image file decoding and encoding through ImageIO (the TwelveMonkeys plug-ins on the classpath add robust
 * JPEG, BMP and TIFF). Every failure is a {@link UserError} naming the file.
 */
public final class ImageFiles {
    static {
        ImageIO.setUseCache(false);
    }

    private ImageFiles() {
    }

    /** A decoded image: interleaved bytes with {@code channels} per pixel. */
    public record Decoded(int width, int height, int channels, byte[] data) {
    }

    /** Reads an image file as interleaved R,G,B bytes. */
    public static Decoded readRgb(Path file) {
        BufferedImage img = decode(file);
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        if (isPlain(img, BufferedImage.TYPE_3BYTE_BGR)) {
            byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < w * h; i++) {
                out[3 * i] = bgr[3 * i + 2];
                out[3 * i + 1] = bgr[3 * i + 1];
                out[3 * i + 2] = bgr[3 * i];
            }
        } else if (isPlain(img, BufferedImage.TYPE_BYTE_GRAY)) {
            byte[] g = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < w * h; i++) {
                out[3 * i] = g[i];
                out[3 * i + 1] = g[i];
                out[3 * i + 2] = g[i];
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < w * h; i++) {
                out[3 * i] = (byte) (argb[i] >> 16);
                out[3 * i + 1] = (byte) (argb[i] >> 8);
                out[3 * i + 2] = (byte) argb[i];
            }
        }
        return new Decoded(w, h, 3, out);
    }

    /**
     * Reads a mask file as grey bytes 0..255. GRAY: a grey image is taken as stored, a colour one is converted
     * with OpenCV's weights 0.299/0.587/0.114. LABELS: 255 where the stored label (palette index or first band;
     * any channel for colour files) is &gt; 0, else 0.
     */
    public static Decoded readMask(Path file, MaskEncoding encoding) {
        BufferedImage img = decode(file);
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h];
        Raster r = img.getRaster();
        boolean singleBand = r.getNumBands() == 1;
        if (encoding == MaskEncoding.LABELS && (singleBand || img.getColorModel() instanceof IndexColorModel)) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) (row[x] > 0 ? 255 : 0);
                }
            }
        } else if (encoding == MaskEncoding.GRAY && isPlain(img, BufferedImage.TYPE_BYTE_GRAY)) {
            System.arraycopy(((DataBufferByte) r.getDataBuffer()).getData(), 0, out, 0, w * h);
        } else if (isPlain(img, BufferedImage.TYPE_3BYTE_BGR)) {
            byte[] bgr = ((DataBufferByte) r.getDataBuffer()).getData();
            for (int i = 0; i < w * h; i++) {
                out[i] = luminanceOrLabel(bgr[3 * i + 2] & 255, bgr[3 * i + 1] & 255, bgr[3 * i] & 255, encoding);
            }
        } else if (encoding == MaskEncoding.GRAY && img.getType() == BufferedImage.TYPE_USHORT_GRAY) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) (row[x] >> 8);
                }
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < w * h; i++) {
                out[i] = luminanceOrLabel((argb[i] >> 16) & 255, (argb[i] >> 8) & 255, argb[i] & 255, encoding);
            }
        }
        return new Decoded(w, h, 1, out);
    }

    /** LABELS: 255 if any channel is non-zero; GRAY: OpenCV's grey 0.299·R + 0.587·G + 0.114·B, rounded. */
    private static byte luminanceOrLabel(int red, int green, int blue, MaskEncoding encoding) {
        return encoding == MaskEncoding.LABELS
                ? (byte) ((red | green | blue) != 0 ? 255 : 0)
                : (byte) Math.round(0.299f * red + 0.587f * green + 0.114f * blue);
    }

    /**
     * Decodes an image/mask pair; a missing mask, a size mismatch or an undecodable file is a UserError naming the
     * file. {@code maskHint} says where the mask was expected (used when {@code ref.mask()} is null).
     */
    public static RawPair readPair(PairRef ref, MaskEncoding encoding, String maskHint) {
        if (ref.mask() == null) {
            throw new UserError("image " + ref.image() + " has no mask (expected " + maskHint + ")");
        }
        Decoded img = readRgb(ref.image());
        Decoded mask = readMask(ref.mask(), encoding);
        if (img.width() != mask.width() || img.height() != mask.height()) {
            throw new UserError("mask " + ref.mask() + " is " + mask.width() + "x" + mask.height() + " but image "
                    + ref.image() + " is " + img.width() + "x" + img.height());
        }
        return new RawPair(ref.id(), img.width(), img.height(), img.data(), mask.data());
    }

    /** Writes interleaved R,G,B bytes as an image file; the format comes from the extension (jpg, png, bmp, tif). */
    public static void writeRgb(Path file, int width, int height, byte[] rgb) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < width * height; i++) {
            bgr[3 * i] = rgb[3 * i + 2];
            bgr[3 * i + 1] = rgb[3 * i + 1];
            bgr[3 * i + 2] = rgb[3 * i];
        }
        write(file, img);
    }

    /** Writes grey bytes as a single-channel image file (8-bit grey; an 8-bit grey palette for BMP). */
    public static void writeGray(Path file, int width, int height, byte[] gray) {
        BufferedImage img;
        if (extension(file).equals("bmp")) {
            byte[] ramp = new byte[256];
            for (int i = 0; i < 256; i++) {
                ramp[i] = (byte) i;
            }
            img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED,
                    new IndexColorModel(8, 256, ramp, ramp, ramp));
        } else {
            img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        }
        System.arraycopy(gray, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, width * height);
        write(file, img);
    }

    /** Lower-case extension of a file name, without the dot ("" when none). */
    public static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** File name without its extension. */
    public static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }

    private static boolean isPlain(BufferedImage img, int type) {
        return img.getType() == type && img.getRaster().getDataBuffer() instanceof DataBufferByte
                && ((DataBufferByte) img.getRaster().getDataBuffer()).getData().length
                        == img.getWidth() * img.getHeight() * img.getRaster().getNumBands()
                && img.getRaster().getSampleModelTranslateX() == 0 && img.getRaster().getSampleModelTranslateY() == 0;
    }

    private static BufferedImage decode(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("missing file " + file);
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot decode " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new UserError("cannot decode " + file + ": not an image format ImageIO knows");
        }
        return img;
    }

    private static void write(Path file, BufferedImage img) {
        String ext = extension(file);
        String format = switch (ext) {
            case "jpg", "jpeg" -> "jpeg";
            case "tif", "tiff" -> "tiff";
            default -> ext;
        };
        AtomicFiles.write(file, out -> {
            if (format.equals("jpeg")) {
                writeJpeg(img, out);
            } else if (!ImageIO.write(img, format, out)) {
                throw new IOException("no ImageIO writer for " + format);
            }
        });
    }

    /** JPEG at quality 0.95, so that written masks keep little ringing. */
    private static void writeJpeg(BufferedImage img, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.95f);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
    }
}
