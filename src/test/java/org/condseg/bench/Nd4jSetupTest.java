package org.condseg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class Nd4jSetupTest {
    @Test
    void threadCountPrecedenceIsPropertyThenEnvironmentThenOmpThenThePool() {
        assertEquals(3, Nd4jSetup.threads(Map.of(Nd4jSetup.THREADS_PROPERTY, "3"),
                Map.of(Nd4jSetup.THREADS_ENV, "2", "OMP_NUM_THREADS", "4"), 5));
        assertEquals(2, Nd4jSetup.threads(Map.of(), Map.of(Nd4jSetup.THREADS_ENV, " 2 ", "OMP_NUM_THREADS", "4"), 5));
        assertEquals(4, Nd4jSetup.threads(Map.of(), Map.of("OMP_NUM_THREADS", "4"), 5));
        assertEquals(5, Nd4jSetup.threads(Map.of(), Map.of(), 5));
        UserError e = assertThrows(UserError.class,
                () -> Nd4jSetup.threads(Map.of(), Map.of(Nd4jSetup.THREADS_ENV, "two"), 1));
        assertTrue(e.getMessage().contains(Nd4jSetup.THREADS_ENV), e.getMessage());
        assertThrows(UserError.class, () -> Nd4jSetup.threads(Map.of(Nd4jSetup.THREADS_PROPERTY, "0"), Map.of(), 1));
    }

    @Test
    void configureSetsThreadsAndTurnsProfilingOff() {
        int before = Nd4j.factory().blas().getMaxThreads();
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        try {
            Nd4jSetup.Applied a = Nd4jSetup.configure(1);
            assertEquals(1, Nd4j.factory().blas().getMaxThreads());
            assertEquals(1, ops.ompGetMaxThreads());
            assertEquals(Nd4j.getEnvironment().maxThreads(), a.poolThreads());
            assertEquals(OpExecutioner.ProfilingMode.DISABLED, Nd4j.getExecutioner().getProfilingMode());
            assertEquals(OpExecutioner.ProfilingMode.DISABLED, a.profiling());
            Nd4jSetup.configure(2);
            assertEquals(2, Nd4j.factory().blas().getMaxThreads());
            assertEquals(2, ops.ompGetMaxThreads());
            assertThrows(IllegalArgumentException.class, () -> Nd4jSetup.configure(0));
        } finally {
            Nd4jSetup.setThreads(before);
        }
    }
}
