package org.condseg.data;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;

/**
 * Writes synthetic data in a real dataset's own folder layout ({@code data.synthetic: true}), so that the real reader,
 * split logic and checks run without the real data. Split sizes come from data.generator.train/val/test:
 * <ul>
 * <li>kvasir-seg: images/ + masks/ JPEGs, train.txt (train) and val.txt (val); test is not written (reader: test = val).</li>
 * <li>kvasir-sessile: images/ + masks/ JPEGs, train+val+test samples, no lists (the reader's seeded 20/196 split).</li>
 * <li>folder: images/ + masks/ PNGs with train.txt, val.txt, test.txt.</li>
 * <li>glas: train_N (train), testA_N (val), testB_N (test) BMPs with *_anno.bmp instance-label masks and a Grade.csv
 * with CR line endings (reader: val = test = testA + testB).</li>
 * <li>isic2016: Training folders (train) and Test folders (val + test, pooled: the reader's val = test).</li>
 * <li>isic2017: Training, Validation, Test_v2 folders.</li>
 * <li>synapse: ceil(train/slices) training cases as train_npz/caseNNNN_sliceNNN.npz and ceil(test/slices) test
 * cases as test_vol_npz/caseNNNN.npz ({@link SyntheticVolumes}, generator.slices slices each), with TransUNet's
 * list files (train.txt of slice names, test_vol.txt of case names); val is not written (reader: the test slices).</li>
 * </ul>
 * A layout is written once per (dataset, generator settings, size) into {@code <cacheDir>/<dataset>-<key>} through a
 * temporary folder renamed at the end, so an interrupted or concurrent writer never leaves a half-written layout.
 */
public final class SyntheticLayouts {
    /** Datasets whose layout can be written. */
    public static final List<String> LAYOUTS = List.of("folder", "glas", "isic2016", "isic2017", "kvasir-seg",
            "kvasir-sessile", "synapse");

    private SyntheticLayouts() {
    }

