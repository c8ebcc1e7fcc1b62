package org.condseg.bench;

import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.condseg.util.UserError;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up settings for ND4J/SameDiff, chosen from the measurements in docs/decisions-bench.md. Call
 * {@link #systemProperties()} first thing in {@code main} (before any ND4J or JavaCPP class is loaded), then
 * {@link #configure()} once ND4J may load.
 *
 * <p>The threading environment matters most. With libnd4j's default OpenMP waiting (spinning), two threads on a 2-core
 * machine shared with other CPU-heavy processes made SameDiff 2–10× slower than one thread; with
 * {@code OMP_WAIT_POLICY=PASSIVE} two threads were the fastest setting measured. Both are environment variables read
 * when the native library loads ({@code Environment.setMaxThreads} is a no-op in M2.1), so the launcher must export
 * {@code OMP_NUM_THREADS} and {@code OMP_WAIT_POLICY=PASSIVE}; {@link #configure(int)} sets the OpenMP and OpenBLAS
 * counts at run time and logs a warning when the environment disagrees.
 */
public final class Nd4jSetup {
    /** System property naming the native thread count (libnd4j and OpenBLAS). */
    public static final String THREADS_PROPERTY = "condseg.threads";
    /** Environment variable naming the native thread count, read when the property is absent. */
    public static final String THREADS_ENV = "CONDSEG_THREADS";

    private static final Logger LOG = LoggerFactory.getLogger(Nd4jSetup.class);

    /**
     * What {@link #configure} applied.
     *
     * @param threads          OpenMP and OpenBLAS threads set
     * @param poolThreads      libnd4j's own pool (fixed at load from OMP_NUM_THREADS)
     * @param profiling        the op executioner's profiling mode
     * @param maxPhysicalBytes JavaCPP's RSS limit (0 = not checked)
     */
    public record Applied(int threads, int poolThreads, OpExecutioner.ProfilingMode profiling, long maxPhysicalBytes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "ND4J: %d BLAS/OpenMP thread(s), libnd4j pool %d, profiling %s, JavaCPP maxphysicalbytes %s",
                    threads, poolThreads, profiling, maxPhysicalBytes == 0 ? "off" : Long.toString(maxPhysicalBytes));
        }
    }

    private Nd4jSetup() {
    }

    /**
     * Sets JavaCPP's {@code org.bytedeco.javacpp.maxphysicalbytes} to 0 unless given: JavaCPP otherwise reads the
     * process's resident size on every native allocation (≈ a fifth of the native time of a chain of small ops).
     * Only effective before JavaCPP's {@code Pointer} class loads; a value given on the command line wins.
     */
    public static void systemProperties() {
        if (System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxphysicalbytes", "0");
        }
    }

    /**
     * {@link #configure(int)} with the thread count from the property, the environment, or else libnd4j's pool size
     * (OMP_NUM_THREADS, or the core count).
     */
    public static Applied configure() {
        return configure(threads(System.getProperties(), System.getenv(), Nd4j.getEnvironment().maxThreads()));
    }

    /**
     * Native threads = {@code threads}; op profiling (the default SCOPE_PANIC workspace check), debug and verbose
     * modes off; ND4J's periodic System.gc() off. Safe to call again to change the thread count.
     */
    public static Applied configure(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        OpExecutioner ex = Nd4j.getExecutioner();
        ex.setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        ex.enableDebugMode(false);
        ex.enableVerboseMode(false);
        Environment env = Nd4j.getEnvironment();
        env.setDebug(false);
        env.setVerbose(false);
        env.setProfiling(false);
        env.setLeaksDetector(false);
        Nd4j.getMemoryManager().togglePeriodicGc(false);
        setThreads(threads);
        int pool = env.maxThreads();
        if (pool != threads) {
            LOG.warn("libnd4j's thread pool has {} threads but {} were asked for: export OMP_NUM_THREADS={} before the"
                    + " JVM starts", pool, threads, threads);
        }
        if (pool > 1 && !"PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"))) {
            LOG.warn("{} native threads with spinning OpenMP waits: export OMP_WAIT_POLICY=PASSIVE before the JVM"
                    + " starts (several times faster on a busy machine)", pool);
        }
        return new Applied(threads, pool, ex.getProfilingMode(), Pointer.maxPhysicalBytes());
    }

    /**
     * Sets the OpenMP and OpenBLAS thread counts at run time (libnd4j's pool keeps the size it was loaded with).
     */
    public static void setThreads(int threads) {
        Nd4j.getEnvironment().setMaxMasterThreads(threads); // clamped to the pool by libnd4j
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /**
     * The thread count: property {@value #THREADS_PROPERTY}, else env {@value #THREADS_ENV}, else OMP_NUM_THREADS,
     * else {@code fallback}.
     */
    static int threads(Map<Object, Object> properties, Map<String, String> env, int fallback) {
        Object p = properties.get(THREADS_PROPERTY);
        if (p != null) {
            return parse(THREADS_PROPERTY, p.toString());
        }
        if (env.get(THREADS_ENV) != null) {
            return parse(THREADS_ENV, env.get(THREADS_ENV));
        }
        if (env.get("OMP_NUM_THREADS") != null) {
            return parse("OMP_NUM_THREADS", env.get("OMP_NUM_THREADS"));
        }
        return fallback;
    }

    private static int parse(String name, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError(name + " must be a positive integer, got '" + value + "'");
    }
}
