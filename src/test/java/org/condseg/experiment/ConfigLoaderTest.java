package org.condseg.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String yaml) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, yaml);
        return f;
    }

    private static TestConfigs.Root bind(LoadedConfig c) {
        return new ConfigBinder<>(TestConfigs.Root.class).bind(c.tree(), c.presets().keys());
    }

    @Test
    void extendsListIsMergedInOrderThenTheFileOnTop() throws IOException {
        file("a.yaml", "model: {width: 16, cdfa: {window: 5}}\ndata: {size: 64}\n");
        file("b.yaml", "model: {width: 32}\ntrain: {epochs: 3}\n");
        Path f = file("top.yaml", "extends: [a.yaml, b.yaml]\ntrain: {lr: 0.01}\n");
        LoadedConfig c = new ConfigLoader().load(f);
        TestConfigs.Root r = bind(c);
        assertEquals(32, r.model.width);        // b after a
        assertEquals(5, r.model.cdfa.window);   // deep merge kept a's nested key
        assertEquals(8, r.model.cdfa.heads);    // default untouched
        assertEquals(64, r.data.size);
        assertEquals(3, r.train.epochs);
        assertEquals(0.01, r.train.lr);
        assertEquals("top", c.experiment());
        assertEquals(dir.resolve("b.yaml").toString(), c.tree().originOf("model.width"));
        assertEquals(dir.resolve("a.yaml").toString(), c.tree().originOf("model.cdfa.window"));
    }

    @Test
    void nestedChainsResolvePathsRelativeToEachFile() throws IOException {
        file("base/root.yaml", "data: {size: 128, augment: [flip]}\nmodel: {channels: [1, 2, 3]}\n");
        file("base/mid.yaml", "extends: root.yaml\ndata: {dataset: glas}\n");
        Path f = file("configs/exp.yaml", "extends: ../base/mid.yaml\nmodel: {channels: [9]}\n");
        TestConfigs.Root r = bind(new ConfigLoader().load(f));
        assertEquals(128, r.data.size);
        assertEquals("glas", r.data.dataset);
        assertEquals(List.of("flip"), r.data.augment);
        assertEquals(List.of(9), r.model.channels); // lists replace, never append
    }

    @Test
    void aDiamondAppliesTheSharedParentOnce() throws IOException {
        file("base.yaml", "model: {width: 8}\n");
        file("b.yaml", "extends: base.yaml\nmodel: {width: 16}\n");
        file("c.yaml", "extends: base.yaml\ntrain: {epochs: 2}\n");
        Path f = file("a.yaml", "extends: [b.yaml, c.yaml]\n");
        TestConfigs.Root r = bind(new ConfigLoader().load(f));
        assertEquals(16, r.model.width); // base is not re-applied after b by c's chain
        assertEquals(2, r.train.epochs);
    }

    @Test
    void anExtendsCycleIsAnErrorNamingTheChain() throws IOException {
        file("x.yaml", "extends: y.yaml\n");
        file("y.yaml", "extends: z.yaml\n");
        file("z.yaml", "extends: x.yaml\n");
        UserError e = assertThrows(UserError.class, () -> new ConfigLoader().load(dir.resolve("x.yaml")));
        assertEquals(dir.resolve("z.yaml") + ": extends cycle: x.yaml -> y.yaml -> z.yaml -> x.yaml", e.getMessage());
    }

    @Test
    void aMissingParentNamesTheFileThatAskedForIt() throws IOException {
        Path f = file("a.yaml", "extends: nope.yaml\n");
        UserError e = assertThrows(UserError.class, () -> new ConfigLoader().load(f));
        assertTrue(e.getMessage().startsWith(f + ": extends 'nope.yaml': no such file"), e.getMessage());
    }

    @Test
    void theQuickProfileAppliesByDefaultAndOthersByName() throws IOException {
        file("base.yaml", "profiles:\n  quick: {data: {size: 32}}\n  paper: {data: {size: 352}, train: {epochs: 100}}\n");
        Path f = file("exp.yaml", "extends: base.yaml\ndata: {size: 256}\nprofiles: {quick: {train: {epochs: 1}}}\n");
        LoadedConfig quick = new ConfigLoader().load(f);
        assertEquals("quick", quick.profile());
        TestConfigs.Root q = bind(quick);
        assertEquals(32, q.data.size);   // profile beats the file
        assertEquals(1, q.train.epochs); // profiles merge across files
        assertEquals(dir.resolve("exp.yaml") + " (profile quick)", quick.tree().originOf("train.epochs"));
        assertEquals(dir.resolve("base.yaml") + " (profile quick)", quick.tree().originOf("data.size"));

        TestConfigs.Root p = bind(new ConfigLoader().profile("paper").load(f));
        assertEquals(352, p.data.size);
        assertEquals(100, p.train.epochs);
    }

    @Test
    void anUnknownProfileListsTheValidOnes() throws IOException {
        Path f = file("exp.yaml", "profiles: {quick: {}, paper: {data: {size: 352}}}\n");
        UserError e = assertThrows(UserError.class, () -> new ConfigLoader().profile("fast").load(f));
        assertEquals(f + ": unknown profile 'fast'; valid profiles: paper, quick", e.getMessage());
        Path none = file("none.yaml", "data: {size: 1}\n");
        assertNull(new ConfigLoader().load(none).profile()); // default quick is optional
        UserError e2 = assertThrows(UserError.class, () -> new ConfigLoader().profile("paper").load(none));
        assertEquals(none + ": unknown profile 'paper'; the config defines no profiles", e2.getMessage());
    }

    @Test
    void setOverridesAreTypedAsYamlAndComeLast() throws IOException {
        Path f = file("exp.yaml", "profiles: {quick: {model: {cdfa: {window: 7}}}}\n");
        LoadedConfig c = new ConfigLoader()
                .set("model.cdfa.window=5")
                .set("train.lr=1e-3")
                .set("model.channels=[4, 8]")
                .set("data.dataset=kvasir-sessile")
                .set("model.cdfa.enabled=false")
                .set("seeds=[0,1]")
                .load(f);
        ConfigTree withoutSeeds = c.tree().copy();
        withoutSeeds.remove("seeds");
        TestConfigs.Root r = new ConfigBinder<>(TestConfigs.Root.class).bind(withoutSeeds, java.util.Set.of());
        assertEquals(5, r.model.cdfa.window); // --set beats the profile
        assertEquals(1e-3, r.train.lr);
        assertEquals(List.of(4, 8), r.model.channels);
        assertEquals("kvasir-sessile", r.data.dataset);
        assertEquals(false, r.model.cdfa.enabled);
        assertEquals(List.of(0, 1), c.tree().get("seeds"));
        assertEquals("--set model.cdfa.window=5", c.tree().originOf("model.cdfa.window"));
    }

    @Test
    void setErrorsNameTheOverride() throws IOException {
        Path f = file("exp.yaml", "data: {size: 1}\n");
        UserError missingEq = assertThrows(UserError.class, () -> new ConfigLoader().set("model.width").load(f));
        assertEquals("--set model.width: expected key.path=value", missingEq.getMessage());
        LoadedConfig c = new ConfigLoader().set("model.widht=3").load(f);
        UserError unknown = assertThrows(UserError.class, () -> bind(c));
        assertEquals("--set model.widht=3: unknown key 'model.widht' (did you mean 'model.width'?)", unknown.getMessage());
        UserError bad = assertThrows(UserError.class, () -> new ConfigLoader().set("model.channels=[1, 2").load(f));
        assertTrue(bad.getMessage().startsWith("--set model.channels=[1, 2:1:"), bad.getMessage());
    }

    @Test
    void malformedYamlNamesFileLineAndColumnOnOneLine() throws IOException {
        Path f = file("bad.yaml", "model:\n  width: 3\n  cdfa: {window: 5\ntrain: {}\n");
        UserError e = assertThrows(UserError.class, () -> new ConfigLoader().load(f));
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(f.toString()) + ":4:\\d+: malformed YAML: .+"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        Path tab = file("tab.yaml", "model:\n  width: 3\n   heads: 2\n");
        UserError e2 = assertThrows(UserError.class, () -> new ConfigLoader().load(tab));
        assertTrue(e2.getMessage().startsWith(tab + ":3:"), e2.getMessage());
    }

    @Test
    void duplicateKeysAndNonMapDocumentsAreRejected() throws IOException {
        Path dup = file("dup.yaml", "model: {width: 3}\nmodel: {width: 4}\n");
        UserError e = assertThrows(UserError.class, () -> new ConfigLoader().load(dup));
        assertTrue(e.getMessage().startsWith(dup + ":2:"), e.getMessage());
        assertTrue(e.getMessage().contains("duplicate key"), e.getMessage());
        Path list = file("list.yaml", "- a\n- b\n");
        UserError e2 = assertThrows(UserError.class, () -> new ConfigLoader().load(list));
        assertEquals(list + ": the top level must be a map of keys, got [a, b]", e2.getMessage());
    }

    @Test
    void javaTagsAreNotConstructed() throws IOException {
        Path f = file("evil.yaml", "x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]\n");
        UserError e = assertThrows(UserError.class, () -> new ConfigLoader().load(f));
        assertTrue(e.getMessage().startsWith(f + ":1:"), e.getMessage());
    }

    @Test
    void dottedKeysInFilesMeanNestedKeys() throws IOException {
        Path f = file("exp.yaml", "model.cdfa.window: 9\nmodel: {width: 2}\n");
        TestConfigs.Root r = bind(new ConfigLoader().load(f));
        assertEquals(9, r.model.cdfa.window);
        assertEquals(2, r.model.width);
    }

    @Test
    void experimentNameDefaultsToTheFileStem() throws IOException {
        assertEquals("ablation_window", new ConfigLoader().load(file("ablation_window.yaml", "")).experiment());
        assertEquals("table7", new ConfigLoader().load(file("x.yml", "experiment: table7\n")).experiment());
        Path bad = file("y.yaml", "experiment: ../escape\n");
        UserError e = assertThrows(UserError.class, () -> new ConfigLoader().load(bad));
        assertEquals(bad + ": key 'experiment' must be a folder name of letters, digits, '.', '_' or '-' "
                + "(set experiment: NAME), got \"../escape\"", e.getMessage());
        Path spaced = file("my table.yaml", "{}\n");
        UserError e2 = assertThrows(UserError.class, () -> new ConfigLoader().load(spaced));
        assertTrue(e2.getMessage().startsWith(spaced + ": the file name must be a folder name"), e2.getMessage());
    }

    @Test
    void presetsApplyBeneathTheLayerThatSelectsThem() throws IOException {
        Presets presets = new Presets()
                .register("fidelity", "paper", Map.of("train.alignCorners", false, "model.cdfa.heads", 8))
                .register("fidelity", "official", Map.of("train.alignCorners", true, "model.cdfa.heads", 4));
        file("base.yaml", "model: {cdfa: {heads: 2}}\n");
        Path f = file("exp.yaml", "extends: base.yaml\nfidelity: official\nmodel: {cdfa: {heads: 6}}\n");
        LoadedConfig c = new ConfigLoader().presets(presets).load(f);
        TestConfigs.Root r = bind(c);
        assertEquals("official", r.fidelity);
        assertTrue(r.train.alignCorners);       // from the preset, over base.yaml's (default) value
        assertEquals(6, r.model.cdfa.heads);     // the same file's explicit key wins over its preset
        assertEquals("preset fidelity=official (" + f + ")", c.tree().originOf("train.alignCorners"));

        TestConfigs.Root back = bind(new ConfigLoader().presets(presets).set("fidelity=PAPER").load(f));
        assertEquals(false, back.train.alignCorners); // a later layer switches every preset key back
        assertEquals(8, back.model.cdfa.heads);

        UserError e = assertThrows(UserError.class,
                () -> new ConfigLoader().presets(presets).set("fidelity=exact").load(f));
        assertEquals("--set fidelity=exact: key 'fidelity' expects one of paper, official, got \"exact\"", e.getMessage());
    }
}
