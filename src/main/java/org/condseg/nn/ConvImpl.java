package org.condseg.nn;

import java.util.Locale;
import org.condseg.util.UserError;

/**
 * How {@link Conv} computes a convolution ({@code model.convImpl}, or the system property {@code condseg.convImpl},
 * which overrides the config so parity can be checked both ways without editing it).
 * NATIVE: libnd4j's conv2d / conv2d_bp. IM2COL: im2col and one batched matrix product (1×1 stride-1 convs: the
 * matrix product alone), the form measured faster than conv2d_bp on this CPU. AUTO: the implementation measured
 * fastest for the whole network; at present NATIVE (see {@link Conv#useIm2col}).
 */
public enum ConvImpl {
    AUTO,
    NATIVE,
    IM2COL;

    /** System property that, when set, overrides {@code model.convImpl}. */
    public static final String PROPERTY = "condseg.convImpl";

    /** Parses "auto" | "native" | "im2col" (any case); a bad value is a UserError naming {@code key}. */
    public static ConvImpl parse(String value, String key) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UserError(key + " must be auto, native or im2col, got '" + value + "'");
        }
    }

    /** The implementation to use: the system property when set, else {@code configured}. */
    public static ConvImpl effective(String configured) {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return parse(p, "-D" + PROPERTY);
        }
        return configured == null ? AUTO : parse(configured, "model.convImpl");
    }
}
