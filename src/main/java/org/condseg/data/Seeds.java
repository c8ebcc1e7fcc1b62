package org.condseg.data;

/** Derives independent seeds from a base seed and indices (SplitMix64 finaliser), so results never depend on threads. */
public final class Seeds {
    private Seeds() {
    }

    /** A well-mixed seed from a base seed and any number of indices. */
    public static long mix(long seed, long... parts) {
        long h = scramble(seed);
        for (long p : parts) {
            h = scramble(h ^ scramble(p + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long scramble(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
