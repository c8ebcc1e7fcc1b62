package org.condseg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Synapse reader on a layout written by the test, and on the synthetic Synapse layout. */
class SynapseReaderTest {
    @TempDir
    Path tmp;

    /** Slice (case c, slice d) of 5 x 4: image v/20 for pixel v, label (v + c + d) % 9 (every class id appears). */
    private static float[] image(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = i / 20f;
        }
        return f;
    }

    private static long[] labels(int n, int shift) {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            l[i] = (i + shift) % 9;
        }
        return l;
    }

    private Path layout() throws Exception {
        Path root = tmp.resolve("synapse");
        for (int c = 1; c <= 2; c++) {
            for (int d = 0; d < 3; d++) {
                NpzFiles.synapse(root.resolve(String.format("train_npz/case%04d_slice%03d.npz", c, d)), "(4, 5)",
                        image(20), labels(20, c + d));
            }
        }
        float[] vol = new float[2 * 4 * 5];
        for (int i = 0; i < vol.length; i++) {
            vol[i] = (i % 20) / 20f;
        }
        NpzFiles.synapse(root.resolve("test_vol_npz/case0009.npz"), "(2, 4, 5)", vol, labels(40, 0));
        Path lists = root.resolve("lists/lists_Synapse");
        Files.createDirectories(lists);
        // TransUNet's train.txt lists slices; a bare case name is accepted too and expands to its slices
        Files.writeString(lists.resolve("train.txt"), "case0001_slice000\ncase0001_slice002\ncase0002\n");
        Files.writeString(lists.resolve("test_vol.txt"), "case0009\n");
        return root;
    }

    @Test
    void listsReadsAndResizesSlicesAndVolumes() throws Exception {
        SynapseReader r = new SynapseReader(layout());
        List<PairRef> train = r.list(Split.train);
        assertEquals(List.of("case0001_slice000", "case0001_slice002", "case0002_slice000", "case0002_slice001",
                "case0002_slice002"), train.stream().map(PairRef::id).toList());
        RawPair p = r.read(train.get(1)); // case 1, slice 2: labels (i + 3) % 9
        assertEquals(5, p.width());
        assertEquals(4, p.height());
        for (int i = 0; i < 20; i++) {
            int grey = Math.round(255 * i / 20f);
            assertEquals(grey, p.rgb()[3 * i] & 255);
            assertEquals(grey, p.rgb()[3 * i + 2] & 255);
            assertEquals((i + 3) % 9, p.mask()[i]);
        }
        List<PairRef> test = r.list(Split.test);
        assertEquals(List.of("case0009_slice000", "case0009_slice001"), test.stream().map(PairRef::id).toList());
        assertEquals(test, r.list(Split.val));
        assertEquals((20 + 7) % 9, r.read(test.get(1)).mask()[7]);
        Volume v = r.volume("case0009");
        assertArrayEquals(new int[] {2, 4, 5}, new int[] {v.depth(), v.height(), v.width()});
        assertEquals(List.of("case0009"), r.testVolumes());

        DataConfig cfg = new DataConfig();
        cfg.size = 8;
        cfg.workers = 1;
        Dataset d = Dataset.open(r, Split.train, cfg);
        assertEquals(9, d.numClasses());
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            Sample s = d.get(i);
            assertEquals(3 * 64, s.image().length);
            for (float m : s.mask()) {
                assertEquals(Math.round(m), m, 0); // nearest keeps integer class ids
                seen.add(Math.round(m));
            }
        }
        assertTrue(seen.stream().allMatch(c -> c >= 0 && c <= 8), seen.toString());
        assertTrue(seen.size() > 5, seen.toString());
    }

    @Test
    void badLabelsAndMissingFilesNameTheFile() throws Exception {
        Path root = layout();
        NpzFiles.synapse(root.resolve("train_npz/case0001_slice000.npz"), "(4, 5)", image(20), labels(20, 0));
        long[] bad = labels(20, 0);
        bad[3] = 12;
        NpzFiles.synapse(root.resolve("train_npz/case0001_slice002.npz"), "(4, 5)", image(20), bad);
        SynapseReader r = new SynapseReader(root);
        UserError e = assertThrows(UserError.class, () -> r.read(r.list(Split.train).get(1)));
        assertTrue(e.getMessage().contains("case0001_slice002.npz") && e.getMessage().contains("12"), e.getMessage());

        Files.writeString(root.resolve("lists/lists_Synapse/train.txt"), "case0077\n");
        UserError missing = assertThrows(UserError.class, () -> r.list(Split.train));
        assertTrue(missing.getMessage().contains("case0077"), missing.getMessage());
        assertFalse(missing.getMessage().contains("\n"));

        Files.write(root.resolve("test_vol_npz/case0009.npz"), new byte[] {'P', 'K', 0, 0});
        UserError corrupt = assertThrows(UserError.class, () -> r.volume("case0009"));
        assertTrue(corrupt.getMessage().contains("case0009.npz"), corrupt.getMessage());
    }

    @Test
    void syntheticLayoutHasCasesSlicesAndAllOrgans() {
        SyntheticConfig g = new SyntheticConfig();
        g.train = 12;
        g.test = 4;
        g.slices = 4;
        Path dir = tmp.resolve("syn");
        SyntheticLayouts.write("synapse", dir, g, 24, 20);
        SynapseReader r = new SynapseReader(dir);
        assertEquals(12, r.list(Split.train).size()); // 3 cases x 4 slices
        assertEquals(List.of("case0004"), r.testVolumes());
        Volume v = r.volume("case0004");
        assertArrayEquals(new int[] {4, 20, 24}, new int[] {v.depth(), v.height(), v.width()});
        Set<Integer> organs = new HashSet<>();
        for (PairRef p : r.list(Split.train)) {
            RawPair raw = r.read(p);
            assertEquals(24, raw.width());
            for (byte b : raw.mask()) {
                organs.add((int) b);
            }
        }
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8), organs);
        for (float x : v.image()) {
            assertTrue(x >= 0 && x <= 1);
        }
    }
}
