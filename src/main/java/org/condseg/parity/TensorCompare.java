package org.condseg.parity;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.condseg.util.UserError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reading fixture tensors and the max-abs comparison of README §5 (error relative to max|ref|). */
public final class TensorCompare {
    private TensorCompare() {
    }

    /** Loads a little-endian C-order .npy file (as float32 unless it is float64). */
    public static INDArray load(Path npy) {
        if (!Files.isRegularFile(npy)) {
            throw new UserError("missing fixture tensor " + npy);
        }
        File f = npy.toFile();
        INDArray a = Nd4j.createFromNpyFile(f);
        return a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.FLOAT);
    }

    /** max |a − b| in double precision; shapes must match. */
    public static double maxAbsDiff(INDArray a, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("shape " + Arrays.toString(a.shape()) + " vs " + Arrays.toString(b.shape()));
        }
        INDArray da = a.castTo(DataType.DOUBLE);
        INDArray db = b.castTo(DataType.DOUBLE);
        return da.sub(db).amaxNumber().doubleValue();
    }

    /** max |a|. */
    public static double maxAbs(INDArray a) {
        return a.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
    }

    /** x − mean(x), in double precision. */
    public static INDArray centred(INDArray x) {
        INDArray d = x.castTo(DataType.DOUBLE);
        return d.sub(d.meanNumber().doubleValue());
    }
}
