package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * BatchNorm2d built from elementary ops (SameDiff's own batchNorm cannot build its gradient in M2.1).
 * Variables follow PyTorch: {@code weight} (gamma), {@code bias} (beta) trainable; {@code running_mean},
 * {@code running_var} constants. EVAL: y = (x - running_mean) / sqrt(running_var + eps) * gamma + beta.
 * TRAIN: normalises with the batch mean and the biased batch variance over (B,H,W) (see the shifted sums below),
 * and names two extra outputs,
 * {@code <module>.batch_mean} and {@code <module>.batch_var} (unbiased), for the running-statistics update.
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
            // inference only: libnd4j's fused batchnorm op (one op instead of nine; its gradient cannot be built
            // in M2.1, which is why TRAIN graphs use the elementary form below)
            s.addBnStat(new BnStat(s.path(), rm.name(), rv.name(), null, null));
            return sd.nn().batchNorm(x, rm, rv, gamma, beta, BnStat.EPS, 1);
        }
        // Shifted statistics: libnd4j sums float32 sequentially, so the mean of maps with a large offset
        // (|mean| >> std) loses digits that PyTorch keeps with its double accumulators. Subtracting one sample
        // per channel first (gradient-free; the result is the same mean) leaves only centred data to sum.
        SDVariable shift = new StopGradient(sd, sd.stridedSlice(x, new long[] {0, 0, 0, 0}, new long[] {1, 0, 1, 1},
                new long[] {1, 1, 1, 1}, 0, 0b10, 0, 0, 0)).outputVariable(); // [1,C,1,1]
        SDVariable xs = x.sub(shift);
        SDVariable ms = xs.mean(true, 0, 2, 3); // [1,C,1,1]
        SDVariable mean = ms.add(shift);
        SDVariable diff = xs.sub(ms);
        SDVariable var = diff.mul(diff).mean(true, 0, 2, 3); // biased, [1,C,1,1]
        SDVariable scale = sd.math().rsqrt(var.add(BnStat.EPS)).mul(gamma.reshape(1, c, 1, 1));
        SDVariable y = diff.mul(scale).add(beta.reshape(1, c, 1, 1));
        // unbiased variance for the running-statistics update: var * n / (n - 1), n = B*H*W (run only on request)
        SDVariable len = sd.size(x).castTo(Init.dtype()); // B·C·H·W
        SDVariable unbiased = var.reshape(c).mul(len.div(len.sub(c))); // × n/(n−1), n = B·H·W
        mean.reshape(c).rename(s.outputName("batch_mean"));
        unbiased.rename(s.outputName("batch_var"));
        s.addBnStat(new BnStat(s.path(), rm.name(), rv.name(), s.outputName("batch_mean"), s.outputName("batch_var")));
        return y;
    }
}
