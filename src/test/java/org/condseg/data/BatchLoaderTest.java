package org.condseg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class BatchLoaderTest {
    private static final int S = 32;
    private static DataConfig cfg;
    private static Dataset data;

    @BeforeAll
    static void open() {
        cfg = new DataConfig();
        cfg.size = S;
        cfg.generator.train = 10;
        data = Dataset.open(cfg, Split.train);
    }

    private static List<Batch> epoch(BatchLoader loader, int e) {
        List<Batch> out = new ArrayList<>();
        try (BatchLoader.Epoch it = loader.epoch(e)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void shapesLastBatchKeptEverySampleOnce() {
        try (BatchLoader loader = BatchLoader.train(data, 4, AugmentConfig.stage1(), 7, cfg)) {
            List<Batch> batches = epoch(loader, 0);
            assertEquals(3, batches.size());
            assertEquals(3, loader.batchesPerEpoch());
            assertArrayEquals(new long[] {4, 3, S, S}, batches.get(0).image().shape());
            assertArrayEquals(new long[] {4, 1, S, S}, batches.get(0).mask().shape());
            assertArrayEquals(new long[] {4, 1, S, S}, batches.get(0).background().shape());
            assertArrayEquals(new long[] {2, 3, S, S}, batches.get(2).image().shape(), "drop_last off");
            HashSet<String> ids = new HashSet<>();
            batches.forEach(b -> ids.addAll(b.ids()));
            assertEquals(10, ids.size());
        }
    }

    @Test
    void sameSeedSameOrderAndAugmentation() {
        try (BatchLoader a = BatchLoader.train(data, 4, AugmentConfig.stage1(), 7, cfg);
                BatchLoader b = BatchLoader.train(data, 4, AugmentConfig.stage1(), 7, cfg);
                BatchLoader c = BatchLoader.train(data, 4, AugmentConfig.stage1(), 8, cfg)) {
            for (int e = 0; e < 2; e++) {
                List<Batch> x = epoch(a, e);
                List<Batch> y = epoch(b, e);
                for (int i = 0; i < x.size(); i++) {
                    assertEquals(x.get(i).ids(), y.get(i).ids());
                    assertEquals(x.get(i).image(), y.get(i).image());
                    assertEquals(x.get(i).mask(), y.get(i).mask());
                    assertEquals(x.get(i).seed(), y.get(i).seed());
                }
            }
            assertFalse(java.util.Arrays.equals(a.order(0), a.order(1)), "a new order each epoch");
            assertFalse(java.util.Arrays.equals(a.order(0), c.order(0)), "another seed, another order");
            assertNotEquals(epoch(a, 0).get(0).seed(), epoch(a, 1).get(0).seed());
        }
    }

    @Test
    void backgroundIsOneMinusMaskAfterAugmentationUnlessTheOfficialBugIsReplicated() {
        AugmentConfig aug = AugmentConfig.stage1();
        aug.rotateP = 1;
        try (BatchLoader loader = BatchLoader.train(data, 5, aug, 3, cfg)) {
            for (Batch b : epoch(loader, 0)) {
                assertEquals(b.mask().rsub(1.0), b.background());
            }
        }
        aug.backgroundFromUnaugmentedMask = true;
        try (BatchLoader loader = BatchLoader.train(data, 5, aug, 3, cfg);
                BatchLoader eval = BatchLoader.eval(data, 5, cfg)) {
            Batch b = epoch(loader, 0).get(0);
            assertNotEquals(b.mask().rsub(1.0), b.background(), "rotated mask vs unrotated background");
            // The background is 1 - the unaugmented mask of each sample.
            for (int k = 0; k < b.size(); k++) {
                int idx = data.pairs().stream().map(PairRef::id).toList().indexOf(b.ids().get(k));
                float[] bg = b.background().slice(k).dup().data().asFloat();
                float[] m = data.mask(idx);
                for (int i = 0; i < m.length; i++) {
                    assertEquals(1 - m[i], bg[i]);
                }
            }
        }
    }

    @Test
    void evalLoaderIsInOrderAndUnaugmented() {
        try (BatchLoader eval = BatchLoader.eval(data, 3, cfg)) {
            Batch first = epoch(eval, 0).get(0);
            assertEquals(List.of("synthetic-train-0000", "synthetic-train-0001", "synthetic-train-0002"), first.ids());
            assertArrayEquals(data.get(1).image(), first.image().slice(1).dup().data().asFloat());
        }
    }

    @Test
    void prefetchPreparesBatchesAheadOfTheConsumer() throws InterruptedException {
        try (BatchLoader loader = new BatchLoader(data, 2, true, AugmentConfig.stage2(), 1, 3, 2);
                BatchLoader.Epoch it = loader.epoch(0)) {
            long deadline = System.currentTimeMillis() + 20_000;
            while (it.ready() < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(3, it.ready(), "three batches ready before the first next()");
            it.next();
            while (it.ready() < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(3, it.ready(), "taking one starts the next");
            long waited = it.waitNanos();
            assertTrue(waited < 50_000_000L, "a prefetched batch is handed over at once: " + waited + " ns");
            int rest = 0;
            while (it.hasNext()) {
                it.next();
                rest++;
            }
            assertEquals(4, rest);
        }
    }

    @Test
    void bgrChannelOrderSwapsPlanes() {
        DataConfig bgr = new DataConfig();
        bgr.size = S;
        bgr.generator.train = 2;
        bgr.channelOrder = ChannelOrder.bgr;
        float[] a = data.get(1).image();
        float[] b = Dataset.open(bgr, Split.train).get(1).image();
        int p = S * S;
        assertArrayEquals(java.util.Arrays.copyOfRange(a, 0, p), java.util.Arrays.copyOfRange(b, 2 * p, 3 * p));
        assertArrayEquals(java.util.Arrays.copyOfRange(a, p, 2 * p), java.util.Arrays.copyOfRange(b, p, 2 * p));
        try (BatchLoader eval = BatchLoader.eval(Dataset.open(bgr, Split.train), 2, bgr)) {
            INDArray img = eval.epoch(0).next().image();
            assertEquals(b[5], img.getFloat(1, 0, 0, 5));
        }
    }
}
