package org.condseg.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
    private static final Path SHARED = Path.of("..", "shared", "datasets");

    @TempDir
    Path dir;

    private static List<String> ids(List<PairRef> refs) {
        return refs.stream().map(PairRef::id).toList();
    }

    @Test
    void glasSplitsFromGradeCsvWithCrLineEndingsAndLabelMasks() throws IOException {
        String csv = "name,patient ID,grade (GlaS),grade (Sirinukunwattana et al. 2015)\r"
                + "testA_1,4, benign, adenomatous\rtrain_2,1, malignant, x\rtrain_1,1, benign, x\r"
                + "train_10,2, benign, x\rtestB_1,3, malignant, x\rtestA_2,4, benign, x\r";
        Files.writeString(dir.resolve("Grade.csv"), csv);
        for (String n : List.of("train_1", "train_2", "train_10", "testA_1", "testA_2", "testB_1", "train_99")) {
            Fixtures.pair(dir.resolve(n + ".bmp"), dir.resolve("unused_" + n + ".png"));
            Fixtures.labels(dir.resolve(n + "_anno.bmp"), 24, 20);
        }
        GlasReader r = new GlasReader(dir);
        assertEquals(List.of("train_1", "train_2", "train_10"), ids(r.list(Split.train)), "train_99 is not in Grade.csv");
        assertEquals(List.of("testA_1", "testA_2", "testB_1"), ids(r.list(Split.val)));
        assertEquals(ids(r.list(Split.val)), ids(r.list(Split.test)));
        RawPair p = r.read(r.list(Split.train).get(0));
        assertEquals(24, p.width());
        assertEquals(20, p.height());
        // Labels 1 and 2 are far below 128, yet both are foreground: 2 squares of 6x6.
        int fg = 0;
        for (byte b : p.mask()) {
            fg += (b & 255) == 255 ? 1 : 0;
        }
        assertEquals(72, fg);
        assertEquals(255, p.mask()[5 * 24 + 3] & 255);
        assertEquals(255, p.mask()[5 * 24 + 13] & 255);
        assertEquals(0, p.mask()[0] & 255);
    }

    @Test
    void glasWithoutGradeCsvSplitsByPrefixAndOfficialGradeCsvIs85And80() {
        for (String n : List.of("train_1", "testA_1", "testB_1")) {
            Fixtures.pair(dir.resolve(n + ".bmp"), dir.resolve("m_" + n + ".png"));
            Fixtures.labels(dir.resolve(n + "_anno.bmp"), 24, 20);
        }
        GlasReader r = new GlasReader(dir);
        assertEquals(List.of("train_1"), ids(r.list(Split.train)));
        assertEquals(List.of("testA_1", "testB_1"), ids(r.list(Split.test)));

        List<String> names = GlasReader.gradeNames(SHARED.resolve("glas/Grade.csv"));
        assertEquals(165, names.size());
        assertEquals(85, names.stream().filter(n -> n.startsWith("train_")).count());
        assertEquals(60, names.stream().filter(n -> n.startsWith("testA_")).count());
        assertEquals(20, names.stream().filter(n -> n.startsWith("testB_")).count());
    }

    @Test
    void isic2016OfficialFoldersValIsTest() throws IOException {
        for (Split s : List.of(Split.train, Split.test)) {
            String[] f = IsicReader.folders(2016, s);
            int n = s == Split.train ? 3 : 2;
            for (int i = 0; i < n; i++) {
                String id = String.format("ISIC_%07d", s.ordinal() * 100 + i);
                Fixtures.pair(dir.resolve(f[0]).resolve(id + ".jpg"), dir.resolve(f[1]).resolve(id + "_Segmentation.png"));
            }
            Files.writeString(dir.resolve(f[0]).resolve("ISIC_0000000_superpixels.png"), "not a sample");
        }
        IsicReader r = new IsicReader(2016, dir);
        assertEquals(3, r.list(Split.train).size());
        assertEquals(2, r.list(Split.val).size());
        assertEquals(ids(r.list(Split.val)), ids(r.list(Split.test)));
        assertEquals("ISIC_0000200", r.list(Split.test).get(0).id());
        RawPair p = r.read(r.list(Split.train).get(1));
        assertEquals(24, p.width());
    }

    @Test
    void isic2017ThreeSplitsOneLevelDownLowercaseMaskSuffix() {
        int[] counts = {4, 2, 3};
        for (Split s : Split.values()) {
            String[] f = IsicReader.folders(2017, s);
            Path base = dir.resolve(s.name());
            for (int i = 0; i < counts[s.ordinal()]; i++) {
                String id = String.format("ISIC_%07d", s.ordinal() * 100 + i);
                Fixtures.pair(base.resolve(f[0]).resolve(id + ".jpg"), base.resolve(f[1]).resolve(id + "_segmentation.png"));
            }
        }
        IsicReader r = new IsicReader(2017, dir);
        assertEquals(4, r.list(Split.train).size());
        assertEquals(2, r.list(Split.val).size());
        assertEquals(3, r.list(Split.test).size());
        assertTrue(r.list(Split.test).get(0).image().toString().contains("ISIC-2017_Test_v2_Data"));
        assertEquals(20, r.read(r.list(Split.val).get(1)).height());
    }

    @Test
    void folderSeededSplitAnyFormatAndListFiles() throws IOException {
        String[] ext = {"png", "jpg", "bmp", "tif", "gif"};
        for (int i = 0; i < 10; i++) {
            String e = ext[i % ext.length];
            Fixtures.pair(dir.resolve("images/s" + i + "." + e), dir.resolve("masks/s" + i + ".png"));
        }
        FolderReader r = new FolderReader("folder", dir, false, 0.1, 0.1, 7);
        List<String> train = ids(r.list(Split.train));
        List<String> val = ids(r.list(Split.val));
        List<String> test = ids(r.list(Split.test));
        assertEquals(8, train.size());
        assertEquals(1, val.size());
        assertEquals(1, test.size());
        Set<String> all = new HashSet<>(train);
        all.addAll(val);
        all.addAll(test);
        assertEquals(10, all.size(), "splits are disjoint and cover every id");
        assertEquals(train, ids(new FolderReader("folder", dir, false, 0.1, 0.1, 7).list(Split.train)));
        for (PairRef p : r.list(Split.train)) {
            assertEquals(20, r.read(p).height(), p.image().toString());
        }

        Files.writeString(dir.resolve("train.txt"), "s1\ns2.png\n\ns3");
        Files.writeString(dir.resolve("val.txt"), "s4\n");
        FolderReader listed = new FolderReader("folder", dir, false, 0.1, 0.1, 7);
        assertEquals(List.of("s1", "s2", "s3"), ids(listed.list(Split.train)), "no id lost without a final newline");
        assertEquals(List.of("s4"), ids(listed.list(Split.test)), "test falls back to val");
    }

    @Test
    void kvasirSegRealOfficialSplitAndOnePairLoads() throws IOException {
        DatasetReader r = DatasetRegistry.reader(new DataConfig() {
            {
                dataset = "kvasir-seg";
            }
        });
        List<PairRef> train = r.list(Split.train);
        List<PairRef> val = r.list(Split.val);
        assertEquals(880, train.size());
        assertEquals(120, val.size());
        assertEquals(ids(val), ids(r.list(Split.test)));
        Set<String> both = new HashSet<>(ids(train));
        both.retainAll(ids(val));
        assertTrue(both.isEmpty());

        PairRef first = val.get(0);
        RawPair p = r.read(first);
        JsonNode meta = new ObjectMapper().readTree(SHARED.resolve("kvasir-seg/kavsir_bboxes.json").toFile())
                .get(first.id());
        assertEquals(meta.get("width").asInt(), p.width());
        assertEquals(meta.get("height").asInt(), p.height());
        assertEquals(p.width() * p.height() * 3, p.rgb().length);
        DatasetCheck.checkPair(first, p);
    }

    @Test
    void kvasirSessileSeeded156_20_20() {
        Path root = SHARED.resolve("kvasir-sessile");
        FolderReader a = FolderReader.kvasirSessile(root, 42);
        List<List<String>> splits = new ArrayList<>();
        for (Split s : Split.values()) {
            splits.add(ids(a.list(s)));
        }
        assertEquals(List.of(156, 20, 20), splits.stream().map(List::size).toList());
        Set<String> all = new HashSet<>();
        splits.forEach(all::addAll);
        assertEquals(196, all.size());
        FolderReader again = FolderReader.kvasirSessile(root, 42);
        assertEquals(splits.get(2), ids(again.list(Split.test)), "same seed, same split");
        assertNotEquals(splits.get(2), ids(FolderReader.kvasirSessile(root, 43).list(Split.test)));
        // The documented split is pinned: a change to the algorithm would silently change every Sessile result.
        assertEquals(List.of("cju13hp5rnbjx0835bf0jowgx", "cju1cbokpuiw70988j4lq1fpi", "cju1dia8hvc6v098827mgffnm"),
                splits.get(2).subList(0, 3));
    }

    @Test
    void registryRejectsUnknownNameListingValidOnes() {
        DataConfig cfg = new DataConfig();
        cfg.dataset = "kvasir";
        UserError e = assertThrows(UserError.class, () -> DatasetRegistry.reader(cfg));
        assertTrue(e.getMessage().contains("'kvasir'"), e.getMessage());
        assertTrue(e.getMessage().contains("folder, glas, isic2016, isic2017, kvasir-seg, kvasir-sessile, synapse, synthetic"),
                e.getMessage());
        assertNull(DatasetRegistry.reader(new DataConfig()).root(), "the default dataset is the in-memory synthetic one");
    }
}
