package org.condseg.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepExpanderTest {
    @TempDir
    Path dir;

    private List<RunSpec<TestConfigs.Root>> expand(String yaml, String... sets) throws IOException {
        Path f = dir.resolve("table7.yaml");
        Files.writeString(f, yaml);
        return new SweepExpander<>(TestConfigs.Root.class).expand(new ConfigLoader().sets(List.of(sets)).load(f));
    }

    private static List<String> names(List<? extends RunSpec<?>> runs) {
        return runs.stream().map(RunSpec::name).toList();
    }

    @Test
    void gridTimesVariantsTimesSeedsInDeclarationOrder() throws IOException {
        List<RunSpec<TestConfigs.Root>> runs = expand("""
                sweep:
                  model.cdfa.window: {values: [3, 5], label: K}
                  train.lr: [0.001, 1.0e-4]
                variants:
                  - {name: one-stage, set: {train.strategy: one_stage}}
                  - {name: two-stage-cr, set: {train: {strategy: two_stage_cr, epochs: 4}}}
                seeds: [0, 1]
                """);
        assertEquals(16, runs.size());
        assertEquals(List.of(
                "K3_lr0.001_one-stage/seed0", "K3_lr0.001_one-stage/seed1",
                "K3_lr0.001_two-stage-cr/seed0", "K3_lr0.001_two-stage-cr/seed1",
                "K3_lr0.0001_one-stage/seed0", "K3_lr0.0001_one-stage/seed1",
                "K3_lr0.0001_two-stage-cr/seed0", "K3_lr0.0001_two-stage-cr/seed1"), names(runs).subList(0, 8));
        assertEquals("K5_lr0.0001_two-stage-cr/seed1", runs.get(15).name());
        RunSpec<TestConfigs.Root> last = runs.get(15);
        assertEquals("K5_lr0.0001_two-stage-cr", last.group());
        assertEquals(1, last.seed());
        assertEquals(5, last.config().model.cdfa.window);
        assertEquals(1e-4, last.config().train.lr);
        assertEquals(TestConfigs.Strategy.TWO_STAGE_CR, last.config().train.strategy);
        assertEquals(4, last.config().train.epochs);
        assertEquals(10, runs.get(0).config().train.epochs); // a variant's keys stay in its own cells
        assertEquals(Map.of("model.cdfa.window", 5, "train.lr", 1e-4, "train.strategy", "two_stage_cr", "train.epochs", 4),
                last.overrides());
        assertEquals("table7", last.experiment());
    }

    @Test
    void namesUseTheKeyWhenNoLabelAndAreFilesystemSafe() throws IOException {
        List<RunSpec<TestConfigs.Root>> runs = expand("""
                sweep:
                  model:
                    encoder: [resnet50, pvt_v2_b2]
                  data.dataset: {values: ["kvasir seg/x"], label: ""}
                  model.channels: [[32, 64]]
                """);
        assertEquals(List.of("encoder-resnet50_kvasir_seg_x_channels32-64/seed0",
                "encoder-pvt_v2_b2_kvasir_seg_x_channels32-64/seed0"), names(runs));
        assertEquals(List.of(32, 64), runs.get(0).config().model.channels);
    }

    @Test
    void withoutSweepOrVariantsThereIsOneBaseCellPerSeed() throws IOException {
        List<RunSpec<TestConfigs.Root>> runs = expand("seeds: [3, 1]\n");
        assertEquals(List.of("base/seed3", "base/seed1"), names(runs));
        assertEquals(List.of("base/seed0"), names(expand("model: {width: 2}\n")));
        assertEquals(List.of("base/seed0", "base/seed1"), names(expand("{}\n", "seeds=[0,1]")));
    }

    @Test
    void sameConfigSameHashOtherSeedOtherHash() throws IOException {
        List<RunSpec<TestConfigs.Root>> runs = expand("seeds: [0, 1]\n");
        assertEquals(64, runs.get(0).hash().length());
        assertNotEquals(runs.get(0).hash(), runs.get(1).hash());
        assertEquals(runs.get(0).hash(), expand("seeds: [0, 1]\n").get(0).hash());
    }

    @Test
    void theSeedKeyReceivesEachCellsSeed() throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "seeds: [4, 7]\n");
        List<RunSpec<TestConfigs.Root>> runs = new SweepExpander<>(TestConfigs.Root.class).seedKey("train.seed")
                .expand(new ConfigLoader().load(f));
        assertEquals(4, runs.get(0).config().train.seed);
        assertEquals(7, runs.get(1).config().train.seed);
    }

    @Test
    void everyCellIsValidatedUpFrontNamingTheSweepOrVariant() throws IOException {
        UserError sweep = assertThrows(UserError.class, () -> expand("sweep: {model.cdfa.window: [3, 5, seven]}\n"));
        Path f = dir.resolve("table7.yaml");
        assertEquals(f + " (sweep): key 'model.cdfa.window' expects an integer, got \"seven\"", sweep.getMessage());
        UserError variant = assertThrows(UserError.class,
                () -> expand("variants: [{name: a, set: {}}, {name: b, set: {train.epoks: 3}}]\n"));
        assertEquals(f + " (variant b): unknown key 'train.epoks' (did you mean 'train.epochs'?)", variant.getMessage());
    }

    @Test
    void malformedSweepsVariantsAndSeedsAreUserErrors() throws IOException {
        Path f = dir.resolve("table7.yaml");
        assertEquals(f + ": sweep key 'model.width' expects a non-empty list of values, got 3",
                assertThrows(UserError.class, () -> expand("sweep: {model.width: 3}\n")).getMessage());
        assertEquals(f + ": sweep key 'seeds' is reserved; list the seeds under 'seeds'",
                assertThrows(UserError.class, () -> expand("sweep: {seeds: [1, 2]}\n")).getMessage());
        assertEquals(f + ": variant name 'a' is used twice",
                assertThrows(UserError.class, () -> expand("variants: [{name: a}, {name: a}]\n")).getMessage());
        assertEquals(f + ": variants[0] has unknown entries [sets] (expected name, set)",
                assertThrows(UserError.class, () -> expand("variants: [{name: a, sets: {}}]\n")).getMessage());
        assertEquals(f + ": key 'seeds' expects a list of distinct integers, got [0, 0]",
                assertThrows(UserError.class, () -> expand("seeds: [0, 0]\n")).getMessage());
        assertTrue(assertThrows(UserError.class, () -> expand("sweep: {model.cdfa.window: [1]}\n",
                "sweep.train.lr={values: [1.0, 1], label: lr}")).getMessage().contains("two cells get the run name 'window1_lr1/seed0'"));
    }

    @Test
    void shardsPartitionTheCellsAndBadShardsAreRejected() throws IOException {
        List<RunSpec<TestConfigs.Root>> runs = expand("sweep: {model.width: [1, 2, 3, 4, 5]}\n");
        List<String> all = names(runs);
        List<String> s0 = names(Shard.parse("0/2").select(runs));
        List<String> s1 = names(Shard.parse("1/2").select(runs));
        assertEquals(List.of("width1/seed0", "width3/seed0", "width5/seed0"), s0);
        assertEquals(List.of("width2/seed0", "width4/seed0"), s1);
        assertEquals(all, names(Shard.ALL.select(runs)));
        assertEquals(List.of(), Shard.parse("4/5").select(runs.subList(0, 3)));
        for (String bad : List.of("2/2", "1/0", "-1/2", "a/b", "1", "1/2/3")) {
            UserError e = assertThrows(UserError.class, () -> Shard.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--shard "), e.getMessage());
        }
    }

    @Test
    void dryRunListsOneLinePerCellWithTheVaryingKeys() throws IOException {
        List<RunSpec<TestConfigs.Root>> runs = expand("""
                sweep: {model.cdfa.window: {values: [3, 5], label: K}}
                variants: [{name: cr, set: {train.strategy: two_stage_cr}}]
                """);
        assertEquals("K3_cr/seed0  variant=cr model.cdfa.window=3 train.strategy=two_stage_cr seed=0\n"
                + "K5_cr/seed0  variant=cr model.cdfa.window=5 train.strategy=two_stage_cr seed=0\n",
                SweepExpander.dryRun(runs));
    }
}
