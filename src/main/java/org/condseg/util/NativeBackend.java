package org.condseg.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Chooses which libnd4j build JavaCPP loads. The backend jar is chosen at build time (pom.xml, {@code nd4j.extension}:
 * the oneDNN build on CPU, the cuDNN build with {@code -Pcuda}); JavaCPP finds its native library only when the
 * system property {@value #PROPERTY} names the same suffix, so every entry point calls {@link #select()} before
 * anything touches ND4J. A value already set on the command line wins.
 */
public final class NativeBackend {
    /** JavaCPP's system property for the platform extension (the classifier after "linux-x86_64"). */
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";
    private static final String RESOURCE = "/condseg-backend.properties";

    private NativeBackend() {
    }

    /** Sets {@value #PROPERTY} from the build's properties file unless it is set already; returns the value in use. */
    public static String select() {
        String set = System.getProperty(PROPERTY);
        if (set != null) {
            return set;
        }
        String ext = built();
        System.setProperty(PROPERTY, ext);
        return ext;
    }

    /**
     * The device a run or a benchmark row is recorded with: ND4J's backend plus the libnd4j build, e.g.
     * {@code cpu-onednn} (records from before the oneDNN build say {@code cpu}).
     */
    public static String deviceName() {
        String backend = org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName().replace("Backend", "")
                .toLowerCase(java.util.Locale.ROOT);
        return backend + System.getProperty(PROPERTY, "");
    }

    /** Whether ND4J runs on its CPU backend (the arrays live in the process's own memory). */
    public static boolean isCpu() {
        return org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu");
    }

    /**
     * Whether glibc keeps freed native memory for reuse: the {@code condseg} launcher sets {@code GLIBC_TUNABLES} so
     * that every allocation comes from one heap that is never unmapped or trimmed ({@code mmap_max=0},
     * {@code trim_threshold} 4 GB, {@code arena_max=1}). glibc's default maps each block of 32 MB or more afresh and
     * unmaps it when freed, so libnd4j's and oneDNN's per-op temporaries cost a page fault per 4 KB on every op (9-12
     * million faults and 33-43 s of system time per 256² training step on this machine; README, Performance).
     */
    public static boolean allocatorKeepsFreedMemory() {
        String t = System.getenv("GLIBC_TUNABLES");
        return t != null && t.contains("glibc.malloc.mmap_max=0");
    }

    /**
     * Whether glibc asks for transparent huge pages ({@code glibc.malloc.hugetlb=1} or {@code 2}, which the launcher
     * sets): a heap trimmed by JavaCPP at its cap is faulted back in 2 MB pages instead of 4 KB ones.
     */
    public static boolean allocatorUsesHugePages() {
        String t = System.getenv("GLIBC_TUNABLES");
        return t != null && (t.contains("glibc.malloc.hugetlb=1") || t.contains("glibc.malloc.hugetlb=2"));
    }

    /**
     * The processor's model name from /proc/cpuinfo with spaces as underscores (e.g. "AMD_EPYC"), or "unknown": the
     * same machine kind has been lent with different processors, and timings are only comparable on the same one.
     */
    public static String cpuModel() {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim().replaceAll("\\s+", "_")).orElse("unknown");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "unknown";
        }
    }

    /** The extension this build was packaged with ("" when the properties file is missing or unfiltered). */
    public static String built() {
        return builtProperty("nd4j.extension");
    }

    /** The backend this build was packaged with: "cpu", or "cuda" with {@code -Pcuda} ("" when unknown). */
    public static String builtBackend() {
        return builtProperty("condseg.device");
    }

    private static String builtProperty(String key) {
        String value = Built.PROPERTIES.getProperty(key, "").trim();
        return value.startsWith("${") ? "" : value;
    }

    /** The build's properties file, read once (empty when missing). */
    private static final class Built {
        static final Properties PROPERTIES = load();

        private static Properties load() {
            Properties p = new Properties();
            try (InputStream in = NativeBackend.class.getResourceAsStream(RESOURCE)) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                p.clear();
            }
            return p;
        }
    }
}
