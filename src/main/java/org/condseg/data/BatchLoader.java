package org.condseg.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batches of a {@link Dataset}, prepared on a small pool of background threads {@code prefetch} batches ahead of the
 * consumer. Per epoch the sample order is a seeded shuffle of (seed, epoch) (or the dataset order when shuffle is
 * off), and each sample's augmentation draws from its own generator seeded by (seed, epoch, sample index), so the
 * same seed gives the same order and the same augmentation whatever the thread timing. The last, smaller batch is
 * kept (drop_last off, as official). The background target is 1 − mask after augmentation, or 1 − the unaugmented
 * mask with {@link AugmentConfig#backgroundFromUnaugmentedMask} (the official bug, condseg-reference.md §10.3).
 */
public final class BatchLoader implements AutoCloseable {
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final Augment augment;
    private final boolean backgroundFromUnaugmentedMask;
    private final long seed;
    private final int prefetch;
    private final ExecutorService pool;

    /**
     * @param augment  geometric augmentation, or null for none (evaluation)
     * @param prefetch batches prepared ahead (at least 1)
     * @param workers  background threads
     */
    public BatchLoader(Dataset data, int batchSize, boolean shuffle, AugmentConfig augment, long seed, int prefetch,
            int workers) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.augment = augment == null ? null : new Augment(augment);
        this.backgroundFromUnaugmentedMask = augment != null && augment.backgroundFromUnaugmentedMask;
        this.seed = seed;
        this.prefetch = Math.max(1, prefetch);
        this.pool = Workers.pool(Math.max(1, workers), "batch");
    }

    /** A shuffling, augmenting loader for training, with data.prefetch and data.workers. */
    public static BatchLoader train(Dataset data, int batchSize, AugmentConfig augment, long seed, DataConfig cfg) {
        return new BatchLoader(data, batchSize, true, augment, seed, cfg.prefetch, cfg.resolvedWorkers());
    }

    /** An in-order loader without augmentation, for validation and test. */
    public static BatchLoader eval(Dataset data, int batchSize, DataConfig cfg) {
        return new BatchLoader(data, batchSize, false, null, 0, cfg.prefetch, cfg.resolvedWorkers());
    }

    /** Number of batches per epoch (the last one may be smaller). */
    public int batchesPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    /** The dataset indices of an epoch, in batch order. */
    public int[] order(int epoch) {
        return shuffle ? Splits.permutation(data.size(), new SplittableRandom(Seeds.mix(seed, epoch)))
                : IntStream.range(0, data.size()).toArray();
    }

    /** Starts an epoch: its first {@code prefetch} batches begin preparing at once. Close it when abandoning it. */
    public Epoch epoch(int epoch) {
        return new Epoch(epoch);
    }

    /** Builds batch b of an epoch (runs on a worker thread). */
    private Batch build(int epoch, int[] order, int b) {
        int from = b * batchSize;
        int count = Math.min(batchSize, order.length - from);
        int s = data.imageSize();
        int plane = s * s;
        float[] image = new float[count * 3 * plane];
        float[] mask = new float[count * plane];
        float[] background = new float[count * plane];
        List<String> ids = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int idx = order[from + k];
            SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, epoch, idx));
            Sample sample = data.get(idx, augment, rng);
            System.arraycopy(sample.image(), 0, image, k * 3 * plane, 3 * plane);
            System.arraycopy(sample.mask(), 0, mask, k * plane, plane);
            float[] bgSource = backgroundFromUnaugmentedMask ? data.mask(idx) : sample.mask();
            for (int i = 0; i < plane; i++) {
                background[k * plane + i] = bgSource[i] > 0 ? 0f : 1f; // 1 - Y; for class ids: 1[label = 0]
            }
            ids.add(sample.id());
        }
        return new Batch(Nd4j.create(image, new long[] {count, 3, s, s}, 'c'),
                Nd4j.create(mask, new long[] {count, 1, s, s}, 'c'),
                Nd4j.create(background, new long[] {count, 1, s, s}, 'c'), List.copyOf(ids),
                Seeds.mix(seed, epoch, b, 0x5eedL));
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** The batches of one epoch, in order, prefetched in the background. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final int total;
        private final Deque<Future<Batch>> pending = new ArrayDeque<>();
        private int submitted;
        private int delivered;
        private long waitNanos;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.order = BatchLoader.this.order(epoch);
            this.total = batchesPerEpoch();
            while (submitted < Math.min(total, prefetch)) {
                submitNext();
            }
        }

        private void submitNext() {
            int b = submitted++;
            pending.addLast(pool.submit(() -> build(epoch, order, b)));
        }

        @Override
        public boolean hasNext() {
            return delivered < total;
        }

        /** The next batch; waits only if the background threads have not finished it yet. */
        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Future<Batch> f = pending.pollFirst();
            if (submitted < total) {
                submitNext();
            }
            long t0 = System.nanoTime();
            Batch b = Workers.get(f);
            waitNanos += System.nanoTime() - t0;
            delivered++;
            return b;
        }

        /** How many of the batches prepared ahead are already finished. */
        public int ready() {
            return (int) pending.stream().filter(Future::isDone).count();
        }

        /** Total time next() spent waiting for batches, in nanoseconds. */
        public long waitNanos() {
            return waitNanos;
        }

        /** The sample order of this epoch. */
        public int[] order() {
            return Arrays.copyOf(order, order.length);
        }

        /** Cancels the batches still in preparation. */
        @Override
        public void close() {
            for (Future<Batch> f : pending) {
                f.cancel(true);
            }
            pending.clear();
            delivered = total;
        }
    }
}
