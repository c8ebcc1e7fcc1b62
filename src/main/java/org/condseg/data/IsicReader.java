package org.condseg.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.condseg.util.UserError;

/**
 * ISIC-2016 / ISIC-2017 lesion segmentation (Part 1), in the official archives' folder names, each either directly
 * under root or one folder below it (e.g. root/train/ISIC-2017_Training_Data). Images {@code ISIC_nnnnnnn.jpg} (other
 * files such as {@code *_superpixels.png} or metadata CSVs are ignored), masks {@code ISIC_nnnnnnn_Segmentation.png}
 * (2016) or {@code ISIC_nnnnnnn_segmentation.png} (2017); either spelling is accepted.
 * <ul>
 * <li>ISIC-2016: {@code ISBI2016_ISIC_Part1_Training_Data} + {@code ..._Training_GroundTruth} (900) and
 * {@code ISBI2016_ISIC_Part1_Test_Data} + {@code ..._Test_GroundTruth} (379). No val set: val = test, as ConDSeg.</li>
 * <li>ISIC-2017: {@code ISIC-2017_Training_Data} + {@code ISIC-2017_Training_Part1_GroundTruth} (2000),
 * {@code ISIC-2017_Validation_Data} + {@code ..._Validation_Part1_GroundTruth} (150),
 * {@code ISIC-2017_Test_v2_Data} + {@code ISIC-2017_Test_v2_Part1_GroundTruth} (600).</li>
 * </ul>
 */
public final class IsicReader implements DatasetReader {
    private final int year;
    private final Path root;

    public IsicReader(int year, Path root) {
        if (year != 2016 && year != 2017) {
            throw new IllegalArgumentException("ISIC year " + year);
        }
        this.year = year;
        this.root = root;
    }

    /** The official {data folder, ground-truth folder} names of a split. */
    public static String[] folders(int year, Split split) {
        if (year == 2016) {
            String part = split == Split.train ? "Training" : "Test";
            return new String[] {"ISBI2016_ISIC_Part1_" + part + "_Data", "ISBI2016_ISIC_Part1_" + part + "_GroundTruth"};
        }
        String part = switch (split) {
            case train -> "Training";
            case val -> "Validation";
            case test -> "Test_v2";
        };
        return new String[] {"ISIC-2017_" + part + "_Data", "ISIC-2017_" + part + "_Part1_GroundTruth"};
    }

    @Override
    public String name() {
        return "isic" + year;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public String expectedLayout() {
        List<String> all = new ArrayList<>();
        for (Split s : year == 2016 ? List.of(Split.train, Split.test) : List.of(Split.values())) {
            all.add(String.join(" + ", folders(year, s)));
        }
        return String.join(", ", all) + " (directly under root or one level below), with ISIC_nnnnnnn.jpg images and "
                + "ISIC_nnnnnnn_Segmentation.png masks";
    }

    @Override
    public List<PairRef> list(Split split) {
        if (!Files.isDirectory(root)) {
            throw new UserError("dataset folder " + root + " not found; expected layout for " + name() + ": "
                    + expectedLayout());
        }
        String[] names = folders(year, split);
        Path data = find(names[0]);
        Path gt = find(names[1]);
        List<PairRef> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(data)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                String n = p.getFileName().toString();
                if (!n.matches("ISIC_\\d+\\.jpg")) {
                    continue;
                }
                String id = n.substring(0, n.length() - 4);
                Path mask = gt.resolve(id + "_Segmentation.png");
                if (!Files.isRegularFile(mask)) {
                    mask = gt.resolve(id + "_segmentation.png");
                }
                out.add(new PairRef(id, p, Files.isRegularFile(mask) ? mask : null));
            }
        } catch (IOException e) {
            throw new UserError("cannot list " + data + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public RawPair read(PairRef ref) {
        String hint = ref.id() + "_Segmentation.png in the ground-truth folder beside " + ref.image().getParent();
        return ImageFiles.readPair(ref, MaskEncoding.GRAY, hint);
    }

    /** A folder with this name directly under root or one level below. */
    private Path find(String name) {
        Path direct = root.resolve(name);
        if (Files.isDirectory(direct)) {
            return direct;
        }
        try (Stream<Path> subs = Files.list(root)) {
            for (Path sub : (Iterable<Path>) subs.sorted()::iterator) {
                if (Files.isDirectory(sub.resolve(name))) {
                    return sub.resolve(name);
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot list " + root + ": " + e.getMessage(), e);
        }
        throw new UserError("missing folder " + direct + " (or one level below " + root + "); expected layout for "
                + name() + ": " + expectedLayout());
    }
}