    /** The folder of the synthetic layout for this config, written first if missing. */
    public static Path prepare(DataConfig cfg) {
        Path cache = cfg.cacheDir == null || cfg.cacheDir.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "condseg-j-synthetic")
                : Path.of(cfg.cacheDir);
        int w = cfg.generator.width > 0 ? cfg.generator.width : cfg.size;
        int h = cfg.generator.height > 0 ? cfg.generator.height : cfg.size;
        Path dir = cache.resolve(cfg.dataset + "-" + key(cfg.generator, w, h));
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path tmp;
        try {
            Files.createDirectories(cache);
            tmp = Files.createTempDirectory(cache, "." + cfg.dataset + "-");
        } catch (IOException e) {
            throw new UserError("cannot create the synthetic data folder under " + cache + ": " + e.getMessage(), e);
        }
        write(cfg.dataset, tmp, cfg.generator, w, h);
        try {
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            }
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            deleteTree(tmp); // another process finished the same layout first
        } catch (IOException e) {
            throw new UserError("cannot move " + tmp + " to " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** Writes the layout of {@code dataset} into {@code dir} with generator.train/val/test samples of w x h. */
    public static void write(String dataset, Path dir, SyntheticConfig g, int w, int h) {
        List<Runnable> jobs = new ArrayList<>();
        switch (dataset) {
            case "kvasir-seg" -> {
                jobs.addAll(pairs(dir, g, w, h, Split.train, g.train, "images/%s.jpg", "masks/%s.jpg", false));
                jobs.addAll(pairs(dir, g, w, h, Split.val, g.val, "images/%s.jpg", "masks/%s.jpg", false));
                AtomicFiles.writeString(dir.resolve("train.txt"), ids(Split.train, g.train));
                AtomicFiles.writeString(dir.resolve("val.txt"), ids(Split.val, g.val));
            }
            case "kvasir-sessile" -> {
                for (Split s : Split.values()) {
                    jobs.addAll(pairs(dir, g, w, h, s, count(g, s), "images/%s.jpg", "masks/%s.jpg", false));
                }
            }
            case "folder" -> {
                for (Split s : Split.values()) {
                    jobs.addAll(pairs(dir, g, w, h, s, count(g, s), "images/%s.png", "masks/%s.png", false));
                    AtomicFiles.writeString(dir.resolve(s + ".txt"), ids(s, count(g, s)));
                }
            }
            case "glas" -> {
                StringBuilder grade = new StringBuilder("name,patient ID,grade (GlaS),grade (Sirinukunwattana et al. 2015)\r");
                String[] prefixes = {"train", "testA", "testB"};
                for (Split s : Split.values()) {
                    String prefix = prefixes[s.ordinal()];
                    for (int i = 0; i < count(g, s); i++) {
                        String name = prefix + "_" + (i + 1);
                        jobs.add(job(dir, g, w, h, s, i, name + ".bmp", name + "_anno.bmp", true));
                        grade.append(name).append(',').append(i % 17 + 1).append(", ")
                                .append(i % 2 == 0 ? "benign" : "malignant").append(", synthetic\r");
                    }
                }
                AtomicFiles.writeString(dir.resolve("Grade.csv"), grade.toString());
            }
            case "isic2016", "isic2017" -> {
                int year = dataset.equals("isic2016") ? 2016 : 2017;
                String maskSuffix = year == 2016 ? "_Segmentation.png" : "_segmentation.png";
                int next = 0;
                for (Split s : Split.values()) {
                    String[] f = IsicReader.folders(year, s);
                    for (int i = 0; i < count(g, s); i++) {
                        String id = String.format("ISIC_%07d", next++);
                        jobs.add(job(dir, g, w, h, s, i, f[0] + "/" + id + ".jpg", f[1] + "/" + id + maskSuffix, false));
                    }
                }
            }
            case "synapse" -> jobs.addAll(synapse(dir, g, w, h));
            default -> throw new UserError("data.synthetic: no synthetic layout for dataset '" + dataset + "'; layouts: "
                    + String.join(", ", LAYOUTS));
        }
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        Workers.map(jobs.size(), threads, "write synthetic " + dataset, i -> {
            jobs.get(i).run();
            return Boolean.TRUE;
        });
    }

    private static int count(SyntheticConfig g, Split s) {
        return switch (s) {
            case train -> g.train;
            case val -> g.val;
            case test -> g.test;
        };
    }

    private static String id(Split s, int i) {
        return String.format("syn-%s-%04d", s, i);
    }

    private static String ids(Split s, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(id(s, i)).append('\n');
        }
        return b.toString();
    }

    private static List<Runnable> pairs(Path dir, SyntheticConfig g, int w, int h, Split s, int n, String imagePattern,
            String maskPattern, boolean labels) {
        List<Runnable> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = id(s, i);
            out.add(job(dir, g, w, h, s, i, String.format(imagePattern, id), String.format(maskPattern, id), labels));
        }
        return out;
    }

    /** Synthetic Synapse cases: training volumes cut into slice files, test volumes whole, and the two lists. */
    private static List<Runnable> synapse(Path dir, SyntheticConfig g, int w, int h) {
        int slices = Math.max(1, g.slices);
        int trainCases = Math.max(1, (g.train + slices - 1) / slices);
        int testCases = Math.max(1, (g.test + slices - 1) / slices);
        List<Runnable> out = new ArrayList<>();
        StringBuilder trainList = new StringBuilder();
        StringBuilder testList = new StringBuilder();
        for (int c = 0; c < trainCases + testCases; c++) {
            boolean train = c < trainCases;
            String id = String.format("case%04d", c + 1);
            if (train) {
                for (int d = 0; d < slices; d++) {
                    trainList.append(SynapseReader.sliceId(id, d)).append('\n');
                }
            } else {
                testList.append(id).append('\n');
            }
            long seed = Seeds.mix(g.seed, 7, c);
            out.add(() -> {
                Volume v = SyntheticVolumes.generate(id, seed, slices, h, w, g.noise);
                int plane = w * h;
                if (train) {
                    for (int d = 0; d < slices; d++) {
                        float[] img = java.util.Arrays.copyOfRange(v.image(), d * plane, (d + 1) * plane);
                        float[] lab = new float[plane];
                        for (int i = 0; i < plane; i++) {
                            lab[i] = v.labels()[d * plane + i];
                        }
                        writeNpz(dir.resolve(SynapseReader.TRAIN_DIR).resolve(SynapseReader.sliceId(id, d) + ".npz"),
                                new int[] {h, w}, img, lab);
                    }
                } else {
                    float[] lab = new float[v.labels().length];
                    for (int i = 0; i < lab.length; i++) {
                        lab[i] = v.labels()[i];
                    }
                    writeNpz(dir.resolve(SynapseReader.TEST_DIR).resolve(id + ".npz"), new int[] {slices, h, w},
                            v.image(), lab);
                }
            });
        }
        AtomicFiles.writeString(dir.resolve(SynapseReader.LISTS).resolve("train.txt"), trainList.toString());
        AtomicFiles.writeString(dir.resolve(SynapseReader.LISTS).resolve("test_vol.txt"), testList.toString());
        return out;
    }

    private static void writeNpz(Path file, int[] shape, float[] image, float[] label) {
        java.util.Map<String, NpyArray> arrays = new java.util.LinkedHashMap<>();
        arrays.put("image", new NpyArray(shape, "<f4", image));
        arrays.put("label", new NpyArray(shape, "|u1", label));
        Npz.write(file, arrays, List.of("label"));
    }

    /** Generates sample (s, i) with the in-memory reader's seed and writes image and mask (or label map). */
    private static Runnable job(Path dir, SyntheticConfig g, int w, int h, Split s, int i, String image, String mask,
            boolean labels) {
        return () -> {
            SyntheticGenerator.Generated gen = SyntheticGenerator.generate(image, SyntheticReader.seed(g.seed, s, i), w,
                    h, g);
            ImageFiles.writeRgb(dir.resolve(image), w, h, gen.pair().rgb());
            ImageFiles.writeGray(dir.resolve(mask), w, h, labels ? gen.labels() : gen.pair().mask());
        };
    }

    /** A short stable key of the generator settings and image size. */
    private static String key(SyntheticConfig g, int w, int h) {
        String s = String.join(",", "v1", String.valueOf(g.train), String.valueOf(g.val), String.valueOf(g.test),
                String.valueOf(w), String.valueOf(h), String.valueOf(g.seed), String.valueOf(g.maxSmallObjects),
                String.valueOf(g.minRadius), String.valueOf(g.maxRadius), String.valueOf(g.minContrast),
                String.valueOf(g.maxContrast), String.valueOf(g.noise), String.valueOf(g.illumination),
                String.valueOf(g.maxBlurPasses), String.valueOf(g.slices));
        return String.format("%08x", s.hashCode());
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
