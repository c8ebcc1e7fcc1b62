package org.condseg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training-mode BatchNorm2d (BatchNormOps: moments + fused batchnorm, batchnorm_bp backward) against the definition
 * computed in double in Java: the output, the batch statistics for the running update, and the gradients of
 * L = Σ w·y² with respect to x, γ and β, where the gradient reaches x both directly and through the batch mean and
 * variance, with libnd4j's batchnorm_bp and with {@link BatchNormBackward}'s. {@code offset} puts the channel means far from zero (|mean| ≫ std), where float sums lose digits.
 */
class BatchNormTest {
    private static final long[] SHAPE = {3, 4, 6, 5};

    @ParameterizedTest
    @CsvSource({"0.0, false", "40.0, false", "0.0, true", "40.0, true"})
    void trainModeMatchesTheDefinitionInValueAndGradient(double offset, boolean javaBackward) {
        Nd4j.getRandom().setSeed(11);
        INDArray xv = Nd4j.rand(DataType.FLOAT, SHAPE).muli(3).subi(1.5).addi(offset);
        INDArray wv = Nd4j.rand(DataType.FLOAT, SHAPE).subi(0.3);
        double[] gammaV = {0.5, 1.5, -2.0, 1.0};
        double[] betaV = {0.1, -0.2, 0.3, 0.0};
        SameDiff sd = SameDiff.create();
        Scope s = Scope.root(sd, GraphMode.TRAIN, 1).child("bn");
        SDVariable x = sd.var("x", xv.dup());
        SDVariable y = BatchNorm.apply(s, x, 4).rename("y");
        sd.getVariable("bn.weight").setArray(Nd4j.createFromArray(gammaV).castTo(DataType.FLOAT));
        sd.getVariable("bn.bias").setArray(Nd4j.createFromArray(betaV).castTo(DataType.FLOAT));
        y.mul(y).mul(sd.constant("w", wv)).sum().rename("loss");
        sd.setLossVariables("loss");
        Map<String, INDArray> out = sd.output(Map.of(), "y", "bn.batch_mean", "bn.batch_var");
        long javaRuns = BatchNormBackward.runs();
        if (javaBackward) { // batchnorm_bp by BatchNormBackward, as in training steps; else libnd4j's
            Graphs.gradFunction(sd);
        }
        Map<String, INDArray> grad = sd.calculateGradients(Map.of(), "x", "bn.weight", "bn.bias");
        assertEquals(javaBackward ? 1 : 0, BatchNormBackward.runs() - javaRuns, "batchnorm_bp runs in Java");

        long b = SHAPE[0], c = SHAPE[1], h = SHAPE[2], w = SHAPE[3];
        long n = b * h * w;
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (long i = 0; i < b; i++) for (long r = 0; r < h; r++) for (long q = 0; q < w; q++) {
                mean += xv.getDouble(i, ch, r, q);
            }
            mean /= n;
            double var = 0;
            for (long i = 0; i < b; i++) for (long r = 0; r < h; r++) for (long q = 0; q < w; q++) {
                double d = xv.getDouble(i, ch, r, q) - mean;
                var += d * d;
            }
            var /= n;
            double inv = 1 / Math.sqrt(var + BnStat.EPS);
            assertEquals(mean, out.get("bn.batch_mean").getDouble(ch), 1e-5 * Math.max(1, Math.abs(offset)), "mean");
            assertEquals(var * n / (n - 1), out.get("bn.batch_var").getDouble(ch), 1e-3 * var, "unbiased var");
            // dL/dy = 2·w·y; dγ = Σ g·x̂; dβ = Σ g; dx = γ/σ · (g − mean(g) − x̂·mean(g·x̂))
            double sumG = 0, sumGx = 0;
            double[][][][] xhat = new double[(int) b][1][(int) h][(int) w];
            double[][][][] g = new double[(int) b][1][(int) h][(int) w];
            for (int i = 0; i < b; i++) for (int r = 0; r < h; r++) for (int q = 0; q < w; q++) {
                xhat[i][0][r][q] = (xv.getDouble(i, ch, r, q) - mean) * inv;
                double yy = gammaV[ch] * xhat[i][0][r][q] + betaV[ch];
                assertEquals(yy, out.get("y").getDouble(i, ch, r, q), 2e-4 * Math.max(1, Math.abs(yy)), "y");
                g[i][0][r][q] = 2 * wv.getDouble(i, ch, r, q) * yy;
                sumG += g[i][0][r][q];
                sumGx += g[i][0][r][q] * xhat[i][0][r][q];
            }
            assertEquals(sumGx, grad.get("bn.weight").getDouble(ch), 1e-3 * Math.max(1, Math.abs(sumGx)), "dgamma");
            assertEquals(sumG, grad.get("bn.bias").getDouble(ch), 1e-3 * Math.max(1, Math.abs(sumG)), "dbeta");
            double maxAbs = 0;
            for (int i = 0; i < b; i++) for (int r = 0; r < h; r++) for (int q = 0; q < w; q++) {
                double dx = gammaV[ch] * inv * (g[i][0][r][q] - sumG / n - xhat[i][0][r][q] * sumGx / n);
                maxAbs = Math.max(maxAbs, Math.abs(dx - grad.get("x").getDouble(i, ch, r, q)));
            }
            assertTrue(maxAbs < 2e-3, "dx of channel " + ch + " off by " + maxAbs);
        }
    }
}
