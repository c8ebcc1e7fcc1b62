package org.condseg.loss;

import org.condseg.nn.Relu;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PraNet's structure loss (Fan et al., MICCAI 2020, Eq. 3: L = L^w_IoU + L^w_BCE, the weighted losses of F3Net),
 * on logits z [B,1,H,W] and targets y [B,1,H,W]:
 * <pre>
 *   ω     = 1 + 5·|avgpool31(y) − y|          (31×31 mean, stride 1, zero padding 15 counted: divisor 961)
 *   wbce  = Σ ω·BCE(z, y) / Σ ω               (per image; BCE with logits)
 *   wiou  = 1 − (Σ ω·σ(z)·y + 1) / (Σ ω·(σ(z) + y) − Σ ω·σ(z)·y + 1)
 *   L     = mean over images of (wbce + wiou)
 * </pre>
 * Official PraNet code ({@link LossConfig#structureOfficialBce}): its {@code reduce='none'} argument is read by
 * PyTorch as the deprecated {@code reduce=True}, so the BCE half is the plain mean BCE of the batch (unweighted).
 * Deep supervision (Eq. 4) sums this loss over the outputs; see the stage-2 training graph.
 */
public final class StructureLoss {
    /** Side of the boundary-weight window. */
    public static final int WINDOW = 31;

    private StructureLoss() {
    }

    /** The boundary weight ω [B,1,H,W] of targets y (no gradient: y is data). */
    public static SDVariable weight(SameDiff sd, SDVariable y) {
        int pad = WINDOW / 2;
        SDVariable col = sd.constant(Nd4j.ones(y.dataType(), WINDOW, 1, 1, 1)); // [kH,kW,in,out]
        SDVariable row = sd.constant(Nd4j.ones(y.dataType(), 1, WINDOW, 1, 1));
        Conv2DConfig vc = Conv2DConfig.builder().kH(WINDOW).kW(1).sH(1).sW(1).pH(pad).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
        Conv2DConfig hc = Conv2DConfig.builder().kH(1).kW(WINDOW).sH(1).sW(1).pH(0).pW(pad).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
        SDVariable box = sd.cnn().conv2d(sd.cnn().conv2d(y, col, vc), row, hc); // [B,1,H,W] window sums
        SDVariable avg = box.div((double) WINDOW * WINDOW);
        return sd.math().abs(avg.sub(y)).mul(5.0).add(1.0);
    }

    /** L(z, y) for logits z and targets y; a scalar. */
    public static SDVariable loss(SameDiff sd, SDVariable z, SDVariable y, LossConfig cfg) {
        SDVariable w = weight(sd, y);
        // BCE with logits, stable form: max(z,0) − z·y + log(1 + e^(−|z|))
        SDVariable bce = Relu.apply(z).sub(z.mul(y)).add(sd.nn().softplus(sd.math().abs(z).neg()));
        SDVariable wbce = cfg.structureOfficialBce ? Reduce.mean(bce)
                : Reduce.sum(w.mul(bce), 2, 3).div(Reduce.sum(w, 2, 3)); // [] or [B,1]
        SDVariable p = sd.nn().sigmoid(z);
        SDVariable inter = Reduce.sum(p.mul(y).mul(w), 2, 3); // [B,1]
        SDVariable union = Reduce.sum(p.add(y).mul(w), 2, 3);
        SDVariable wiou = inter.add(1.0).div(union.sub(inter).add(1.0)).rsub(1.0); // [B,1]
        return Reduce.mean(wiou.add(wbce)); // []
    }
}
