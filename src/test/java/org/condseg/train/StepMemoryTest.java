package org.condseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.condseg.loss.LossConfig;
import org.condseg.nn.SessionMemory;
import org.condseg.util.UnfilledArrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Freeing a step's arrays at once changes no result, and frees what it should. */
class StepMemoryTest {
    /** Losses of {@code n} stage-2 steps on one batch, the weight of cdfa1.proj after them, and the step itself. */
    private record Steps(double[] losses, INDArray weight, TrainStep step) {
    }

    /** {@code n} steps of a fresh network with the system property {@code property} set to {@code value}. */
    private static Steps train(String property, String value, INDArray x, INDArray y, int n) {
        System.setProperty(property, value);
        try {
            TrainStep step = TrainStep.stage2(TrainerTest.model(), new LossConfig());
            double[] losses = new double[n];
            for (int i = 0; i < n; i++) {
                losses[i] = step.run(x, y);
            }
            return new Steps(losses, step.model().sd().getArrForVarName("cdfa1.proj.weight").dup(), step);
        } finally {
            System.clearProperty(property);
        }
    }

    /** Bit-identical losses at every step and identical weights after them. */
    private static void assertSameTraining(Steps a, Steps b) {
        for (int i = 0; i < a.losses().length; i++) {
            assertEquals(a.losses()[i], b.losses()[i], 0.0, "loss of step " + (i + 1));
        }
        assertEquals(a.weight(), b.weight());
    }

    @Test
    void releasingStepArraysLeavesLossesAndWeightsUnchanged() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray y = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32).gt(0.5).castTo(DataType.FLOAT);
        Steps kept = train(StepMemory.PROPERTY, "false", x, y, 2);
        Steps released = train(StepMemory.PROPERTY, "true", x, y, 2);
        assertTrue(kept.losses()[1] != kept.losses()[0], "the steps train");
        assertSameTraining(kept, released);
        assertFalse(x.wasClosed() || y.wasClosed(), "the caller's batch stays open");
    }

    @Test
    void closingSessionArraysLeavesLossesAndWeightsUnchangedAndFreesAndReusesThem() {
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray y = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32).gt(0.5).castTo(DataType.FLOAT);
        Steps sameDiffs = train(SessionMemory.PROPERTY, "false", x, y, 3);
        assertEquals(null, SessionMemory.of(sameDiffs.step().model().sd()), "switched off: SameDiff's own manager");
        Steps closing = train(SessionMemory.PROPERTY, "true", x, y, 3);
        SessionMemory mem = SessionMemory.of(closing.step().model().sd()); // the manager the steps ran with
        assertSameTraining(sameDiffs, closing);
        // all three steps ran on the gradient function with this manager: every op output was allocated through it
        assertTrue(mem != null && mem.allocated() > 1000, "arrays handed out: " + (mem == null ? 0 : mem.allocated()));
        // most intermediate arrays die inside the step, once the last op reading them has run
        assertTrue(mem.freedEarly() > mem.allocated() / 2, mem.freedEarly() + " of " + mem.allocated() + " freed early");
        // and their buffers are handed out again (steps 2 and 3 repeat step 1's shapes): the identical losses and
        // weights above are with reused, uncleared buffers
        assertTrue(mem.reused() > mem.allocated() / 2, mem.reused() + " of " + mem.allocated() + " arrays reused");
        // and reshapes of those arrays are views of them (the identical training above is with views)
        assertTrue(mem.aliased() > 0, "reshapes made views");
    }

    @Test
    void withoutAPoolEveryArrayIsFreedAtOnceAndTrainingIsUnchanged() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray y = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32).gt(0.5).castTo(DataType.FLOAT);
        Steps pooled = train("condseg.poolMB", "1024", x, y, 2);
        assertTrue(SessionMemory.of(pooled.step().model().sd()).reused() > 0, "a 1 GB pool hands buffers out again");
        // pool 0: the default where glibc keeps freed memory (the launcher's setting)
        Steps unpooled = train("condseg.poolMB", "0", x, y, 2);
        SessionMemory mem = SessionMemory.of(unpooled.step().model().sd());
        assertSameTraining(pooled, unpooled);
        assertEquals(0, mem.reused(), "no buffer handed out twice");
        assertTrue(mem.freedEarly() > mem.allocated() / 2, mem.freedEarly() + " of " + mem.allocated()
                + " freed early");
    }

    @Test
    void opOutputsInUnfilledMemoryTrainAsZeroFilledOnesAndAreAllFreed() {
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray y = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32).gt(0.5).castTo(DataType.FLOAT);
        System.setProperty("condseg.poolMB", "0"); // no pool holding freed buffers for reuse: all closed at once
        try {
            unfilledTraining(x, y);
        } finally {
            System.clearProperty("condseg.poolMB");
        }
    }

    private static void unfilledTraining(INDArray x, INDArray y) {
        Steps filled = train(UnfilledArrays.PROPERTY, "false", x, y, 2);
        int before = UnfilledArrays.outstanding();
        long made = UnfilledArrays.made();
        // every float op output starts as NaNs: an op that reads what it did not write would spread them
        Steps poisoned = train(UnfilledArrays.PROPERTY, "poison", x, y, 2);
        assertSameTraining(filled, poisoned);
        assertTrue(UnfilledArrays.made() - made > 1000, UnfilledArrays.made() - made + " op outputs poisoned");
        assertEquals(before, UnfilledArrays.outstanding(), "every array of the steps freed when the step ended");
        Steps unfilled = train(UnfilledArrays.PROPERTY, "true", x, y, 2); // as shipped: arrays of 256 KB and more
        assertSameTraining(filled, unfilled);
        assertEquals(before, UnfilledArrays.outstanding());
    }

    @Test
    void closeSkipsViewsAndClosedArrays() {
        INDArray a = Nd4j.ones(DataType.FLOAT, 4, 4);
        INDArray view = a.getRow(1);
        StepMemory.close(List.of(view));
        assertFalse(a.wasClosed());
        StepMemory.close(a);
        assertTrue(a.wasClosed());
        StepMemory.close(a); // a second close is a no-op
        StepMemory.close((INDArray) null);
    }
}
