package org.condseg.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.condseg.util.UserError;

/** Maps data.dataset names to readers. An unknown name is a UserError listing the valid ones. */
public final class DatasetRegistry {
    private static final Map<String, BiFunction<Path, DataConfig, DatasetReader>> READERS = new TreeMap<>();

    static {
        READERS.put("synthetic", (root, cfg) -> new SyntheticReader(cfg.generator, cfg.size));
        READERS.put("kvasir-seg", (root, cfg) -> FolderReader.kvasirSeg(root));
        READERS.put("kvasir-sessile", (root, cfg) -> FolderReader.kvasirSessile(root, cfg.splitSeed));
        READERS.put("glas", (root, cfg) -> new GlasReader(root));
        READERS.put("synapse", (root, cfg) -> new SynapseReader(root));
        READERS.put("isic2016", (root, cfg) -> new IsicReader(2016, root));
        READERS.put("isic2017", (root, cfg) -> new IsicReader(2017, root));
        READERS.put("folder", (root, cfg) -> new FolderReader("folder", root, false, cfg.valFraction,
                cfg.testFraction, cfg.splitSeed));
    }

    private DatasetRegistry() {
    }

    /** The valid dataset names, sorted. */
    public static List<String> names() {
        return List.copyOf(READERS.keySet());
    }

    /**
     * The reader for a config: data.synthetic writes (once) and reads a synthetic copy of the dataset's layout;
     * otherwise data.root, or its default when empty: ../shared/datasets/&lt;name&gt; for kvasir-seg and
     * kvasir-sessile (the copies shipped beside the project), data/&lt;name&gt; for the others.
     */
    public static DatasetReader reader(DataConfig cfg) {
        String name = cfg.dataset == null ? "" : cfg.dataset;
        BiFunction<Path, DataConfig, DatasetReader> factory = READERS.get(name);
        if (factory == null) {
            throw new UserError("unknown data.dataset '" + name + "'; valid: " + String.join(", ", names()));
        }
        if (name.equals("synthetic")) {
            return factory.apply(null, cfg);
        }
        Path root = cfg.synthetic ? SyntheticLayouts.prepare(cfg) : root(cfg);
        return factory.apply(root, cfg);
    }

    /** The dataset folder a config points to. */
    public static Path root(DataConfig cfg) {
        if (cfg.root != null && !cfg.root.isBlank()) {
            return Path.of(cfg.root);
        }
        return cfg.dataset.startsWith("kvasir-")
                ? Path.of("..", "shared", "datasets", cfg.dataset)
                : Path.of("data", cfg.dataset);
    }
}
