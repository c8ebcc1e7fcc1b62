package org.condseg.nn;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default initialisation, reproducible per variable: conv and linear weights and biases are drawn
 * from U(-1/sqrt(fan_in), +1/sqrt(fan_in)) (what {@code kaiming_uniform_(a=sqrt(5))} and the bias rule of
 * {@code nn.Conv2d}/{@code nn.Linear} give), BN gamma = 1, beta = 0, running mean 0, running var 1.
 * Each tensor has its own random stream, seeded from the model seed and the CRC32 of its name, so adding or
 * removing a layer never changes the values of the others.
 */
public final class Init {
    private static volatile DataType dtype = DataType.FLOAT;

    private Init() {
    }

    /** Floating-point type of newly built graphs: FLOAT, or DOUBLE for float64 reference runs (diagnostics). */
    public static DataType dtype() {
        return dtype;
    }

    /** Sets the floating-point type of graphs built from now on (FLOAT by default). */
    public static void setDtype(DataType t) {
        dtype = t;
    }

    /** U(-bound, bound) of the given shape, from the stream of {@code (seed, name)}. */
    public static INDArray uniform(long seed, String name, double bound, long... shape) {
        SplittableRandom rng = new SplittableRandom(streamSeed(seed, name));
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rng.nextDouble() * 2.0 - 1.0) * bound);
        }
        return Nd4j.create(v, shape, 'c').castTo(dtype);
    }

    /** A tensor filled with one value. */
    public static INDArray full(double value, long... shape) {
        return Nd4j.valueArrayOf(shape, value, dtype);
    }

    /** The PyTorch default bound 1/sqrt(fan_in). */
    public static double bound(long fanIn) {
        return 1.0 / Math.sqrt(fanIn);
    }

    static long streamSeed(long seed, String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        long z = seed * 0x9E3779B97F4A7C15L + crc.getValue();
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
