package org.condseg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;

/**
 * PyTorch's ConvTranspose2d(cin→cout, k×k, stride, padding, output_padding): weight [in, out, k, k] under
 * {@code <module>.weight} (PyTorch init: fan_in = out·k·k), optional bias. Computed as libnd4j's deconv2d without
 * padding (full output (n−1)·stride + k, weights permuted to its [k,k,out,in] layout, which backprops in M2.1)
 * followed by a crop of {@code padding} at the start and {@code padding − output_padding} at the end, so the
 * output is (n−1)·stride − 2·padding + k + output_padding, exactly PyTorch's.
 */
public final class ConvTranspose {
    private ConvTranspose() {
    }

    public static SDVariable apply(Scope s, SDVariable x, int cin, int cout, int k, int stride, int pad, int outPad,
            boolean bias) {
        if (outPad > pad) {
            throw new IllegalArgumentException("output_padding " + outPad + " > padding " + pad);
        }
        double bound = Init.bound((long) cout * k * k);
        SDVariable w = s.uniformParam("weight", bound, cin, cout, k, k);
        DeConv2DConfig cfg = DeConv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(0).pW(0).dH(1).dW(1)
                .isSameMode(false).dataFormat("NCHW").build();
        SDVariable wk = w.permute(2, 3, 1, 0); // [k,k,out,in]
        SDVariable full = bias ? s.sd().cnn().deconv2d(x, wk, s.uniformParam("bias", bound, cout), cfg)
                : s.sd().cnn().deconv2d(x, wk, cfg); // [B,out,(h−1)s+k,(w−1)s+k]
        if (pad == 0) {
            return full;
        }
        int endCut = pad - outPad;
        int endMask = endCut == 0 ? 0b1111 : 0b0011;
        return s.sd().stridedSlice(full, new long[] {0, 0, pad, pad}, new long[] {0, 0, -endCut, -endCut},
                new long[] {1, 1, 1, 1}, 0b0011, endMask, 0, 0, 0); // [B,out,H',W']
    }
}
