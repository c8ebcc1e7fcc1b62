package org.condseg.data;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.condseg.util.Progress;

/** A small fixed pool of daemon threads for decoding, and a parallel map that rethrows a task's own exception. */
final class Workers {
    private Workers() {
    }

    /** A fixed pool of daemon threads named {@code condseg-<name>-N}. */
    static ExecutorService pool(int threads, String name) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, "condseg-" + name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newFixedThreadPool(threads, f);
    }

    /**
     * Runs f(0..n-1) on {@code threads} threads with a progress report, returning the results in index order. The
     * first failure (in index order) is rethrown as is when it is unchecked, so a UserError keeps its message.
     */
    static <T> List<T> map(int n, int threads, String task, IntFunction<T> f) {
        ExecutorService pool = pool(Math.max(1, Math.min(threads, n)), "load");
        try (Progress progress = Progress.start(task, n)) {
            List<Future<T>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    T value = f.apply(index);
                    synchronized (progress) {
                        progress.step();
                    }
                    return value;
                }));
            }
            List<T> out = new ArrayList<>(n);
            for (Future<T> fu : futures) {
                out.add(get(fu));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Future.get with the task's unchecked exception rethrown unwrapped. */
    static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for data", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}
