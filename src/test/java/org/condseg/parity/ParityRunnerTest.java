package org.condseg.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runner is driven by the manifest alone: a fixture folder it has never seen (a module renamed, moved to
 * another folder), a corrupted reference, an unknown module type and a fixture of no supported kind.
 */
class ParityRunnerTest {
    static final Path MODULES = Path.of("..", "shared", "golden", "modules");
    @TempDir
    Path tmp;

    /** Copies module {@code src} of golden/modules into a new fixture folder under the key {@code key}. */
    Path fixture(String src, String key, String ctorOverride) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ObjectNode m = (ObjectNode) om.readTree(MODULES.resolve("manifest.json").toFile());
        ObjectNode spec = (ObjectNode) m.get("modules").get(src);
        if (ctorOverride != null) {
            spec.put("class", ctorOverride);
        }
        ObjectNode mods = om.createObjectNode();
        mods.set(key, spec);
        m.set("modules", mods);
        ArrayNode tensors = om.createArrayNode();
        Path dir = tmp.resolve("fx-" + key);
        for (var t : m.get("tensors")) {
            String file = t.get("file").asText();
            if (file.startsWith(src + "/")) {
                String moved = key + file.substring(src.length());
                Files.createDirectories(dir.resolve(moved).getParent());
                Files.copy(MODULES.resolve(file), dir.resolve(moved));
                ((ObjectNode) t).put("file", moved);
                tensors.add(t);
            }
        }
        m.set("tensors", tensors);
        Files.writeString(dir.resolve("manifest.json"), om.writeValueAsString(m));
        return dir;
    }

    static String run(Path dir, int[] rc) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        rc[0] = ParityRunner.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unseenFixtureFolderPassesAndACorruptedTensorFails() throws Exception {
        Path dir = fixture("sam", "attention_probe", null);
        int[] rc = new int[1];
        String out = run(dir, rc);
        assertEquals(0, rc[0], out);
        assertTrue(out.contains("PASS attention_probe/eval/out.npy"), out);
        assertTrue(out.contains("attention_probe/train_bwd/grad_x.npy"), out);

        Path ref = dir.resolve("attention_probe/eval/out.npy");
        INDArray a = Nd4j.createFromNpyFile(ref.toFile());
        a.putScalar(17, a.getDouble(17) + 1e-3 * a.amaxNumber().doubleValue());
        Files.delete(ref);
        Nd4j.writeAsNumpy(a, ref.toFile());
        out = run(dir, rc);
        assertEquals(1, rc[0], out);
        assertTrue(out.contains("FAIL attention_probe/eval/out.npy"), out);
    }

    @Test
    void unknownModuleTypeIsAClearFailure() throws Exception {
        Path dir = fixture("cam", "mystery", "squeeze_excite(in_planes=128)");
        List<ParityResult> r = ParityRunner.check(dir);
        assertTrue(r.stream().allMatch(ParityResult::failed));
        assertTrue(r.get(0).note().contains("'squeeze_excite' is not implemented"), r.get(0).line());
    }

    @Test
    void fixtureOfNoSupportedKindFails() {
        int[] rc = new int[1];
        String out = run(Path.of("..", "shared", "golden", "losses-metrics"), rc);
        assertEquals(1, rc[0]);
        assertTrue(out.contains("not a model or module fixture"), out);
    }
}
