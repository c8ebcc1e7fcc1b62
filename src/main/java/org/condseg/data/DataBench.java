package org.condseg.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the data pipeline's throughput on a dataset split: decoding (first pass, which also checks and caches),
 * epochs from the cache (augment + batch), epochs without a cache (decode + augment + batch every time), and the
 * strong augmentation of stage 1 on a batch.
 * Usage: {@code java -cp ... org.condseg.data.DataBench [dataset] [sizes,...] [batch] [epochs]}.
 */
public final class DataBench {
    private DataBench() {
    }

    /** Throughput figures in images per second, and the strong augmentation's time per batch in milliseconds. */
    public record Result(String dataset, int size, int images, int workers, double decodeCachePerSec,
            double cachedEpochPerSec, double uncachedEpochPerSec, double strongAugMsPerBatch) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%s %d² (%d images, %d workers): first pass decode+check+resize %.0f img/s; cached epoch "
                            + "(augment+batch) %.0f img/s; uncached epoch (decode+augment+batch) %.0f img/s; strong aug "
                            + "%.1f ms/batch",
                    dataset, size, images, workers, decodeCachePerSec, cachedEpochPerSec, uncachedEpochPerSec,
                    strongAugMsPerBatch);
        }
    }

    /** Benchmarks the train split of {@code cfg} at its size, with the stage-1 augmentation. */
    public static Result run(DataConfig cfg, int batchSize, int epochs) {
        long t0 = System.nanoTime();
        Dataset data = Dataset.open(cfg, Split.train);
        double open = seconds(t0);
        int n = data.size();
        double cached;
        double strongMs;
        try (BatchLoader loader = BatchLoader.train(data, batchSize, AugmentConfig.stage1(), 1, cfg)) {
            drain(loader, 0); // warm-up
            long t1 = System.nanoTime();
            for (int e = 1; e <= epochs; e++) {
                drain(loader, e);
            }
            cached = (double) n * epochs / seconds(t1);
            StrongAugment strong = new StrongAugment(new StrongAugConfig(), data.norm());
            Batch b = loader.epoch(0).next();
            strong.apply(b.image(), 0);
            long t2 = System.nanoTime();
            int reps = 5;
            for (int r = 0; r < reps; r++) {
                strong.apply(b.image(), r);
            }
            strongMs = seconds(t2) * 1000 / reps;
        }
        double uncached;
        int cacheMb = cfg.cacheMb;
        boolean check = cfg.check;
        cfg.cacheMb = 0;
        cfg.check = false;
        try (BatchLoader loader = BatchLoader.train(Dataset.open(data.reader(), Split.train, cfg), batchSize,
                AugmentConfig.stage1(), 1, cfg)) {
            long t3 = System.nanoTime();
            drain(loader, 0);
            uncached = n / seconds(t3);
        } finally {
            cfg.cacheMb = cacheMb;
            cfg.check = check;
        }
        return new Result(cfg.dataset, cfg.size, n, cfg.resolvedWorkers(), n / open, cached, uncached, strongMs);
    }

    private static void drain(BatchLoader loader, int epoch) {
        try (BatchLoader.Epoch it = loader.epoch(epoch)) {
            while (it.hasNext()) {
                it.next();
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    public static void main(String[] args) {
        org.condseg.util.NativeBackend.select();
        String dataset = args.length > 0 ? args[0] : "kvasir-seg";
        String sizes = args.length > 1 ? args[1] : "64,128,256";
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        List<Result> results = new ArrayList<>();
        for (String s : sizes.split(",")) {
            DataConfig cfg = new DataConfig();
            cfg.dataset = dataset;
            cfg.size = Integer.parseInt(s.strip());
            results.add(run(cfg, batch, epochs));
        }
        results.forEach(System.out::println);
    }
}
