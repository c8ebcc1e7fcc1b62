package org.condseg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The golden weight formulas, checked against README §3.3's hand-worked values and every manifest CRC32. */
class WeightFillTest {
    static final Path GOLDEN = Path.of("..", "shared", "golden");

    @Test
    void handWorkedValuesOfReadme() {
        assertEquals(0x3db05663, bits(WeightFill.Formula.SIN, "layer0.0.weight", new long[] {64, 3, 7, 7}, 100));
        assertEquals(0x3e004d72, bits(WeightFill.Formula.HASH, "layer0.0.weight", new long[] {64, 3, 7, 7}, 100));
        assertEquals(0x3f6cab4d, bits(WeightFill.Formula.SIN, "layer0.1.weight", new long[] {64}, 3));
        assertEquals(0x3f8caa77, bits(WeightFill.Formula.HASH, "layer0.1.weight", new long[] {64}, 3));
        assertEquals(0xbdac2193, bits(WeightFill.Formula.SIN, "cdfa1.attn_fg.bias", new long[] {324}, 7));
        assertEquals(0x3dc00e4f, bits(WeightFill.Formula.HASH, "cdfa1.attn_fg.bias", new long[] {324}, 7));
        assertEquals(0x3fbdffa4, bits(WeightFill.Formula.SIN, "layer0.1.running_var", new long[] {64}, 5));
        assertEquals(0x3f899384, bits(WeightFill.Formula.HASH, "layer0.1.running_var", new long[] {64}, 5));
    }

    @Test
    void everyTensorOfTheFullModelManifestsHasTheRecordedCrc() throws Exception {
        for (String fixture : new String[] {"condseg-full-64", "hashfill/condseg-full-64", "modules"}) {
            JsonNode m = new ObjectMapper().readTree(GOLDEN.resolve(fixture).resolve("manifest.json").toFile());
            WeightFill.Formula f = WeightFill.Formula.parse(m.path("weight_fill").path("name").asText());
            int n = 0;
            Iterable<JsonNode> lists = m.has("modules")
                    ? () -> java.util.stream.StreamSupport.stream(m.get("modules").spliterator(), false)
                            .map(x -> x.path("state_dict")).iterator()
                    : java.util.List.of(m.get("state_dict"));
            for (JsonNode sdList : lists) {
                for (JsonNode e : sdList) {
                    if (!e.has("crc32_f32le")) {
                        continue;
                    }
                    long[] shape = new long[e.get("shape").size()];
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = e.get("shape").get(i).asLong();
                    }
                    String name = e.get("name").asText();
                    // infer the kind from the name, as WeightFill.fill does for a model
                    INDArray t = WeightFill.tensor(f, name, shape, WeightFill.Kind.infer(name, shape));
                    assertEquals(e.get("crc32_f32le").asText(), crc(t), fixture + " " + name);
                    n++;
                }
            }
            System.out.println(fixture + ": " + n + " tensors match their CRC32");
        }
    }

    static int bits(WeightFill.Formula f, String name, long[] shape, int index) {
        INDArray t = WeightFill.tensor(f, name, shape, WeightFill.Kind.infer(name, shape));
        return Float.floatToRawIntBits(t.reshape(-1).getFloat(index));
    }

    static String crc(INDArray t) {
        float[] v = t.reshape(-1).toFloatVector();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        CRC32 c = new CRC32();
        c.update(b.array());
        return String.format("%08x", c.getValue());
    }
}
