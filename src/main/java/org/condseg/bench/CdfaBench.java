package org.condseg.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.condseg.model.condseg.Cdfa;
import org.condseg.nn.ConvImpl;
import org.condseg.nn.GradientStep;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Graphs;
import org.condseg.nn.Scope;
import org.condseg.nn.SessionMemory;
import org.condseg.train.StepMemory;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One CDFA block (paper Eq. 11–14) as its own graph, for the bench's "CDFA alone" rows: placeholders {@code x}
 * [B,inC,S,S], {@code fg} and {@code bg} [B,dim,S,S]. EVAL: the output; TRAIN: the gradients of every parameter of the
 * loss mean(out²).
 */
public final class CdfaBench {
    private final SameDiff sd;
    private final GraphMode mode;
    private final int inC;
    private final int dim;
    private final String out;
    private final List<String> wrt;

    private CdfaBench(SameDiff sd, GraphMode mode, int inC, int dim, String out, List<String> wrt) {
        this.sd = sd;
        this.mode = mode;
        this.inC = inC;
        this.dim = dim;
        this.out = out;
        this.wrt = wrt;
    }

    /** Builds the block with {@code impl} convolutions. */
    public static CdfaBench build(GraphMode mode, int inC, int dim, int heads, int window, ConvImpl impl) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, 0).convImpl(impl);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, inC, -1, -1); // [B,inC,S,S]
        SDVariable fg = sd.placeHolder("fg", DataType.FLOAT, -1, dim, -1, -1);
        SDVariable bg = sd.placeHolder("bg", DataType.FLOAT, -1, dim, -1, -1);
        SDVariable y = Cdfa.build(root.child("cdfa1"), x, fg, bg, inC, dim, heads, window, 1, false); // [B,dim,S,S]
        y.rename("out");
        sd.math().square(y).mean().rename("loss");
        sd.setLossVariables("loss");
        List<String> wrt = new ArrayList<>(root.params());
        return new CdfaBench(sd, mode, inC, dim, "out", wrt);
    }

    /** Random inputs at batch {@code b} and side {@code side}. */
    public Map<String, INDArray> feeds(int b, int side) {
        return Map.of("x", Nd4j.randn(DataType.FLOAT, b, inC, side, side), "fg",
                Nd4j.randn(DataType.FLOAT, b, dim, side, side), "bg", Nd4j.randn(DataType.FLOAT, b, dim, side, side));
    }

    /**
     * One inference (EVAL) or forward + backward (TRAIN) pass, each as models run it (BuiltModel.output, TrainStep);
     * the results are freed at once.
     */
    public void run(Map<String, INDArray> feeds) {
        if (mode == GraphMode.EVAL) {
            StepMemory.close(Graphs.output(sd, feeds, out).values()); // as models run (BuiltModel.output)
        } else {
            List<String> loss = List.of("loss"); // as training steps run (TrainStep): the session frees as it goes
            SessionMemory mem = SessionMemory.trainingStep(sd, loss, wrt);
            StepMemory.release(GradientStep.run(sd, mem, feeds, loss, wrt), mem);
        }
    }
}
