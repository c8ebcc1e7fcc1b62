package org.condseg.parity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** End-to-end parity of the full networks against the golden model fixtures (README §5 tolerances). */
class ModelParityTest {
    static final Path GOLDEN = Path.of("..", "shared", "golden");

    static void assertParity(String fixture, Set<String> modes, int minPass) {
        List<ParityResult> results = ParityRunner.checkModel(GOLDEN.resolve(fixture), modes);
        results.forEach(r -> System.out.println(fixture + ": " + r.line()));
        long pass = results.stream().filter(r -> r.status() == ParityResult.Status.PASS).count();
        assertTrue(pass >= minPass, fixture + ": only " + pass + " tensors passed");
        for (ParityResult r : results) {
            assertFalse(r.failed(), r.line());
        }
    }

    @Test
    void net0EvalSinFill() {
        assertParity("net0-64", Set.of("eval"), 3);
    }

    @Test
    void net0TrainHashFill() {
        assertParity("hashfill/net0-64", Set.of("train"), 4);
    }

    @Test
    void condsegEvalSinFill() {
        assertParity("condseg-full-64", Set.of("eval"), 35);
    }

    @Test
    void condsegTrainHashFill() {
        assertParity("hashfill/condseg-full-64", Set.of("train"), 40);
    }
}
