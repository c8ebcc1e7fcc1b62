package org.condseg.nn;

import java.nio.file.Path;
import java.util.Map;
import org.condseg.parity.TensorCompare;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class UnfoldFoldTest {
    static final Path DIR = Path.of("..", "shared", "golden", "modules", "unfold_fold");

    @Test
    void unfoldAndFoldMatchTorch() {
        for (String name : new String[] {"x", "x_arange"}) {
            INDArray x = TensorCompare.load(DIR.resolve(name + ".npy")); // [1,2,4,5]
            SameDiff sd = SameDiff.create();
            SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 2, -1, -1);
            SDVariable cols = Unfold.apply(in, 3); // [1,2,3,3,4,5]
            SDVariable flat = cols.reshape(1, 18, 20);
            SDVariable back = Fold.apply(cols, 3);
            Map<String, INDArray> out = sd.output(Map.of("x", x), flat.name(), back.name());
            BilinearTest.check(out.get(flat.name()), TensorCompare.load(DIR.resolve("unfold_" + name + ".npy")));
            BilinearTest.check(out.get(back.name()), TensorCompare.load(DIR.resolve("fold_unfold_" + name + ".npy")));
        }
        INDArray cols = TensorCompare.load(DIR.resolve("cols.npy")); // [1,18,20]
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("c", DataType.FLOAT, 1, 18, 20);
        SDVariable folded = Fold.apply(in.reshape(1, 2, 3, 3, 4, 5), 3);
        BilinearTest.check(sd.output(Map.of("c", cols), folded.name()).get(folded.name()),
                TensorCompare.load(DIR.resolve("fold_cols.npy")));
    }

    /** Fold is Unfold's adjoint, so for L = Σ r·Fold(c), dL/dc = Unfold(r), for K = 3 and 5 and both entry points. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"3,false", "3,true", "5,false", "1,true"})
    void foldGradientIsTheUnfoldOfTheOutputGradient(int k, boolean fromSlots) {
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(k);
        long[] colsShape = {2, 3, k, k, 5, 6};
        INDArray cv = org.nd4j.linalg.factory.Nd4j.randn(DataType.FLOAT, colsShape);
        INDArray rv = org.nd4j.linalg.factory.Nd4j.randn(DataType.FLOAT, 2, 3, 5, 6);
        SameDiff sd = SameDiff.create();
        SDVariable c = sd.var("c", cv.dup());
        SDVariable folded;
        if (fromSlots) {
            SDVariable perm = c.mul(1.0).permute(2, 3, 0, 1, 4, 5).reshape(k * k, 2, 3, 5, 6); // [K²,B,C,H,W]
            folded = Fold.slots(sd.unstack(perm, 0, k * k), k);
        } else {
            folded = Fold.apply(c.mul(1.0), k);
        }
        folded.mul(sd.constant("r", rv)).sum().rename("loss");
        sd.setLossVariables("loss");
        INDArray dc = sd.calculateGradients(Map.of(), "c").get("c");
        SameDiff ref = SameDiff.create();
        SDVariable u = Unfold.apply(ref.constant("r", rv), k);
        BilinearTest.check(dc, ref.output(Map.of(), u.name()).get(u.name()));
    }
}
