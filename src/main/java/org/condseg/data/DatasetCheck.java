package org.condseg.data;

import java.util.List;
import org.condseg.util.UserError;

/**
 * Integrity check of a dataset split before training. Each failure is a {@link UserError} naming the file:
 * <ul>
 * <li>the split is not empty (the error names the folder and the layout the reader expects);</li>
 * <li>every image has a mask, both decode, and they have the same width and height ({@link ImageFiles#readPair});</li>
 * <li>the mask is binary: at least {@value #MIN_BINARY_FRACTION} of its pixels lie within {@value #NEAR} grey levels
 * of 0 or 255. Real masks pass easily (measured: in every one of the 1000 Kvasir-SEG and 196 Kvasir-Sessile JPEG
 * masks at least 99.99% of the pixels are within 8 levels of 0 or 255), and the margin leaves room for masks that were
 * resampled or re-compressed; photographs, soft probability maps and masks stored as 0/1 are refused (a 0/1 mask
 * would otherwise silently come out empty).</li>
 * </ul>
 * Label masks (GlaS) are already mapped to 0/255 when read, so they always pass the binary test.
 */
public final class DatasetCheck {
    /** Fraction of mask pixels that must be near 0 or 255. */
    public static final double MIN_BINARY_FRACTION = 0.98;
    /** How near (in grey levels) to 0 or 255 a pixel must be to count as binary. */
    public static final int NEAR = 32;

    private DatasetCheck() {
    }

    /** Checks every pair of a split (decoding on all cores); returns the number of pairs checked. */
    public static int verify(DatasetReader reader, Split split) {
        List<PairRef> pairs = listNonEmpty(reader, split);
        verify(reader, pairs, Runtime.getRuntime().availableProcessors());
        return pairs.size();
    }

    /** Checks the given pairs of a reader on {@code threads} threads. */
    static void verify(DatasetReader reader, List<PairRef> pairs, int threads) {
        Workers.map(pairs.size(), threads, "check " + reader.name(), i -> {
            PairRef ref = pairs.get(i);
            RawPair raw = reader.read(ref);
            if (reader.numClasses() > 1) {
                checkLabels(ref, raw, reader.numClasses());
            } else {
                checkPair(ref, raw);
            }
            return Boolean.TRUE;
        });
    }

    /** The split's pairs; an empty split is a UserError naming the folder and the expected layout. */
    public static List<PairRef> listNonEmpty(DatasetReader reader, Split split) {
        List<PairRef> pairs = reader.list(split);
        if (pairs.isEmpty()) {
            throw new UserError("the " + split + " split of " + reader.name()
                    + (reader.root() == null ? "" : " under " + reader.root()) + " is empty; expected layout: "
                    + reader.expectedLayout());
        }
        return pairs;
    }

    /** Checks that a decoded pair's mask is binary in the sense above. */
    public static void checkPair(PairRef ref, RawPair raw) {
        byte[] m = raw.mask();
        int near = 0;
        for (byte b : m) {
            int v = b & 255;
            if (v <= NEAR || v >= 255 - NEAR) {
                near++;
            }
        }
        double fraction = m.length == 0 ? 0 : (double) near / m.length;
        if (fraction < MIN_BINARY_FRACTION) {
            throw new UserError("mask " + (ref.mask() != null ? ref.mask() : ref.id()) + " is not binary: only "
                    + String.format("%.1f%%", 100 * fraction) + " of its pixels are near 0 or 255 (need "
                    + Math.round(100 * MIN_BINARY_FRACTION) + "%)");
        }
    }

    /** Checks that a multi-class pair's mask holds class ids below {@code numClasses} only. */
    public static void checkLabels(PairRef ref, RawPair raw, int numClasses) {
        for (byte b : raw.mask()) {
            if ((b & 255) >= numClasses) {
                throw new UserError("mask " + (ref.mask() != null ? ref.mask() : ref.id()) + " has label "
                        + (b & 255) + "; expected class ids 0.." + (numClasses - 1));
            }
        }
    }
}
