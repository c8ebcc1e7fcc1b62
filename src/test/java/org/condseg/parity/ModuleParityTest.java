package org.condseg.parity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every stand-alone module of golden/modules: eval, train and train-mode gradients (README §5 tolerances). */
class ModuleParityTest {
    static final Path MODULES = Path.of("..", "shared", "golden", "modules");

    @ParameterizedTest
    @ValueSource(strings = {"cam", "sam", "dilated_conv", "cdfa", "decoder_block", "output_block", "decouple_layer",
        "aux_head", "cdfa_preprocess", "bilinear", "unfold_fold"})
    void moduleMatchesOfficialCode(String module) {
        List<ParityResult> results = ParityRunner.checkModule(MODULES, module);
        results.forEach(r -> System.out.println(module + ": " + r.line()));
        assertFalse(results.isEmpty());
        assertTrue(results.stream().anyMatch(r -> r.status() == ParityResult.Status.PASS));
        for (ParityResult r : results) {
            assertFalse(r.failed(), r.line());
        }
    }
}
