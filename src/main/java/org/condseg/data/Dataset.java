package org.condseg.data;

import java.util.List;
import java.util.SplittableRandom;
import org.condseg.util.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One opened split of a dataset at size x size: the listed pairs (after data.*Subset), checked by
 * {@link DatasetCheck} when data.check is on, and resized once and kept in memory when they fit the cache budget
 * (min(data.cacheMb, a quarter of the JVM heap); 4 bytes per pixel: RGB plus the binary mask), so that epochs after
 * the first never decode a file again. Over budget, each access decodes and resizes the files again.
 *
 * <p>Processing of one pair: decode at the original size; image resized bilinearly (OpenCV geometry, rounded to
 * uint8 as the official uint8 pipeline); mask resized bilinearly, rounded, then foreground = value &gt;=
 * data.maskThreshold; a multi-class reader's class-id mask is resized with nearest neighbour instead (labels must not
 * blend) and kept as class ids. Thresholding after the resize (rather than nearest-neighbour resizing) keeps the outline where
 * the soft resized mask crosses one half, which is also where the official metric cuts its soft target.
 */
public final class Dataset {
    private static final Logger LOG = LoggerFactory.getLogger(Dataset.class);

    /** A pair resized to size x size: CHW RGB bytes and a {0,1} mask. */
    private record Resized(byte[] rgb, byte[] mask, int width, int height) {
    }

    private final DatasetReader reader;
    private final Split split;
    private final List<PairRef> pairs;
    private final int size;
    private final int threshold;
    private final ImageNorm norm;
    private final Resized[] cache;

    private Dataset(DatasetReader reader, Split split, List<PairRef> pairs, DataConfig cfg, boolean cached) {
        this.reader = reader;
        this.split = split;
        this.pairs = pairs;
        this.size = cfg.size;
        this.threshold = cfg.maskThreshold;
        this.norm = ImageNorm.of(cfg);
        this.cache = cached ? new Resized[pairs.size()] : null;
    }

    /** Opens a split of the dataset the config names. */
    public static Dataset open(DataConfig cfg, Split split) {
        return open(DatasetRegistry.reader(cfg), split, cfg);
    }

    /** Opens a split of a given reader, checking and caching as the config says. */
    public static Dataset open(DatasetReader reader, Split split, DataConfig cfg) {
        if (cfg.size < 8) {
            throw new UserError("data.size must be at least 8, got " + cfg.size);
        }
        if (cfg.maskThreshold < 1 || cfg.maskThreshold > 255) {
            throw new UserError("data.maskThreshold must be in 1..255, got " + cfg.maskThreshold);
        }
        List<PairRef> all = DatasetCheck.listNonEmpty(reader, split);
        int subset = switch (split) {
            case train -> cfg.trainSubset;
            case val -> cfg.valSubset;
            case test -> cfg.testSubset;
        };
        List<PairRef> pairs = Splits.subset(all, subset, cfg.splitSeed);
        long bytes = 4L * cfg.size * cfg.size * pairs.size();
        long budget = Math.min((long) cfg.cacheMb << 20, Runtime.getRuntime().maxMemory() / 4);
        boolean cached = bytes <= budget;
        Dataset d = new Dataset(reader, split, pairs, cfg, cached);
        int threads = cfg.resolvedWorkers();
        if (cached) {
            String task = "load " + reader.name() + " " + split;
            List<Resized> loaded = Workers.map(pairs.size(), threads, task, i -> d.decode(i, cfg.check));
            for (int i = 0; i < loaded.size(); i++) {
                d.cache[i] = loaded.get(i);
            }
        } else {
            LOG.info("{} {}: {} samples at {}² need {} MiB > cache budget {} MiB; decoding every epoch",
                    reader.name(), split, pairs.size(), cfg.size, bytes >> 20, budget >> 20);
            if (cfg.check) {
                DatasetCheck.verify(reader, pairs, threads);
            }
        }
        LOG.info("{} {}: {} samples at {}x{}{}", reader.name(), split, pairs.size(), cfg.size, cfg.size,
                cached ? " (cached in memory)" : "");
        return d;
    }

    /** Number of samples. */
    public int size() {
        return pairs.size();
    }

    /** Side of the square samples. */
    public int imageSize() {
        return size;
    }

    /** The listed pairs, in order. */
    public List<PairRef> pairs() {
        return pairs;
    }

    /** The reader this split came from. */
    public DatasetReader reader() {
        return reader;
    }

    /** Which split this is. */
    public Split split() {
        return split;
    }

    /** Whether all samples are held in memory. */
    public boolean cached() {
        return cache != null;
    }

    /** The channel order / normalisation applied to images. */
    public ImageNorm norm() {
        return norm;
    }

    /** Sample i, unaugmented, ready for the network (channel order and normalisation applied). */
    public Sample get(int i) {
        return get(i, null, null);
    }

    /** Sample i, geometrically augmented first when {@code augment} is not null, then finished for the network. */
    public Sample get(int i, Augment augment, SplittableRandom rng) {
        Sample s = raw(i);
        if (augment != null) {
            s = augment.apply(s, rng);
        }
        norm.finish(s.image(), size * size);
        return s;
    }

    /** 1 for binary masks; C &gt; 1 when masks hold class ids 0..C-1 (from the reader). */
    public int numClasses() {
        return reader.numClasses();
    }

    /** The unaugmented mask of sample i (size·size values in {0,1}, or class ids for a multi-class reader). */
    public float[] mask(int i) {
        return toFloat(resized(i).mask(), 1f);
    }

    /** Sample i as a [0,1] RGB image, before augmentation and channel order / normalisation. */
    Sample raw(int i) {
        Resized r = resized(i);
        PairRef ref = pairs.get(i);
        return new Sample(ref.id(), toFloat(r.rgb(), 1f / 255), toFloat(r.mask(), 1f), size, r.width(), r.height(),
                ref.image(), ref.mask());
    }

    private Resized resized(int i) {
        return cache != null ? cache[i] : decode(i, false);
    }

    private Resized decode(int i, boolean check) {
        PairRef ref = pairs.get(i);
        RawPair raw = reader.read(ref);
        boolean labels = reader.numClasses() > 1;
        if (check) {
            if (labels) {
                DatasetCheck.checkLabels(ref, raw, reader.numClasses());
            } else {
                DatasetCheck.checkPair(ref, raw);
            }
        }
        byte[] rgb = Resize.toPlanar(raw.rgb(), raw.width(), raw.height(), 3, size);
        byte[] mask = labels ? Resize.labelsNearest(raw.mask(), raw.width(), raw.height(), size)
                : Resize.maskToBinary(raw.mask(), raw.width(), raw.height(), size, threshold);
        return new Resized(rgb, mask, raw.width(), raw.height());
    }

    private static float[] toFloat(byte[] b, float scale) {
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = (b[i] & 255) * scale;
        }
        return f;
    }
}
