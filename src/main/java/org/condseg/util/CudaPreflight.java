package org.condseg.util;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Checks, before ND4J loads, that the CUDA build ({@code mvn -Pcuda package}) can run on this machine, so that a GPU it
 * cannot use ends in one line instead of a native crash or a linker stack trace. Two things decide it:
 * <ul>
 *   <li>the GPU's compute capability against the code in libnd4jcuda.so ({@link FatBinary}). ND4J 1.0.0-M2.1's
 *       nd4j-cuda-11.6 carries machine code for sm_37 … sm_86 and no PTX (both classifiers, read 2026-11-27), so
 *       Hopper (H100/H200, 9.0) and newer GPUs have no kernel to run;</li>
 *   <li>the CUDA 11 libraries libnd4jcuda.so links to by name ({@code libcublas.so.11}, {@code libcusolver.so.11},
 *       with cuDNN {@code libcudnn.so.8}): a machine with only CUDA 12/13 installed has none of them.</li>
 * </ul>
 * {@code Main} runs the check in the CUDA build; {@link #main} asks the same from any build.
 */
public final class CudaPreflight {
    /** The libraries libnd4jcuda.so (M2.1, CUDA 11.6) needs; the cuDNN build also needs {@link #CUDNN}. */
    static final List<String> CUDA_LIBRARIES = List.of("libcublas.so.11", "libcusolver.so.11");
    static final String CUDNN = "libcudnn.so.8";
    /** Where org.bytedeco:cuda's redist jar ({@code -Pcuda-redist}) keeps cuBLAS; JavaCPP loads the set from there. */
    static final String REDIST_CUBLAS = "org/bytedeco/cuda/linux-x86_64/libcublas.so.11";
    /** {@code -Dcondseg.cudaPreflight=false} skips the check (a machine whose driver has no nvidia-smi, say). */
    static final String SKIP_PROPERTY = "condseg.cudaPreflight";

    /**
     * What libnd4jcuda.so of nd4j-cuda-11.6 1.0.0-M2.1 carries, plain and cuDNN classifiers alike ({@link FatBinary}
     * on both, 2026-11-27): machine code only. Used when the library is not on the class path (the CPU build asking
     * whether the CUDA build would run here, {@link #main}).
     */
    static final List<String> RELEASE_ARCHS =
            List.of("sm_37", "sm_50", "sm_52", "sm_60", "sm_61", "sm_70", "sm_75", "sm_80", "sm_86");

    private CudaPreflight() {
    }

    /**
     * Says whether ND4J's CUDA build would run on this machine, without building it:
     * {@code java -cp target/condseg-j.jar org.condseg.util.CudaPreflight [-cudnn]}. Exit status 0 when it would,
     * 2 (with the reason on one line) when not.
     */
    public static void main(String[] args) {
        String extension = args.length > 0 ? args[0] : "-cudnn";
        try {
            String gpu = check("cuda", extension);
            System.out.println("ok: " + (gpu == null ? "this GPU (capability unknown)" : gpu)
                    + " can run ND4J's CUDA build (linux-x86_64" + extension + ")");
        } catch (UserError e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Throws a {@link UserError} naming what is missing when the CUDA build cannot run here; otherwise returns the GPU
     * as nvidia-smi describes it (null when it gives no capability, on CPU, or when the check is skipped).
     */
    public static String check(String backend, String extension) {
        return check(backend, extension, "nvidia-smi");
    }

    static String check(String backend, String extension, String nvidiaSmi) {
        if (!"cuda".equals(backend) || "false".equalsIgnoreCase(System.getProperty(SKIP_PROPERTY))) {
            return null;
        }
        String gpu = queryGpu(nvidiaSmi);
        File library = cachedLibrary(extension);
        String problem = gpuProblem(gpu, library == null ? RELEASE_ARCHS : architectures(library.toPath()));
        if (problem == null) {
            boolean redist = CudaPreflight.class.getClassLoader().getResource(REDIST_CUBLAS) != null;
            problem = missingLibraries(extension, librarySearchPath(), redist);
        }
        if (problem != null) {
            throw new UserError(problem);
        }
        return gpu;
    }

    /**
     * Why a GPU described as {@code "name, major.minor"} (nvidia-smi's {@code name,compute_cap}) cannot run a library
     * carrying {@code archs}, or null when it can (or when either is unknown: the library's own error is then the
     * best there is).
     */
    static String gpuProblem(String gpu, Collection<String> archs) {
        if (gpu == null || archs == null || archs.isEmpty()) {
            return null;
        }
        int comma = gpu.lastIndexOf(',');
        String name = gpu.substring(0, Math.max(comma, 0)).trim();
        int capability = capability(gpu.substring(comma + 1).trim());
        if (capability < 0 || runs(capability, archs)) {
            return null;
        }
        return String.format(Locale.ROOT, "this GPU (%s, compute capability %d.%d) cannot run ND4J's CUDA build: "
                + "libnd4jcuda.so carries code for %s and none for this capability (machine code runs only within "
                + "its major version, and there is no PTX to compile for newer GPUs); use the CPU build "
                + "(mvn package without -Pcuda) or a GPU of a capability listed", name.isEmpty() ? "?" : name,
                capability / 10, capability % 10, String.join(", ", archs));
    }

    /** Whether code in {@code archs} runs on compute capability {@code cap} (major·10 + minor). */
    static boolean runs(int cap, Collection<String> archs) {
        for (String a : archs) {
            if (a.startsWith("sm_")) {
                int sm = Integer.parseInt(a.substring(3).replaceAll("\\D.*", ""));
                if (sm / 10 == cap / 10 && sm % 10 <= cap % 10) {
                    return true;
                }
            } else if (a.startsWith("compute_")) {
                if (Integer.parseInt(a.substring(8).replaceAll("\\D.*", "")) <= cap) {
                    return true;
                }
            }
        }
        return false;
    }

    /** "9.0" → 90; -1 when it is not a capability. */
    static int capability(String s) {
        String[] p = s.split("\\.");
        try {
            return p.length == 2 ? Integer.parseInt(p[0]) * 10 + Integer.parseInt(p[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The CUDA 11 libraries the search path does not provide, as one message; null when all are there or when the
     * {@code cuda-redist} jar brings them.
     */
    static String missingLibraries(String extension, List<Path> searchPath, boolean redist) {
        if (redist) {
            return null;
        }
        List<String> wanted = new ArrayList<>(CUDA_LIBRARIES);
        if (extension != null && extension.contains("cudnn")) {
            wanted.add(CUDNN);
        }
        List<String> missing = new ArrayList<>();
        for (String lib : wanted) {
            if (searchPath.stream().noneMatch(d -> Files.exists(d.resolve(lib)))) {
                missing.add(lib);
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        return "ND4J's CUDA build needs the CUDA 11 libraries " + String.join(", ", missing) + ", found in none of "
                + searchPath.size() + " library folders (LD_LIBRARY_PATH, ldconfig's cache, /usr/local/cuda*): install "
                + "CUDA 11.6" + (wanted.contains(CUDNN) ? " and cuDNN 8" : "") + ", or build with "
                + "mvn -Pcuda,cuda-redist package (1.8 GB more)";
    }

    /** LD_LIBRARY_PATH's folders, those of ldconfig's cache and the usual CUDA install folders. */
    static List<Path> librarySearchPath() {
        return librarySearchPath(System.getenv("LD_LIBRARY_PATH"), run("ldconfig", "-p"));
    }

    /** The same from LD_LIBRARY_PATH's value and {@code ldconfig -p}'s output (either may be null). */
    static List<Path> librarySearchPath(String ldLibraryPath, String ldconfigCache) {
        LinkedHashSet<Path> dirs = new LinkedHashSet<>();
        if (ldLibraryPath != null) {
            for (String d : ldLibraryPath.split(":")) {
                if (!d.isEmpty()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        if (ldconfigCache != null) {
            for (String line : ldconfigCache.split("\\R")) {
                int arrow = line.indexOf("=> ");
                Path parent = arrow < 0 ? null : Path.of(line.substring(arrow + 3).trim()).getParent();
                if (parent != null) {
                    dirs.add(parent);
                }
            }
        }
        for (String d : new String[] {"/usr/local/cuda/lib64", "/usr/local/cuda-11.6/lib64", "/usr/lib/x86_64-linux-gnu"}) {
            dirs.add(Path.of(d));
        }
        return new ArrayList<>(dirs);
    }

    /** nvidia-smi's "name, compute capability" of GPU 0, or null when it cannot say (no driver, old driver). */
    static String queryGpu(String nvidiaSmi) {
        String out = run(nvidiaSmi, "--query-gpu=name,compute_cap", "--format=csv,noheader", "-i", "0");
        if (out == null) {
            throw new UserError("ND4J's CUDA build needs an NVIDIA GPU and its driver, and " + nvidiaSmi + " did not answer "
                    + "here: use the CPU build (mvn package without -Pcuda), or skip this check with -D"
                    + SKIP_PROPERTY + "=false in CONDSEG_JAVA_OPTS");
        }
        String line = out.strip();
        return line.isEmpty() || !line.contains(",") ? null : line;
    }

    /** libnd4jcuda.so as JavaCPP extracts it from the backend jar (the extraction ND4J would do next), or null. */
    private static File cachedLibrary(String extension) {
        URL url = CudaPreflight.class.getClassLoader().getResource(
                "org/nd4j/linalg/jcublas/bindings/linux-x86_64" + (extension == null ? "" : extension) + "/libnd4jcuda.so");
        if (url == null) {
            return null;
        }
        try {
            return org.bytedeco.javacpp.Loader.cacheResource(url);
        } catch (IOException e) {
            return null;
        }
    }

    private static TreeSet<String> architectures(Path library) {
        try {
            return FatBinary.architectures(library);
        } catch (IOException e) {
            return null;
        }
    }

    /** A command's standard output, or null when it cannot run or fails. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
