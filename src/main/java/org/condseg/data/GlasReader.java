package org.condseg.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;

/**
 * GlaS (Warwick QU, MICCAI 2015): one flat folder as in the official archive "Warwick QU Dataset (Released
 * 2016_07_08)" (that subfolder of root is used when root itself holds no images): {@code train_N.bmp} with
 * {@code train_N_anno.bmp}, {@code testA_N.bmp}/{@code testB_N.bmp} likewise, and {@code Grade.csv}. The masks are
 * instance label maps: foreground = label &gt; 0.
 *
 * <p>Split (official, as ConDSeg uses it): train = the 85 {@code train_*} rows of Grade.csv; val = test = the 80
 * {@code testA_*} + {@code testB_*} rows (the official code has no separate val set and selects and reports on the
 * same 80). Grade.csv has old-Mac CR line endings; any line ending is accepted. Without Grade.csv the split is taken
 * from the file-name prefixes, which is the same partition.
 */
public final class GlasReader implements DatasetReader {
    /** The folder name inside the official archive. */
    public static final String ARCHIVE_FOLDER = "Warwick QU Dataset (Released 2016_07_08)";

    private final Path root;

    public GlasReader(Path root) {
        Path inner = root.resolve(ARCHIVE_FOLDER);
        this.root = Files.isDirectory(inner) ? inner : root;
    }

    @Override
    public String name() {
        return "glas";
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public String expectedLayout() {
        return "train_N.bmp with train_N_anno.bmp, testA_N.bmp/testB_N.bmp with *_anno.bmp, and Grade.csv, in one "
                + "folder (the official '" + ARCHIVE_FOLDER + "')";
    }

    @Override
    public List<PairRef> list(Split split) {
        if (!Files.isDirectory(root)) {
            throw new UserError("dataset folder " + root + " not found; expected layout for glas: " + expectedLayout());
        }
        Path grade = root.resolve("Grade.csv");
        List<String> names = Files.isRegularFile(grade) ? gradeNames(grade) : namesFromFiles();
        List<PairRef> out = new ArrayList<>();
        for (String n : names) {
            boolean train = n.startsWith("train_");
            if (train == (split == Split.train)) {
                Path mask = root.resolve(n + "_anno.bmp");
                out.add(new PairRef(n, root.resolve(n + ".bmp"), Files.isRegularFile(mask) ? mask : null));
            }
        }
        out.sort(Comparator.comparing((PairRef p) -> p.id().substring(0, p.id().indexOf('_')))
                .thenComparingInt(p -> number(p.id())));
        return out;
    }

    @Override
    public RawPair read(PairRef ref) {
        return ImageFiles.readPair(ref, MaskEncoding.LABELS, root.resolve(ref.id() + "_anno.bmp").toString());
    }

    /** The image names listed in a GlaS Grade.csv (first column, header skipped), for any line ending. */
    public static List<String> gradeNames(Path csv) {
        List<String> names = new ArrayList<>();
        String[] lines = AtomicFiles.readString(csv).split("\r\n|\r|\n");
        for (int i = 0; i < lines.length; i++) {
            String name = lines[i].split(",", 2)[0].strip();
            if (name.isEmpty() || (i == 0 && name.equalsIgnoreCase("name"))) {
                continue;
            }
            if (!name.matches("(train|testA|testB)_\\d+")) {
                throw new UserError(csv + " line " + (i + 1) + ": '" + name + "' is not a GlaS image name "
                        + "(train_N, testA_N or testB_N)");
            }
            names.add(name);
        }
        return names;
    }

    private List<String> namesFromFiles() {
        try (Stream<Path> files = Files.list(root)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("(train|testA|testB)_\\d+\\.bmp"))
                    .map(n -> n.substring(0, n.length() - 4)).toList();
        } catch (IOException e) {
            throw new UserError("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private static int number(String id) {
        return Integer.parseInt(id.substring(id.indexOf('_') + 1));
    }
}
