package org.condseg.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import org.condseg.util.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The golden fixtures' deterministic weights (golden/README §3): every tensor is a formula of its state_dict
 * name and flat C-order index, computed in double and cast to float32 once. {@code h} = CRC32 of the UTF-8 name.
 * <ul>
 * <li>sin: s(i) = sin(0.6180339887498949·i + (h mod 10007)/10007·2π); weights s·sqrt(2/fan_in)</li>
 * <li>hash: r(i) = 2·fmix32(i·0x9E3779B9 + h)/2³² − 1; weights r·sqrt(3/fan_in)</li>
 * </ul>
 * Both: BN gamma 1 + 0.1·v, biases (BN beta included) 0.1·v, running_mean 0.1·v, running_var 1 + 0.5·|v|.
 */
public final class WeightFill {
    /** The two fill formulas. */
    public enum Formula {
        SIN,
        HASH;

        /** "sin" / "hash" (case-insensitive). */
        public static Formula parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError("unknown weight fill '" + s + "'; valid: sin, hash");
            }
        }
    }

    /** What a state_dict tensor is, which picks the rule. */
    public enum Kind {
        WEIGHT,
        BN_WEIGHT,
        BIAS,
        RUNNING_MEAN,
        RUNNING_VAR,
        OTHER;

        /**
         * From the name and shape: ndim ≥ 2 is a conv/linear weight, a 1-dim {@code .weight} a BN gamma (every
         * 1-dim weight in these models belongs to a BatchNorm2d), {@code .bias} a bias.
         */
        public static Kind infer(String name, long[] shape) {
            if (name.endsWith(".running_mean")) {
                return RUNNING_MEAN;
            }
            if (name.endsWith(".running_var")) {
                return RUNNING_VAR;
            }
            if (shape.length >= 2) {
                return WEIGHT;
            }
            if (name.endsWith(".bias")) {
                return BIAS;
            }
            if (name.endsWith(".weight")) {
                return BN_WEIGHT;
            }
            return OTHER;
        }

        /** From a manifest {@code kind} field (weight_fanin, bn_weight, bias, bn_running_mean, bn_running_var). */
        public static Kind fromManifest(String kind) {
            return switch (kind) {
                case "weight_fanin" -> WEIGHT;
                case "bn_weight" -> BN_WEIGHT;
                case "bias" -> BIAS;
                case "bn_running_mean" -> RUNNING_MEAN;
                case "bn_running_var" -> RUNNING_VAR;
                default -> OTHER;
            };
        }
    }

    private WeightFill() {
    }

    /** Fills every parameter and buffer of a model in place. */
    public static void fill(BuiltModel m, Formula f) {
        List<String> names = new ArrayList<>(m.trainableParams());
        names.addAll(m.buffers());
        for (String n : names) {
            INDArray dst = m.sd.getArrForVarName(n);
            dst.assign(tensor(f, n, dst.shape(), Kind.infer(n, dst.shape())));
        }
    }

    /** One filled tensor. */
    public static INDArray tensor(Formula f, String name, long[] shape, Kind kind) {
        long h = crc32(name);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        long fanIn = n / Math.max(1, shape.length > 0 ? shape[0] : 1);
        double gain = Math.sqrt((f == Formula.SIN ? 2.0 : 3.0) / fanIn);
        double phase = (h % 10007) / 10007.0 * 2.0 * Math.PI;
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            double s = f == Formula.SIN ? Math.sin(0.6180339887498949 * i + phase) : hash(i, h);
            double x = switch (kind) {
                case WEIGHT -> s * gain;
                case BN_WEIGHT -> 1.0 + 0.1 * s;
                case RUNNING_VAR -> 1.0 + 0.5 * Math.abs(s);
                default -> 0.1 * s;
            };
            v[i] = (float) x;
        }
        return Nd4j.create(v, shape, 'c');
    }

    /** r(i) of the hash fill, uniform in [−1, 1). */
    static double hash(long i, long h) {
        long t = i * 0x9E3779B9L + h;
        int a = (int) t;
        a ^= a >>> 16;
        a *= 0x85EBCA6B;
        a ^= a >>> 13;
        a *= 0xC2B2AE35;
        a ^= a >>> 16;
        return 2.0 * ((a & 0xFFFFFFFFL) / 4294967296.0) - 1.0;
    }

    static long crc32(String name) {
        CRC32 c = new CRC32();
        c.update(name.getBytes(StandardCharsets.UTF_8));
        return c.getValue();
    }
}
