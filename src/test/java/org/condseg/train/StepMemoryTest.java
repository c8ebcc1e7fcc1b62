package org.condseg.train;

import org.condseg.nn.SessionMemory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.condseg.loss.LossConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Freeing a step's arrays at once changes no result, and frees what it should. */
class StepMemoryTest {
    @Test
    void releasingStepArraysLeavesLossesAndWeightsUnchanged() {
        double[][] losses = new double[2][];
        INDArray[] weights = new INDArray[2];
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray y = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32).gt(0.5).castTo(DataType.FLOAT);
        for (int run = 0; run < 2; run++) {
            System.setProperty(StepMemory.PROPERTY, run == 0 ? "false" : "true");
            try {
                TrainStep step = TrainStep.stage2(TrainerTest.model(), new LossConfig());
                losses[run] = new double[] {step.run(x, y), step.run(x, y)};
                weights[run] = step.model().sd().getArrForVarName("cdfa1.proj.weight").dup();
            } finally {
                System.clearProperty(StepMemory.PROPERTY);
            }
        }
        assertTrue(losses[0][1] != losses[0][0], "the steps train");
        for (int i = 0; i < 2; i++) {
            assertEquals(losses[0][i], losses[1][i], 0.0, "loss of step " + (i + 1));
        }
        assertEquals(weights[0], weights[1]);
        assertFalse(x.wasClosed() || y.wasClosed(), "the caller's batch stays open");
    }

    @Test
    void closingSessionArraysLeavesLossesAndWeightsUnchangedAndFreesThem() {
        double[][] losses = new double[2][];
        INDArray[] weights = new INDArray[2];
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray y = Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32).gt(0.5).castTo(DataType.FLOAT);
        SessionMemory mem = null;
        for (int run = 0; run < 2; run++) {
            System.setProperty(SessionMemory.PROPERTY, run == 0 ? "false" : "true");
            try {
                TrainStep step = TrainStep.stage2(TrainerTest.model(), new LossConfig());
                losses[run] = new double[] {step.run(x, y), step.run(x, y), step.run(x, y)};
                weights[run] = step.model().sd().getArrForVarName("cdfa1.proj.weight").dup();
                if (run == 1) {
                    mem = SessionMemory.of(step.model().sd()); // the manager the steps ran with
                } else {
                    assertEquals(null, SessionMemory.of(step.model().sd()), "switched off: SameDiff's own manager");
                }
            } finally {
                System.clearProperty(SessionMemory.PROPERTY);
            }
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(losses[0][i], losses[1][i], 0.0, "loss of step " + (i + 1));
        }
        assertEquals(weights[0], weights[1]);
        // steps 2 and 3 ran on the gradient function with this manager: each allocated every op output through it
        assertTrue(mem != null && mem.allocated() > 1000, "arrays handed out: " + (mem == null ? 0 : mem.allocated()));
        // most intermediate arrays die inside the step, once the last op reading them has run
        assertTrue(mem.freedEarly() > mem.allocated() / 2, mem.freedEarly() + " of " + mem.allocated() + " freed early");
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
