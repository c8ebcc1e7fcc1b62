package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GradientStep} returns what SameDiff's calculateGradientsAndOutputs returns: the loss, an intermediate output
 * that later ops read (as the batch statistics are), and every parameter's gradient, over two steps on one graph.
 */
class GradientStepTest {
    @Test
    void sameOutputsAndGradientsAsSameDiff() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 5);
        SDVariable w1 = sd.var("w1", Nd4j.randn(DataType.FLOAT, 5, 4));
        SDVariable w2 = sd.var("w2", Nd4j.randn(DataType.FLOAT, 4, 3));
        SDVariable h = sd.math().tanh(x.mmul(w1)).rename("h"); // read by the next op and requested
        SDVariable y = h.mmul(w2);
        y.mul(y).sum().rename("loss");
        sd.setLossVariables("loss");
        Graphs.createGradFunction(sd);
        List<String> outputs = List.of("loss", "h");
        List<String> params = List.of("w1", "w2");
        for (int step = 0; step < 2; step++) {
            Map<String, INDArray> feeds = Map.of("x", Nd4j.randn(DataType.FLOAT, 6, 5));
            OutAndGrad ref = sd.calculateGradientsAndOutputs(feeds, outputs, params);
            Map<String, INDArray> refOut = Map.of("loss", ref.getOutputs().get("loss").dup(), "h",
                    ref.getOutputs().get("h").dup());
            Map<String, INDArray> refGrad = Map.of("w1", ref.getGradients().get("w1").dup(), "w2",
                    ref.getGradients().get("w2").dup());
            SessionMemory mem = SessionMemory.trainingStep(sd, outputs, params);
            assertNotNull(mem, "the session memory manager is on by default");
            OutAndGrad og = GradientStep.run(sd, mem, feeds, outputs, params);
            for (String o : outputs) {
                assertEquals(refOut.get(o), og.getOutputs().get(o), "output " + o + ", step " + step);
            }
            for (String p : params) {
                assertEquals(refGrad.get(p), og.getGradients().get(p), "gradient of " + p + ", step " + step);
            }
        }
        assertEquals(1, sinks(sd), "one sink, reused by the second step");
        // another set of wanted arrays gets a sink of its own
        Map<String, INDArray> feeds = Map.of("x", Nd4j.randn(DataType.FLOAT, 2, 5));
        INDArray ref = sd.calculateGradientsAndOutputs(feeds, List.of("loss"), List.of("w2")).getGradients().get("w2").dup();
        SessionMemory mem = SessionMemory.trainingStep(sd, List.of("loss"), List.of("w2"));
        assertEquals(ref, GradientStep.run(sd, mem, feeds, List.of("loss"), List.of("w2")).getGradients().get("w2"));
        assertEquals(2, sinks(sd));
    }

    private static long sinks(SameDiff sd) {
        return sd.getFunction("grad").variables().stream().filter(v -> v.name().startsWith("condseg_step_sink_")).count();
    }
}
