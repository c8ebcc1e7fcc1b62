package org.condseg.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The threads of this project's Java kernels ({@link org.condseg.nn.SmallMatmul},
 * {@link org.condseg.nn.BatchNormBackward}, {@link org.condseg.nn.FlatCopy}, {@link org.condseg.nn.RowIm2col}): as many as libnd4j's (OMP_NUM_THREADS), the caller's and daemon helpers,
 * so that a kernel in Java uses the cores an op in libnd4j would.
 */
public final class Parallel {
    /** libnd4j's thread count. */
    public static final int THREADS = Math.max(1, Nd4j.getEnvironment().maxThreads());
    private static final ExecutorService HELPERS = THREADS <= 1 ? null
            : Executors.newFixedThreadPool(THREADS - 1, r -> {
                Thread t = new Thread(r, "condseg-kernel");
                t.setDaemon(true);
                return t;
            });

    /** Each thread's scratch arrays, by slot, kept between calls (a training step makes hundreds of kernel calls). */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[8][]);

    private Parallel() {
    }

    /** This thread's scratch array in {@code slot} (0-7), of at least {@code length} floats; contents undefined. */
    public static float[] scratch(int slot, int length) {
        float[][] mine = SCRATCH.get();
        if (mine[slot] == null || mine[slot].length < length) {
            mine[slot] = new float[length];
        }
        return mine[slot];
    }

    /** Runs {@code part} for 0 ≤ i &lt; parts (at most {@link #THREADS} at once), part 0 on the calling thread. */
    public static void run(int parts, IntConsumer part) {
        List<Future<?>> helpers = new ArrayList<>();
        for (int i = 1; i < parts; i++) {
            int index = i;
            helpers.add(HELPERS.submit(() -> part.accept(index)));
        }
        part.accept(0);
        for (Future<?> f : helpers) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }
}
