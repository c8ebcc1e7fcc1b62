package org.condseg.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.condseg.util.UserError;

/**
 * The images/ + masks/ layout, pairs matched by file stem (png, jpg, jpeg, bmp, tif, tiff, gif). Splits come from
 * {@code train.txt}/{@code val.txt}/{@code test.txt} (one id per line) when present (test.txt missing: test = val),
 * otherwise from a seeded split of the sorted ids ({@link Splits#shuffled}: train first, then val, then test).
 * Serves three registry names:
 * <ul>
 * <li>{@code kvasir-seg}: lists required (the official 880/120 train.txt/val.txt); test = val.</li>
 * <li>{@code kvasir-sessile}: no published split, so a seeded 156/20/20 split (fractions 20/196 each of any n);
 * list files in the folder take precedence.</li>
 * <li>{@code folder}: any dataset; without lists the data.valFraction/testFraction seeded split.</li>
 * </ul>
 */
public final class FolderReader implements DatasetReader {
    /** Image file extensions the folder readers accept. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "gif");

    private final String name;
    private final Path root;
    private final boolean requireLists;
    private final double valFraction;
    private final double testFraction;
    private final long seed;
    private Map<String, Path> images;
    private Map<String, Path> masks;

    public FolderReader(String name, Path root, boolean requireLists, double valFraction, double testFraction,
            long seed) {
        this.name = name;
        this.root = root;
        this.requireLists = requireLists;
        this.valFraction = valFraction;
        this.testFraction = testFraction;
        this.seed = seed;
    }

    /** Kvasir-SEG with its official lists. */
    public static FolderReader kvasirSeg(Path root) {
        return new FolderReader("kvasir-seg", root, true, 0, 0, 0);
    }

    /** Kvasir-Sessile with the seeded 156/20/20 split. */
    public static FolderReader kvasirSessile(Path root, long seed) {
        return new FolderReader("kvasir-sessile", root, false, 20.0 / 196, 20.0 / 196, seed);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public String expectedLayout() {
        return requireLists
                ? "images/<id>.jpg, masks/<id>.jpg, train.txt and val.txt (one id per line)"
                : "images/<id>.<png|jpg|bmp|tif|gif>, masks/<id>.<ext> (same stem), optional train.txt/val.txt/test.txt";
    }

    @Override
    public synchronized List<PairRef> list(Split split) {
        index();
        Path trainList = root.resolve("train.txt");
        Path valList = root.resolve("val.txt");
        List<String> ids;
        if (Files.isRegularFile(trainList) || requireLists) {
            Path file = switch (split) {
                case train -> trainList;
                case val -> valList;
                case test -> Files.isRegularFile(root.resolve("test.txt")) ? root.resolve("test.txt") : valList;
            };
            if (!Files.isRegularFile(file)) {
                throw new UserError("missing split list " + file + "; expected layout for " + name + ": "
                        + expectedLayout());
            }
            ids = Splits.readList(file);
            for (String id : ids) {
                if (!images.containsKey(id)) {
                    throw new UserError(file + " lists '" + id + "' but there is no image " + root.resolve("images")
                            + "/" + id + ".*");
                }
            }
        } else {
            List<String> all = Splits.shuffled(new ArrayList<>(images.keySet()), seed);
            int[] n = Splits.sizes(all.size(), valFraction, testFraction);
            Split s = split == Split.test && n[2] == 0 ? Split.val : split;
            int from = switch (s) {
                case train -> 0;
                case val -> n[0];
                case test -> n[0] + n[1];
            };
            ids = new ArrayList<>(all.subList(from, from + n[s.ordinal()]));
            ids.sort(null);
        }
        List<PairRef> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(new PairRef(id, images.get(id), masks.get(id)));
        }
        return out;
    }

    @Override
    public RawPair read(PairRef ref) {
        return ImageFiles.readPair(ref, MaskEncoding.GRAY, root.resolve("masks") + "/" + ref.id() + ".<ext>");
    }

    private void index() {
        if (images != null) {
            return;
        }
        Path imageDir = root.resolve("images");
        Path maskDir = root.resolve("masks");
        for (Path p : List.of(root, imageDir, maskDir)) {
            if (!Files.isDirectory(p)) {
                throw new UserError("dataset folder " + p + " not found; expected layout for " + name + " under "
                        + root + ": " + expectedLayout());
            }
        }
        images = byStem(imageDir);
        masks = byStem(maskDir);
    }

    /** Image files of a folder keyed by stem; two files with the same stem are an error. */
    static Map<String, Path> byStem(Path dir) {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (!Files.isRegularFile(p) || !EXTENSIONS.contains(ImageFiles.extension(p))) {
                    continue;
                }
                Path old = out.put(ImageFiles.stem(p), p);
                if (old != null) {
                    throw new UserError("two files with the same name stem: " + old + " and " + p);
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
