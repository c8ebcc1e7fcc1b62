package org.condseg.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CudaPreflight}: which GPUs ND4J's CUDA build can run on, and what it needs installed. */
class CudaPreflightTest {
    /** What nd4j-cuda-11.6 1.0.0-M2.1's libnd4jcuda.so carries (both classifiers): machine code only, no PTX. */
    private static final TreeSet<String> M2_1 = new TreeSet<>(
            List.of("sm_37", "sm_50", "sm_52", "sm_60", "sm_61", "sm_70", "sm_75", "sm_80", "sm_86"));

    @TempDir
    Path dir;

    @Test
    void machineCodeRunsOnlyWithinItsMajorVersion() {
        assertTrue(CudaPreflight.runs(86, M2_1));                   // RTX 3090
        assertTrue(CudaPreflight.runs(89, M2_1));                   // RTX 4090: sm_86 code runs on 8.9
        assertTrue(CudaPreflight.runs(80, M2_1));                   // A100
        assertTrue(CudaPreflight.runs(72, M2_1));                   // Xavier: sm_70 code
        assertFalse(CudaPreflight.runs(90, M2_1));                  // H100 / H200
        assertFalse(CudaPreflight.runs(100, M2_1));                 // B200
        assertFalse(CudaPreflight.runs(35, M2_1));                  // K40: older than sm_37
    }

    @Test
    void ptxRunsOnItsCapabilityAndAbove() {
        assertTrue(CudaPreflight.runs(90, List.of("sm_80", "compute_80")));
        assertFalse(CudaPreflight.runs(75, List.of("compute_80")));
    }

    @Test
    void aHopperGpuGetsOneLineNamingItAndTheLibrarysCode() {
        String m = CudaPreflight.gpuProblem("NVIDIA H200, 9.0", M2_1);
        assertTrue(m.contains("NVIDIA H200, compute capability 9.0"), m);
        assertTrue(m.contains("sm_37, sm_50, sm_52, sm_60, sm_61, sm_70, sm_75, sm_80, sm_86"), m);
        assertFalse(m.contains("\n"));
        assertNull(CudaPreflight.gpuProblem("NVIDIA A100-SXM4-80GB, 8.0", M2_1));
    }

    @Test
    void anUnknownCapabilityOrLibraryLeavesTheDecisionToNd4j() {
        assertNull(CudaPreflight.gpuProblem("Tesla K80, [N/A]", M2_1));
        assertNull(CudaPreflight.gpuProblem(null, M2_1));
        assertNull(CudaPreflight.gpuProblem("NVIDIA H200, 9.0", null));
        assertEquals(90, CudaPreflight.capability("9.0"));
        assertEquals(-1, CudaPreflight.capability("[N/A]"));
    }

    @Test
    void namesEachCuda11LibraryMissingFromTheSearchPath() throws IOException {
        Path cuda13 = Files.createDirectories(dir.resolve("cuda-13.0"));
        Files.createFile(cuda13.resolve("libcublas.so.13"));
        Path cuda11 = Files.createDirectories(dir.resolve("cuda-11.6"));
        Files.createFile(cuda11.resolve("libcublas.so.11"));
        String m = CudaPreflight.missingLibraries("-cudnn", List.of(cuda13, cuda11), false);
        assertTrue(m.contains("libcusolver.so.11, libcudnn.so.8"), m);
        assertFalse(m.contains("libcublas"), m);
        assertTrue(m.contains("none of 2 library folders"), m);
        assertFalse(CudaPreflight.missingLibraries("", List.of(cuda13), false).contains("cudnn"));
        assertNull(CudaPreflight.missingLibraries("-cudnn", List.of(cuda13), true));
        Files.createFile(cuda11.resolve("libcusolver.so.11"));
        assertNull(CudaPreflight.missingLibraries("", List.of(cuda11), false));
    }

    @Test
    void theCudaBuildWithoutADriverIsOneLineAndTheCpuBuildIsNotChecked() {
        String none = dir.resolve("no-such-nvidia-smi").toString();
        UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class,
                () -> CudaPreflight.check("cuda", "-cudnn", none));
        assertTrue(e.getMessage().contains(none + " did not answer"), e.getMessage());
        CudaPreflight.check("cpu", "-onednn", none);
        CudaPreflight.check("", "", none);
    }
}
