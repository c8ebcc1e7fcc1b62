package org.condseg.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvedConfigTest {
    @TempDir
    Path dir;

    @Test
    void dumpListsEveryKeyInFieldOrderIncludingDefaults() {
        TestConfigs.Root r = new TestConfigs.Root();
        r.model.cdfa.window = 5;
        assertEquals("""
                fidelity: paper
                data:
                  dataset: kvasir-seg
                  size: 256
                  augment: [flip, rotate]
                model:
                  encoder: resnet50
                  width: 64
                  cdfa:
                    window: 5
                    heads: 8
                    enabled: true
                  channels: [64, 128]
                train:
                  epochs: 10
                  lr: 1.0E-4
                  steps: 5000000000
                  lrs: [1.0E-5, 1.0E-4]
                  strategy: two_stage_cr
                  seed: 0
                  alignCorners: false
                  clip: null
                """, ResolvedConfig.toYaml(r));
    }

    @Test
    void resolvedYamlLoadsBackToAnEqualConfigWithTheSameHash() throws IOException {
        Path f = dir.resolve("exp.yaml");
        Files.writeString(f, """
                data: {dataset: "123", augment: []}
                model: {encoder: vgg19, cdfa: {window: 7}}
                train: {lr: 3.0e-7, lrs: [0.1], clip: 2.5, strategy: one-stage}
                seeds: [5]
                """);
        RunSpec<TestConfigs.Root> run = new SweepExpander<>(TestConfigs.Root.class).expand(new ConfigLoader().load(f)).get(0);
        Path resolved = dir.resolve("resolved.yaml");
        Files.writeString(resolved, run.resolvedYaml());

        RunSpec<TestConfigs.Root> again = new SweepExpander<>(TestConfigs.Root.class)
                .expand(new ConfigLoader().load(resolved)).get(0);
        assertEquals(ResolvedConfig.toTree(run.config()), ResolvedConfig.toTree(again.config()));
        assertEquals(run.resolvedYaml(), again.resolvedYaml());
        assertEquals(run.hash(), again.hash());
        assertEquals(5, again.seed());
        assertEquals("123", again.config().data.dataset); // a numeric-looking string stays a string
        assertEquals(3.0e-7, again.config().train.lr);
        assertEquals(2.5, again.config().train.clip);
        assertEquals(TestConfigs.Encoder.VGG19, again.config().model.encoder);
        assertEquals(List.of(), again.config().data.augment);
        assertTrue(run.resolvedYaml().startsWith("seeds: [5]\n"));
    }

    @Test
    void theHashIsTheSha256OfTheTextAndFollowsEveryValue() throws NoSuchAlgorithmException {
        TestConfigs.Root r = new TestConfigs.Root();
        String yaml = ResolvedConfig.forRun(r, 0);
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, ResolvedConfig.sha256(yaml));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ResolvedConfig.sha256(""));
        r.model.cdfa.heads = 4;
        assertNotEquals(ResolvedConfig.sha256(yaml), ResolvedConfig.sha256(ResolvedConfig.forRun(r, 0)));
    }
}
