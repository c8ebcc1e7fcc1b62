package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * BatchNorm2d. Variables follow PyTorch: {@code weight} (gamma), {@code bias} (beta) trainable; {@code running_mean},
 * {@code running_var} constants. EVAL: libnd4j's fused batchnorm with the running statistics,
 * y = (x - running_mean) / sqrt(running_var + eps) * gamma + beta. TRAIN: {@link BatchNormOps} (moments, fused
 * batchnorm, one batchnorm_bp backward) with the batch mean and the biased batch variance over (B,H,W), and two
 * extra named outputs, {@code <module>.batch_mean} and {@code <module>.batch_var} (unbiased), for the
 * running-statistics update.
 */
public final class BatchNorm {
    private BatchNorm() {
    }

    public static SDVariable apply(Scope s, SDVariable x, int c) {
        SameDiff sd = s.sd();
        SDVariable gamma = s.constParam("weight", 1.0, c);
        SDVariable beta = s.constParam("bias", 0.0, c);
        SDVariable rm = s.buffer("running_mean", 0.0, c);
        SDVariable rv = s.buffer("running_var", 1.0, c);
        if (s.mode() == GraphMode.EVAL) {
            s.addBnStat(new BnStat(s.path(), rm.name(), rv.name(), null, null));
            return sd.nn().batchNorm(x, rm, rv, gamma, beta, BnStat.EPS, 1);
        }
        SDVariable[] yStats = BatchNormOps.batchNorm(sd, x, gamma, beta, BnStat.EPS); // y, mean, biased var
        SDVariable y = yStats[0];
        SDVariable mean = yStats[1];
        SDVariable var = yStats[2];
        // unbiased variance for the running-statistics update: var * n / (n - 1), n = B*H*W (run only on request)
        SDVariable len = sd.size(x).castTo(Init.dtype()); // B·C·H·W
        SDVariable unbiased = var.mul(len.div(len.sub(c))); // × n/(n−1), n = B·H·W
        mean.rename(s.outputName("batch_mean"));
        unbiased.rename(s.outputName("batch_var"));
        s.addBnStat(new BnStat(s.path(), rm.name(), rv.name(), s.outputName("batch_mean"), s.outputName("batch_var")));
        return y;
    }
}
