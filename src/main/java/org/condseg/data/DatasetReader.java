package org.condseg.data;

import java.nio.file.Path;
import java.util.List;

/** Lists a dataset's official splits and decodes its pairs. Implementations are looked up in {@link DatasetRegistry}. */
public interface DatasetReader {
    /** Registry name, e.g. {@code kvasir-seg}. */
    String name();

    /** The dataset folder (null for in-memory data). */
    Path root();

    /** The folder layout this reader expects, in one line, for error messages. */
    String expectedLayout();

    /** The pairs of a split, in a stable order. A split the dataset lacks falls back as documented per reader. */
    List<PairRef> list(Split split);

    /** Decodes one pair at its original resolution; a missing or undecodable file is a UserError naming it. */
    RawPair read(PairRef ref);

    /**
     * 1 for binary datasets (masks 0/255); C &gt; 1 for label maps whose mask bytes are class ids 0..C-1 (0 =
     * background), which {@link Dataset} resizes with nearest neighbour instead of thresholding.
     */
    default int numClasses() {
        return 1;
    }
}
