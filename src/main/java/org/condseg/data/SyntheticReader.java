package org.condseg.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory {@code synthetic} dataset: generator.train/val/test samples of generator.width x height (0 = data.size),
 * each generated on demand from (generator.seed, split, index); ids {@code synthetic-<split>-NNNN}.
 */
public final class SyntheticReader implements DatasetReader {
    private final SyntheticConfig cfg;
    private final int width;
    private final int height;

    public SyntheticReader(SyntheticConfig cfg, int defaultSize) {
        this.cfg = cfg;
        this.width = cfg.width > 0 ? cfg.width : defaultSize;
        this.height = cfg.height > 0 ? cfg.height : defaultSize;
    }

    @Override
    public String name() {
        return "synthetic";
    }

    @Override
    public Path root() {
        return null;
    }

    @Override
    public String expectedLayout() {
        return "none (generated in memory; set data.generator.train/val/test > 0)";
    }

    @Override
    public List<PairRef> list(Split split) {
        int n = switch (split) {
            case train -> cfg.train;
            case val -> cfg.val;
            case test -> cfg.test;
        };
        List<PairRef> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new PairRef(String.format("synthetic-%s-%04d", split, i), null, null));
        }
        return out;
    }

    @Override
    public RawPair read(PairRef ref) {
        String[] parts = ref.id().split("-");
        Split split = Split.valueOf(parts[1]);
        int index = Integer.parseInt(parts[2]);
        return SyntheticGenerator.generate(ref.id(), seed(cfg.seed, split, index), width, height, cfg).pair();
    }

    /** The generator seed of one sample; the layout writer uses the same, so both give the same pixels. */
    static long seed(long base, Split split, int index) {
        return Seeds.mix(base, split.ordinal(), index);
    }
}
