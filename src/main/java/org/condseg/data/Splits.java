package org.condseg.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.condseg.util.AtomicFiles;

/** Seeded split and subset helpers, shared by the readers. */
public final class Splits {
    private Splits() {
    }

    /**
     * A seeded permutation of {@code items}: a Fisher–Yates shuffle (i from n−1 down to 1, swap i with
     * {@code Random(seed).nextInt(i + 1)}). java.util.Random's sequence is specified, so the order is the same on
     * every JVM.
     */
    public static <T> List<T> shuffled(List<T> items, long seed) {
        List<T> out = new ArrayList<>(items.size());
        for (int i : permutation(items.size(), new Random(seed))) {
            out.add(items.get(i));
        }
        return out;
    }

    /** The Fisher–Yates permutation of 0..n−1 described at {@link #shuffled}, drawing from {@code rng}. */
    public static int[] permutation(int n, RandomGenerator rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * The first {@code n} items of the seeded order, returned in their original order; n ≤ 0 or n ≥ size keeps all.
     */
    public static List<PairRef> subset(List<PairRef> items, int n, long seed) {
        if (n <= 0 || n >= items.size()) {
            return items;
        }
        int[] chosen = Arrays.copyOf(permutation(items.size(), new Random(seed)), n);
        Arrays.sort(chosen);
        List<PairRef> out = new ArrayList<>(n);
        for (int i : chosen) {
            out.add(items.get(i));
        }
        return out;
    }

    /**
     * Split sizes for a seeded three-way split of n items: val = round(n·valFraction), test = round(n·testFraction),
     * each at least 1 when n ≥ 3 and the fraction is positive; train takes the rest.
     */
    public static int[] sizes(int n, double valFraction, double testFraction) {
        int val = (int) Math.round(n * valFraction);
        int test = (int) Math.round(n * testFraction);
        if (n >= 3) {
            val = valFraction > 0 ? Math.max(1, val) : 0;
            test = testFraction > 0 ? Math.max(1, test) : 0;
        }
        val = Math.min(val, n);
        test = Math.min(test, n - val);
        return new int[] {n - val - test, val, test};
    }

    /**
     * The ids of a list file: one per line, trimmed, blank lines skipped, a trailing image extension removed. Unlike
     * the official loader, a missing final newline does not lose the last name.
     */
    public static List<String> readList(Path file) {
        List<String> ids = new ArrayList<>();
        for (String line : AtomicFiles.readString(file).split("\\R")) {
            String id = line.strip();
            if (!id.isEmpty()) {
                ids.add(id.replaceFirst("(?i)\\.(png|jpe?g|bmp|tiff?|gif)$", ""));
            }
        }
        return ids;
    }
}
