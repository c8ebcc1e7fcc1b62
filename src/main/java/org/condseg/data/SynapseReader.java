package org.condseg.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;

/**
 * Synapse multi-organ CT (paper Table 10) in TransUNet's preprocessed layout:
 * <pre>
 *   train_npz/&lt;case&gt;_slice&lt;NNN&gt;.npz   image [H,W] float in [0,1], label [H,W] class ids 0..8
 *   test_vol_npz/&lt;case&gt;.npz             image [D,H,W], label [D,H,W]  (converted from test_vol_h5/&lt;case&gt;.npy.h5)
 *   lists/lists_Synapse/train.txt         slice names (TransUNet's list) or case names, one per line
 *   lists/lists_Synapse/test_vol.txt      case names
 * </pre>
 * Classes: 0 background, 1 aorta, 2 gallbladder, 3 left kidney, 4 right kidney, 5 liver, 6 pancreas, 7 spleen,
 * 8 stomach. Split (TransUNet: 18 training / 12 test cases, defined by the lists): train = the listed training
 * slices; test = the listed volumes, scored per volume ({@link VolumeReader}); val = the test volumes' slices, as
 * 2-D pairs (TransUNet has no validation set; as for GlaS the model is selected on the reported set, see
 * docs/decisions.md). Without a list file the folder's files are taken in name order.
 *
 * <p>Pairs: the [0,1] grey slice is quantised to 8 bits (round(255·v)) and replicated to R, G, B; the mask bytes are
 * the class ids. The HDF5 test volumes cannot be read here; convert them once to .npz (docs/decisions.md).
 */
public final class SynapseReader implements DatasetReader, VolumeReader {
    /** Background plus the 8 organs. */
    public static final int NUM_CLASSES = 9;
    /** Organ names in class-id order 1..8, spelled as Table 10's columns. */
    public static final List<String> ORGANS = List.of("Aorta", "Gallbladder", "Kidney(L)", "Kidney(R)", "Liver",
            "Pancreas", "Spleen", "Stomach");
    static final String TRAIN_DIR = "train_npz";
    static final String TEST_DIR = "test_vol_npz";
    static final String LISTS = "lists/lists_Synapse";

    private final Path root;
    private Volume lastVolume;

