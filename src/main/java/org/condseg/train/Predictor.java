package org.condseg.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.condseg.data.DataConfig;
import org.condseg.data.ImageFiles;
import org.condseg.data.ImageNorm;
import org.condseg.data.Resize;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.nn.GraphMode;
import org.condseg.util.Progress;
import org.condseg.util.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Segments a folder of images with a trained network: for each image, a binary mask PNG at the image's own size
 * ({@code <stem>.png}, 0/255) and an overlay PNG ({@code <stem>_overlay.png}: the image with the mask outline).
 * The probability map is computed at the network's input size and resized back bilinearly before thresholding.
 */
public final class Predictor {
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "gif");

    private final BuiltModel model;
    private final DataConfig data;
    private final double threshold;

    public Predictor(ModelConfig modelCfg, Checkpoint checkpoint, DataConfig data, double threshold) {
        if (modelCfg.numClasses > 1) {
            throw new UserError("predict writes binary masks; model.numClasses is " + modelCfg.numClasses
                    + " (multi-class models are scored by run/evaluate on their test volumes)");
        }
        this.model = ModelRegistry.build(modelCfg, GraphMode.EVAL, !modelCfg.skipAuxAtInference);
        this.model.load(checkpoint.weights, false);
        this.data = data;
        this.threshold = threshold;
    }

    /** Segments every image of {@code input} into {@code output}; returns the number of images. */
    public int run(Path input, Path output) {
        List<Path> images = list(input);
        try (Progress p = Progress.start("predict", images.size())) {
            for (Path img : images) {
                predictOne(img, output);
                p.step();
            }
        }
        return images.size();
    }

    private void predictOne(Path file, Path output) {
        ImageFiles.Decoded d = ImageFiles.readRgb(file);
        int s = data.size;
        byte[] planar = Resize.toPlanar(d.data(), d.width(), d.height(), 3, s);
        float[] chw = new float[planar.length];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (planar[i] & 255) / 255f;
        }
        ImageNorm.of(data).finish(chw, s * s);
        INDArray x = Nd4j.create(chw, new long[] {1, 3, s, s}, 'c');
        Map<String, INDArray> out = model.output(x, "mask");
        float[] prob = out.get("mask").dup().data().asFloat();
        StepMemory.close(out.values()); // native memory, freed now rather than when Java collects it
        float[] full = resize(prob, s, s, d.width(), d.height());
        byte[] mask = new byte[full.length];
        for (int i = 0; i < full.length; i++) {
            mask[i] = full[i] > threshold ? (byte) 255 : 0;
        }
        String stem = ImageFiles.stem(file);
        ImageFiles.writeGray(output.resolve(stem + ".png"), d.width(), d.height(), mask);
        ImageFiles.writeRgb(output.resolve(stem + "_overlay.png"), d.width(), d.height(),
                overlay(d.data(), mask, d.width(), d.height()));
    }

    /** Bilinear resize of a single-channel float map, pixel centres aligned (as the input resize). */
    static float[] resize(float[] src, int sw, int sh, int dw, int dh) {
        float[] out = new float[dw * dh];
        for (int y = 0; y < dh; y++) {
            double fy = Math.min(Math.max((y + 0.5) * sh / dh - 0.5, 0), sh - 1);
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, sh - 1);
            double wy = fy - y0;
            for (int x = 0; x < dw; x++) {
                double fx = Math.min(Math.max((x + 0.5) * sw / dw - 0.5, 0), sw - 1);
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, sw - 1);
                double wx = fx - x0;
                double top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
                double bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
                out[y * dw + x] = (float) (top * (1 - wy) + bottom * wy);
            }
        }
        return out;
    }

    /** The image with the mask's outline (foreground pixels with a background 4-neighbour) drawn in green. */
    static byte[] overlay(byte[] rgb, byte[] mask, int w, int h) {
        byte[] out = rgb.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (mask[i] == 0) {
                    continue;
                }
                boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1 || mask[i - 1] == 0 || mask[i + 1] == 0
                        || mask[i - w] == 0 || mask[i + w] == 0;
                if (edge) {
                    out[3 * i] = 0;
                    out[3 * i + 1] = (byte) 255;
                    out[3 * i + 2] = 0;
                }
            }
        }
        return out;
    }

    private static List<Path> list(Path input) {
        if (!Files.isDirectory(input)) {
            throw new UserError("input folder not found: " + input);
        }
        try (Stream<Path> s = Files.list(input)) {
            List<Path> images = s.filter(Files::isRegularFile)
                    .filter(p -> IMAGE_EXTENSIONS.contains(ImageFiles.extension(p).toLowerCase(Locale.ROOT)))
                    .sorted().toList();
            if (images.isEmpty()) {
                throw new UserError("no images (png/jpg/bmp/tif/gif) in " + input);
            }
            return images;
        } catch (IOException e) {
            throw new UserError("cannot list " + input + ": " + e.getMessage(), e);
        }
    }
}
