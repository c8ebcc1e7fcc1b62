package org.condseg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticTest {
    @TempDir
    Path dir;

    private static RawPair gen(long seed, int size) {
        return SyntheticGenerator.generate("x", seed, size, size, new SyntheticConfig()).pair();
    }

    @Test
    void sameSeedSameArraysDifferentSeedDifferent() {
        RawPair a = gen(5, 64);
        RawPair b = gen(5, 64);
        assertArrayEquals(a.rgb(), b.rgb());
        assertArrayEquals(a.mask(), b.mask());
        RawPair c = gen(6, 64);
        assertFalse(Arrays.equals(a.rgb(), c.rgb()));
        assertFalse(Arrays.equals(a.mask(), c.mask()));
    }

    @Test
    void masksAreBinaryNonTrivialAndObjectsDifferFromBackgroundOnlySlightly() {
        double minFg = 1;
        double maxFg = 0;
        for (int s = 0; s < 40; s++) {
            RawPair p = gen(s, 64);
            int fg = 0;
            long inSum = 0;
            long outSum = 0;
            for (int i = 0; i < p.mask().length; i++) {
                int v = p.mask()[i] & 255;
                assertTrue(v == 0 || v == 255);
                int lum = (p.rgb()[3 * i] & 255) + (p.rgb()[3 * i + 1] & 255) + (p.rgb()[3 * i + 2] & 255);
                if (v == 255) {
                    fg++;
                    inSum += lum;
                } else {
                    outSum += lum;
                }
            }
            double frac = fg / 4096.0;
            minFg = Math.min(minFg, frac);
            maxFg = Math.max(maxFg, frac);
            double meanDiff = Math.abs(inSum / (3.0 * fg) - outSum / (3.0 * (4096 - fg))) / 255;
            assertTrue(meanDiff < 0.35, "low contrast, got " + meanDiff);
        }
        assertTrue(minFg > 0.003, "every mask has foreground, min fraction " + minFg);
        assertTrue(maxFg < 0.8, "no mask covers the image, max fraction " + maxFg);
        assertTrue(maxFg > 4 * minFg, "object sizes vary: " + minFg + ".." + maxFg);
    }

    @Test
    void fastAt64() {
        SyntheticConfig cfg = new SyntheticConfig();
        for (int i = 0; i < 50; i++) {
            SyntheticGenerator.generate("w", i, 64, 64, cfg);
        }
        long t0 = System.nanoTime();
        int n = 200;
        for (int i = 0; i < n; i++) {
            SyntheticGenerator.generate("t", 1000 + i, 64, 64, cfg);
        }
        double ms = (System.nanoTime() - t0) / 1e6 / n;
        assertTrue(ms < 10, "per 64² image: " + ms + " ms");
    }

    @Test
    void inMemoryDatasetIsDeterministic() {
        DataConfig cfg = new DataConfig();
        cfg.size = 32;
        cfg.generator.train = 5;
        Dataset a = Dataset.open(cfg, Split.train);
        Dataset b = Dataset.open(cfg, Split.train);
        assertEquals(5, a.size());
        assertArrayEquals(a.get(3).image(), b.get(3).image());
        assertArrayEquals(a.get(3).mask(), b.get(3).mask());
        assertFalse(Arrays.equals(a.get(3).image(), a.get(4).image()));
        assertEquals(cfg.generator.val, Dataset.open(cfg, Split.val).size());
    }

    @Test
    void subsetIsTheFirstNOfASeededOrder() {
        DataConfig cfg = new DataConfig();
        cfg.size = 16;
        cfg.generator.train = 12;
        cfg.trainSubset = 4;
        List<String> a = Dataset.open(cfg, Split.train).pairs().stream().map(PairRef::id).toList();
        assertEquals(4, a.size());
        assertEquals(a, Dataset.open(cfg, Split.train).pairs().stream().map(PairRef::id).toList());
        assertEquals(a.stream().sorted().toList(), a, "kept in dataset order");
        cfg.splitSeed = 43;
        assertFalse(a.equals(Dataset.open(cfg, Split.train).pairs().stream().map(PairRef::id).toList()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kvasir-seg", "kvasir-sessile", "glas", "isic2016", "isic2017", "folder"})
    void syntheticLayoutsAreReadByTheRealReaders(String name) {
        DataConfig cfg = new DataConfig();
        cfg.dataset = name;
        cfg.synthetic = true;
        cfg.cacheDir = dir.toString();
        cfg.size = 32;
        cfg.generator.train = 6;
        cfg.generator.val = 3;
        cfg.generator.test = 2;
        DatasetReader r = DatasetRegistry.reader(cfg);
        assertEquals(name, r.name());
        assertTrue(r.root().startsWith(dir));
        int[] expected = switch (name) {
            case "kvasir-seg" -> new int[] {6, 3, 3};
            case "kvasir-sessile" -> new int[] {9, 1, 1}; // 20/196 of 11 each
            case "glas", "isic2016" -> new int[] {6, 5, 5};
            default -> new int[] {6, 3, 2};
        };
        for (Split s : Split.values()) {
            assertEquals(expected[s.ordinal()], DatasetCheck.verify(r, s), name + " " + s);
        }
        // Written once: a second reader finds the same folder.
        assertEquals(r.root(), DatasetRegistry.reader(cfg).root());
    }

    @Test
    void pngLayoutHoldsTheInMemoryPixels() throws Exception {
        DataConfig cfg = new DataConfig();
        cfg.dataset = "folder";
        cfg.synthetic = true;
        cfg.cacheDir = dir.toString();
        cfg.size = 32;
        cfg.generator.train = 2;
        DatasetReader files = DatasetRegistry.reader(cfg);
        RawPair fromFile = files.read(files.list(Split.train).get(1));
        RawPair inMemory = new SyntheticReader(cfg.generator, 32).read(new PairRef("synthetic-train-0001", null, null));
        assertArrayEquals(inMemory.rgb(), fromFile.rgb());
        assertArrayEquals(inMemory.mask(), fromFile.mask());
        assertTrue(Files.exists(files.root().resolve("test.txt")));
        assertEquals(List.of("syn-train-0000", "syn-train-0001"), Splits.readList(files.root().resolve("train.txt")));
    }
}