    public SynapseReader(Path root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "synapse";
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public int numClasses() {
        return NUM_CLASSES;
    }

    @Override
    public List<String> classNames() {
        return ORGANS;
    }

    @Override
    public String expectedLayout() {
        return TRAIN_DIR + "/<case>_sliceNNN.npz (image [H,W] in [0,1], label [H,W] 0..8), " + TEST_DIR
                + "/<case>.npz (image, label [D,H,W]), " + LISTS + "/train.txt and test_vol.txt (TransUNet's layout;"
                + " convert test_vol_h5 with the h5py one-liner of docs/decisions.md)";
    }

    @Override
    public List<PairRef> list(Split split) {
        if (!Files.isDirectory(root)) {
            throw new UserError("dataset folder " + root + " not found; expected layout for synapse: " + expectedLayout());
        }
        if (split == Split.train) {
            return trainSlices();
        }
        List<PairRef> out = new ArrayList<>();
        for (String c : testVolumes()) {
            Path f = volumeFile(c);
            int[] shape = Npz.shape(f, "image");
            if (shape.length != 3) {
                throw new UserError(f + ": image must be a [D,H,W] volume, got shape " + Arrays.toString(shape));
            }
            for (int d = 0; d < shape[0]; d++) {
                out.add(new PairRef(sliceId(c, d), f, f));
            }
        }
        return out;
    }

    @Override
    public RawPair read(PairRef ref) {
        String stem = stem(ref.image());
        if (!stem.equals(ref.id())) {
            int d = Integer.parseInt(ref.id().substring(ref.id().lastIndexOf("_slice") + 6));
            Volume v = cachedVolume(stem);
            if (d >= v.depth()) {
                throw new UserError(ref.image() + ": no slice " + d + " (depth " + v.depth() + ")");
            }
            return v.slice(d);
        }
        Map<String, NpyArray> a = Npz.read(ref.image(), "image", "label");
        NpyArray img = a.get("image");
        NpyArray lab = a.get("label");
        if (img.shape().length != 2 || !Arrays.equals(img.shape(), lab.shape())) {
            throw new UserError(ref.image() + ": image and label must both be [H,W], got "
                    + Arrays.toString(img.shape()) + " and " + Arrays.toString(lab.shape()));
        }
        int h = img.shape()[0];
        int w = img.shape()[1];
        int[] labels = checkedLabels(lab, ref.image());
        return new Volume(stem, 1, h, w, img.data(), labels).slice(0).withId(ref.id());
    }

    @Override
    public List<String> testVolumes() {
        Path list = root.resolve(LISTS).resolve("test_vol.txt");
        if (Files.isRegularFile(list)) {
            return lines(list);
        }
        Path dir = root.resolve(TEST_DIR);
        if (!Files.isDirectory(dir) && Files.isDirectory(root.resolve("test_vol_h5"))) {
            throw new UserError(root.resolve("test_vol_h5") + ": HDF5 volumes cannot be read; convert them to "
                    + TEST_DIR + "/<case>.npz first (docs/decisions.md, Synapse)");
        }
        return stems(dir);
    }

    @Override
    public Volume volume(String id) {
        Path f = volumeFile(id);
        Map<String, NpyArray> a = Npz.read(f, "image", "label");
        NpyArray img = a.get("image");
        NpyArray lab = a.get("label");
        if (img.shape().length != 3 || !Arrays.equals(img.shape(), lab.shape())) {
            throw new UserError(f + ": image and label must both be [D,H,W], got " + Arrays.toString(img.shape())
                    + " and " + Arrays.toString(lab.shape()));
        }
        return new Volume(id, img.shape()[0], img.shape()[1], img.shape()[2], img.data(), checkedLabels(lab, f));
    }

    /** The id of slice d of a case: {@code <case>_slice<ddd>}, TransUNet's naming. */
    public static String sliceId(String caseId, int d) {
        return String.format("%s_slice%03d", caseId, d);
    }

    /** A [0,1] intensity as an 8-bit grey level (clipped, rounded). */
    static byte toByte(float v) {
        float c = v < 0 ? 0 : Math.min(1f, v);
        return (byte) Math.round(255 * c);
    }

    private synchronized Volume cachedVolume(String id) {
        if (lastVolume == null || !lastVolume.id().equals(id)) {
            lastVolume = volume(id);
        }
        return lastVolume;
    }

    private List<PairRef> trainSlices() {
        Path dir = root.resolve(TRAIN_DIR);
        Path list = root.resolve(LISTS).resolve("train.txt");
        List<String> names = Files.isRegularFile(list) ? lines(list) : stems(dir);
        List<String> all = null;
        List<PairRef> out = new ArrayList<>();
        for (String n : names) {
            Path f = dir.resolve(n + ".npz");
            if (Files.isRegularFile(f)) {
                out.add(new PairRef(n, f, f));
                continue;
            }
            if (all == null) {
                all = stems(dir);
            }
            List<String> slices = all.stream().filter(s -> s.startsWith(n + "_slice")).toList();
            if (slices.isEmpty()) {
                throw new UserError(list + ": '" + n + "' is neither a slice file " + f + " nor a case with "
                        + dir.resolve(n + "_sliceNNN.npz") + " files");
            }
            slices.forEach(s -> out.add(new PairRef(s, dir.resolve(s + ".npz"), dir.resolve(s + ".npz"))));
        }
        return out;
    }

    private Path volumeFile(String id) {
        return root.resolve(TEST_DIR).resolve(id + ".npz");
    }

    private static int[] checkedLabels(NpyArray lab, Path file) {
        int[] labels = lab.toInts();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= NUM_CLASSES || labels[i] != lab.data()[i]) {
                throw new UserError(file + ": label value " + lab.data()[i] + " is not a class id 0.." + (NUM_CLASSES - 1));
            }
        }
        return labels;
    }

    private static List<String> lines(Path list) {
        return AtomicFiles.readString(list).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> stems(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npz"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        } catch (IOException e) {
            throw new UserError("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".npz") ? n.substring(0, n.length() - 4) : n;
    }
}
