package org.condseg.bench;

import java.util.ArrayList;
import java.util.List;
import org.condseg.nn.Relu;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synthetic SameDiff graphs for measuring per-op overhead and compute floors, independent of the model package.
 * Every graph has a float placeholder {@code x}, an output {@code out} and a scalar loss {@code loss}; the trainable
 * variables are listed by {@link Graph#trainable}.
 */
public final class SyntheticGraphs {
    /**
     * How a block normalises (training statistics): HAND = (x − μ)·rsqrt(σ² + ε)·γ + β as written (4 broadcast ops on
     * the full tensor); FOLDED = (x − μ)·(γ·rsqrt(σ² + ε)) + β (3 full-size broadcasts, the scale is computed on [1,C,1,1]);
     * SHIFT = x·s + t with s = γ·rsqrt(σ² + ε), t = β − μ·s and σ² = E[x²] − μ² (2 full-size broadcasts); FUSED = the
     * batchnorm op fed with batch statistics; NONE = no normalisation.
     */
    public enum Norm { HAND, FOLDED, SHIFT, FUSED, NONE }

    /**
     * How a 3×3 convolution is computed: OP = the conv2d op; IM2COL = im2col, a permute to [C·9, B·H·W] and one 2-D
     * matrix product (OpenBLAS sgemm); BATCHED = im2col reshaped to [B, C·9, H·W] and a batched product with the
     * weights tiled over the batch.
     */
    public enum ConvImpl { OP, IM2COL, BATCHED }

    /** A built graph with its input shape and trainable variable names. */
    public record Graph(SameDiff sd, long[] inputShape, List<String> trainable) {
        /** Number of forward ops in the graph. */
        public int forwardOps() {
            return sd.getOps().size();
        }
    }

    private SyntheticGraphs() {
    }

    /**
     * A chain of {@code n} tiny elementwise ops on a [4,16] tensor, cycling mul by a variable, add a scalar, tanh:
     * measures the pure per-op cost (the math is negligible).
     */
    public static Graph elementwiseChain(int n) {
        SameDiff sd = SameDiff.create();
        long[] shape = {4, 16};
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 16);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 1, 16).addi(0.5));
        SDVariable y = x;
        for (int i = 0; i < n; i++) {
            switch (i % 3) {
                case 0 -> y = y.mul(w);
                case 1 -> y = y.add(0.01);
                default -> y = sd.math().tanh(y);
            }
        }
        finish(sd, y);
        return new Graph(sd, shape, List.of("w"));
    }

    /**
     * {@code blocks} × [conv2d 3×3 (pad 1, no bias) → norm → ReLU] at {@code channels} channels on a
     * [batch, channels, size, size] input. The hand-built batch norm uses training statistics
     * (mean, mean of squared deviation, rsqrt, mul, mul, add: 9 ops with the subtraction and epsilon).
     */
    public static Graph convStack(int blocks, int channels, int batch, int size, Norm norm) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, channels, size, size); // [B,C,H,W]
        Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dataFormat("NCHW").build();
        List<String> trainable = new ArrayList<>();
        SDVariable y = x;
        double std = Math.sqrt(2.0 / (9.0 * channels));
        for (int b = 0; b < blocks; b++) {
            SDVariable w = sd.var("w" + b, Nd4j.randn(DataType.FLOAT, 3, 3, channels, channels).muli(std));
            trainable.add(w.name());
            y = sd.cnn().conv2d(y, w, cfg); // [B,C,H,W]
            if (norm != Norm.NONE) {
                SDVariable gamma = sd.var("g" + b, Nd4j.ones(DataType.FLOAT, 1, channels, 1, 1));
                SDVariable beta = sd.var("b" + b, Nd4j.zeros(DataType.FLOAT, 1, channels, 1, 1));
                trainable.add(gamma.name());
                trainable.add(beta.name());
                y = switch (norm) {
                    case HAND -> handBatchNorm(sd, y, gamma, beta);
                    case FOLDED -> foldedBatchNorm(sd, y, gamma, beta);
                    case SHIFT -> shiftBatchNorm(sd, y, gamma, beta);
                    default -> fusedBatchNorm(sd, y, gamma, beta);
                };
            }
            y = Relu.apply(y);
        }
        finish(sd, y);
        return new Graph(sd, new long[] {batch, channels, size, size}, trainable);
    }

    /** Training-mode batch norm from elementwise ops: (x − μ)·rsqrt(σ² + ε)·γ + β over axes 0, 2, 3. */
    static SDVariable handBatchNorm(SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta) {
        SDVariable mean = x.mean(true, 0, 2, 3); // [1,C,1,1]
        SDVariable d = x.sub(mean); // [B,C,H,W]
        SDVariable var = sd.math().square(d).mean(true, 0, 2, 3); // [1,C,1,1]
        SDVariable inv = sd.math().rsqrt(var.add(1e-5)); // [1,C,1,1]
        return d.mul(inv).mul(gamma).add(beta);
    }

    /** As {@link #handBatchNorm} with γ folded into the [1,C,1,1] scale: one full-size broadcast multiply fewer. */
    static SDVariable foldedBatchNorm(SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta) {
        SDVariable mean = x.mean(true, 0, 2, 3); // [1,C,1,1]
        SDVariable d = x.sub(mean); // [B,C,H,W]
        SDVariable var = sd.math().square(d).mean(true, 0, 2, 3); // [1,C,1,1]
        SDVariable scale = sd.math().rsqrt(var.add(1e-5)).mul(gamma); // [1,C,1,1]
        return d.mul(scale).add(beta);
    }

    /** x·s + t with s = γ·rsqrt(E[x²] − μ² + ε), t = β − μ·s: two full-size broadcasts, all else on [1,C,1,1]. */
    static SDVariable shiftBatchNorm(SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta) {
        SDVariable mean = x.mean(true, 0, 2, 3); // [1,C,1,1]
        SDVariable meanSq = sd.math().square(x).mean(true, 0, 2, 3); // [1,C,1,1]
        SDVariable var = meanSq.sub(sd.math().square(mean)); // [1,C,1,1]
        SDVariable scale = sd.math().rsqrt(var.add(1e-5)).mul(gamma); // [1,C,1,1]
        SDVariable shift = beta.sub(mean.mul(scale)); // [1,C,1,1]
        return x.mul(scale).add(shift);
    }

    /** Training-mode batch norm with the fused op on batch statistics (mean, variance, batchnorm: 3 ops). */
    static SDVariable fusedBatchNorm(SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta) {
        SDVariable mean = x.mean(false, 0, 2, 3); // [C]
        SDVariable var = sd.math().square(x.sub(x.mean(true, 0, 2, 3))).mean(false, 0, 2, 3); // [C]
        return sd.nn().batchNorm(x, mean, var, gamma.reshape(-1), beta.reshape(-1), 1e-5, 1);
    }

    /**
     * A single 3×3 conv2d (pad 1) on a [batch, cIn, size, size] (NCHW) or [batch, size, size, cIn] (NHWC) input,
     * with weights in {@code weights} layout, preceded by a scalar scale so the input gets a gradient too.
     */
    public static Graph singleConv(int cIn, int cOut, int batch, int size, String dataFormat, WeightsFormat weights) {
        SameDiff sd = SameDiff.create();
        boolean nhwc = "NHWC".equals(dataFormat);
        long[] in = nhwc ? new long[] {batch, size, size, cIn} : new long[] {batch, cIn, size, size};
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, in[1], in[2], in[3]); // [B,Ci,H,W] or [B,H,W,Ci]
        SDVariable s = sd.var("s", Nd4j.scalar(DataType.FLOAT, 1.0f));
        long[] wShape = switch (weights) {
            case YXIO -> new long[] {3, 3, cIn, cOut};
            case OIYX -> new long[] {cOut, cIn, 3, 3};
            case OYXI -> new long[] {cOut, 3, 3, cIn};
        };
        SDVariable w = sd.var("w", Nd4j.randn(DataType.FLOAT, wShape).muli(0.05));
        Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dataFormat(dataFormat)
                .weightsFormat(weights).build();
        SDVariable y = sd.cnn().conv2d(x.mul(s), w, cfg); // [B,Co,H,W] or [B,H,W,Co]
        finish(sd, y);
        return new Graph(sd, in, List.of("s", "w"));
    }

    /**
     * A 3×3 convolution (stride 1, pad 1, no bias) of NCHW {@code x} with {@code w} [3,3,C,O] (YXIO) computed as
     * {@code impl} says; {@code batch}, {@code c}, {@code size} are x's fixed dimensions.
     */
    public static SDVariable conv3x3(SameDiff sd, SDVariable x, SDVariable w, ConvImpl impl, int batch, int c, int o,
            int size) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dataFormat("NCHW").build();
        if (impl == ConvImpl.OP) {
            return sd.cnn().conv2d(x, w, cfg); // [B,O,H,W]
        }
        SDVariable wm = w.permute(3, 2, 0, 1).reshape(o, c * 9); // [O, C·9] in (c, ky, kx) order
        SDVariable cols = sd.cnn().im2Col(x, cfg); // [B,C,3,3,H,W]
        if (impl == ConvImpl.IM2COL) {
            SDVariable m = cols.permute(1, 2, 3, 0, 4, 5).reshape(c * 9, (long) batch * size * size); // [C·9, B·H·W]
            return sd.mmul(wm, m).reshape(o, batch, size, size).permute(1, 0, 2, 3); // [B,O,H,W]
        }
        SDVariable m = cols.reshape(batch, c * 9, size * size); // [B, C·9, H·W]
        SDVariable wb = sd.tile(wm.reshape(1, o, c * 9), sd.constant(Nd4j.createFromArray(batch, 1, 1))); // [B,O,C·9]
        return sd.mmul(wb, m).reshape(batch, o, size, size); // [B,O,H,W]
    }

    /** A single 3×3 conv ({@code impl}) of [batch, c, size, size] to c channels, with a scale before it. */
    public static Graph convImpl(ConvImpl impl, int c, int batch, int size) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, batch, c, size, size); // [B,C,H,W]
        SDVariable s = sd.var("s", Nd4j.scalar(DataType.FLOAT, 1.0f));
        Nd4j.getRandom().setSeed(7);
        SDVariable w = sd.var("w", Nd4j.randn(DataType.FLOAT, 3, 3, c, c).muli(0.05));
        finish(sd, conv3x3(sd, x.mul(s), w, impl, batch, c, c, size));
        return new Graph(sd, new long[] {batch, c, size, size}, List.of("s", "w"));
    }

    /**
     * One convolution of the model's kind ({@link org.condseg.nn.Conv}: PyTorch-layout weight, padding
     * dil·(k−1)/2) from {@code cin} to {@code cout} channels on a [batch, cin, size, size] input, with a scale
     * before it so the input gets a gradient; {@code im2col} picks {@link org.condseg.nn.Conv#im2col} over conv2d.
     */
    public static Graph modelConv(int cin, int cout, int k, int stride, int dil, int batch, int size, boolean im2col) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, cin, -1, -1); // [B,Ci,H,W]
        SDVariable s = sd.var("s", Nd4j.scalar(DataType.FLOAT, 1.0f));
        Nd4j.getRandom().setSeed(11);
        SDVariable w = sd.var("w", Nd4j.randn(DataType.FLOAT, cout, cin, k, k).muli(Math.sqrt(1.0 / (cin * k * k))));
        int pad = dil * (k - 1) / 2;
        SDVariable y = im2col ? org.condseg.nn.Conv.im2col(x.mul(s), w, null, cin, cout, k, stride, pad, dil)
                : org.condseg.nn.Conv.apply(x.mul(s), w, null, k, stride, pad, dil); // [B,Co,Ho,Wo]
        finish(sd, y);
        return new Graph(sd, new long[] {batch, cin, size, size}, List.of("s", "w"));
    }

    private static void finish(SameDiff sd, SDVariable y) {
        y.rename("out");
        sd.math().square(y).mean().rename("loss");
        sd.setLossVariables("loss");
    }
}
