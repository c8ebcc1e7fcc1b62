package org.condseg.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Binary cross-entropy with PyTorch's {@code binary_cross_entropy} semantics (the BCE of Eq. 2):
 * {@code mean( -(y * max(log p, -100) + (1-y) * max(log(1-p), -100)) )} over every element.
 *
 * <p>Gradient at the clamp: where p is exactly 0 (or 1-p is exactly 0) the clamped log is the constant -100
 * and its gradient is 0, so a saturated sigmoid gives finite gradients (never 0*inf = NaN). PyTorch's
 * dedicated backward instead returns (p-y)/max(p(1-p), 1e-12) there (about 1e12/N); after the sigmoid that
 * produced p (derivative p(1-p) = 0 exactly) both give a zero gradient for the logit. Elsewhere the two agree.
 */
public final class Bce {
    /** PyTorch clamps each log term at -100. */
    public static final double LOG_FLOOR = -100.0;

    private Bce() {
    }

    /** Mean BCE of probabilities p against targets y (same shape, any rank); a scalar. */
    public static SDVariable bce(SameDiff sd, SDVariable p, SDVariable y) {
        SDVariable logP = clampedLog(sd, p);                 // same shape as p
        SDVariable log1mP = clampedLog(sd, p.rsub(1.0));     // log(1-p), clamped
        SDVariable elem = y.mul(logP).add(y.rsub(1.0).mul(log1mP)).neg();
        return Reduce.mean(elem);                            // [] scalar
    }

    /**
     * max(log x, -100) with a finite gradient everywhere: entries x <= 0 give exactly -100 with gradient 0
     * (the log is evaluated at 1 there, and masked out).
     */
    public static SDVariable clampedLog(SameDiff sd, SDVariable x) {
        SDVariable atZero = x.lte(0.0).castTo(x.dataType());          // 1 where x <= 0; a comparison: no gradient
        SDVariable safe = x.add(atZero);                               // 1 where x <= 0, else x
        SDVariable lg = sd.math().clipByValue(sd.math().log(safe), LOG_FLOOR, Float.MAX_VALUE);
        return lg.mul(atZero.rsub(1.0)).add(atZero.mul(LOG_FLOOR));
    }
}
