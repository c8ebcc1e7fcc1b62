package org.condseg.parity;

import java.util.Locale;

/**
 * One compared tensor: max |java − ref|, max |ref|, the tolerance (relative to max |ref|) and the verdict.
 * SKIP marks a stored tensor that is deliberately not compared (a loss/gradient tensor, or one the fixture's own
 * conditioning numbers show to be irreproducible in float32); it is not a failure.
 */
public record ParityResult(String tensor, double maxAbsErr, double maxAbsRef, double tol, Status status, String note) {
    public enum Status {
        PASS,
        FAIL,
        SKIP
    }

    static ParityResult compared(String tensor, double err, double ref, double tol, String note) {
        boolean ok = !Double.isNaN(err) && err <= tol * ref + 1e-30;
        return new ParityResult(tensor, err, ref, tol, ok ? Status.PASS : Status.FAIL, note);
    }

    static ParityResult fail(String tensor, String why) {
        return new ParityResult(tensor, Double.NaN, Double.NaN, Double.NaN, Status.FAIL, why);
    }

    static ParityResult skip(String tensor, String why) {
        return new ParityResult(tensor, Double.NaN, Double.NaN, Double.NaN, Status.SKIP, why);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    /** Relative error max|err| / max|ref|. */
    public double relErr() {
        return maxAbsRef > 0 ? maxAbsErr / maxAbsRef : maxAbsErr;
    }

    /** One report line. */
    public String line() {
        if (Double.isNaN(maxAbsErr)) {
            return String.format(Locale.ROOT, "%-4s %-60s %s", status, tensor, note == null ? "" : note);
        }
        return String.format(Locale.ROOT, "%-4s %-60s err %.3e  max|ref| %.3e  rel %.2e  tol %.1e%s", status, tensor,
                maxAbsErr, maxAbsRef, relErr(), tol, note == null || note.isEmpty() ? "" : "  (" + note + ")");
    }
}
