package org.condseg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.condseg.nn.GraphMode;
import org.condseg.nn.SessionMemory;
import org.condseg.train.StepMemory;
import org.condseg.util.UnfilledArrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Forward passes free their intermediate arrays as they go and give what SameDiff's own memory manager gives. */
class InferenceMemoryTest {
    private static ModelConfig small() {
        ModelConfig m = new ModelConfig();
        m.width = 8;
        m.encoder = "resnet18";
        return m;
    }

    /** The mask and the auxiliary head's map of two passes, with {@code property} set to {@code value}. */
    private static INDArray[] twoPasses(BuiltModel m, INDArray x, String property, String value) {
        System.setProperty(property, value);
        try {
            INDArray[] r = new INDArray[4];
            for (int i = 0; i < 2; i++) {
                Map<String, INDArray> out = m.output(x, "mask", "M_fg");
                r[2 * i] = out.get("mask").dup();
                r[2 * i + 1] = out.get("M_fg").dup();
                StepMemory.close(out.values());
            }
            return r;
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void passesInUnfilledFreedMemoryEqualSameDiffsOwnAndFreeEverythingButTheOutputs() {
        Nd4j.getRandom().setSeed(11);
        BuiltModel m = ModelRegistry.build(small(), GraphMode.EVAL, true);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        INDArray[] own = twoPasses(m, x, SessionMemory.PROPERTY, "false"); // SameDiff's ArrayCacheMemoryMgr
        var session = m.sd().getSessions().get(Thread.currentThread().getId());
        assertFalse(session.getMmgr() instanceof SessionMemory, "switched off: SameDiff's own manager");

        int before = UnfilledArrays.outstanding();
        long made = UnfilledArrays.made();
        // every float op output starts as NaNs: an op reading what it did not write would spread them to the mask
        System.setProperty("condseg.poolMB", "0"); // no pool keeping freed buffers for the next pass: all closed
        INDArray[] poisoned;
        try {
            poisoned = twoPasses(m, x, UnfilledArrays.PROPERTY, "poison");
        } finally {
            System.clearProperty("condseg.poolMB");
        }
        SessionMemory mem = (SessionMemory) m.sd().getSessions().get(Thread.currentThread().getId()).getMmgr();
        for (int i = 0; i < own.length; i++) {
            assertEquals(own[i], poisoned[i], "output " + i);
        }
        assertEquals(own[0], own[2], "a pass repeats itself");
        assertTrue(UnfilledArrays.made() - made > 200, UnfilledArrays.made() - made + " op outputs poisoned");
        // most arrays die during the pass, once the last op reading them has run, not when it ends
        assertTrue(mem.freedEarly() > mem.allocated() / 2, mem.freedEarly() + " of " + mem.allocated() + " freed early");
        // CDFA's reshapes of arrays made in the pass are views of them, not copies (results equal above)
        assertTrue(mem.aliased() > 0, "reshapes made views");
        // the rest when it ends, and the outputs when the caller closes them
        assertEquals(before, UnfilledArrays.outstanding(), "every array of the passes freed");
        assertFalse(x.wasClosed(), "the caller's input stays open");
    }
}
