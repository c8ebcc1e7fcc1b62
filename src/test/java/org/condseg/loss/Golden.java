package org.condseg.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads ../shared/golden fixtures and compares with the README's rule max|a - ref| <= tol * max|ref|. */
final class Golden {
    static final Path ROOT = Path.of("..", "shared", "golden");

    private Golden() {
    }

    static INDArray npy(String rel) {
        return Nd4j.createFromNpyFile(ROOT.resolve(rel).toFile());
    }

    static JsonNode manifest(String fixture) {
        try {
            return new ObjectMapper().readTree(ROOT.resolve(fixture).resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** max|actual - ref| / max|ref| (0 if both are 0). */
    static double relErr(INDArray actual, INDArray ref) {
        INDArray a = actual.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        INDArray r = ref.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(a.shape());
        double diff = a.sub(r).amaxNumber().doubleValue();
        double scale = r.amaxNumber().doubleValue();
        return scale == 0 ? diff : diff / scale;
    }

    static void assertClose(String what, INDArray actual, INDArray ref, double tol) {
        double e = relErr(actual, ref);
        assertTrue(e <= tol, what + ": max rel error " + e + " > " + tol);
    }

    static void assertClose(String what, double actual, double ref, double tol) {
        double e = Math.abs(actual - ref) / Math.max(Math.abs(ref), Double.MIN_NORMAL);
        assertTrue(e <= tol, what + ": " + actual + " vs " + ref + " (rel " + e + " > " + tol + ")");
    }
}
