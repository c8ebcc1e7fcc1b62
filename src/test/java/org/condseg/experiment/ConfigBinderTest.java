package org.condseg.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
    private static final String FILE = "configs/ablation_window.yaml";
    private final ConfigBinder<TestConfigs.Root> binder = new ConfigBinder<>(TestConfigs.Root.class);

    private TestConfigs.Root bind(String yaml) {
        ConfigTree tree = new ConfigTree();
        tree.merge((java.util.Map<?, ?>) YamlIO.parse(yaml, FILE), FILE);
        return binder.bind(tree, Set.of());
    }

    private String error(String yaml) {
        return assertThrows(UserError.class, () -> bind(yaml)).getMessage();
    }

    @Test
    void absentKeysKeepTheirDefaultsAndNestedSectionsMergeKeyByKey() {
        TestConfigs.Root r = bind("model: {cdfa: {window: 5}}\ntrain: {lr: 1, steps: 7}");
        assertEquals(5, r.model.cdfa.window);
        assertEquals(8, r.model.cdfa.heads);
        assertEquals(64, r.model.width);
        assertEquals(1.0, r.train.lr);   // a double accepts an integer
        assertEquals(7L, r.train.steps);
        assertEquals(TestConfigs.Encoder.RESNET50, r.model.encoder);
    }

    @Test
    void unknownKeySuggestsTheNearestFullKeyPathAndNamesTheFile() {
        assertEquals(FILE + ": unknown key 'model.cdfa.windw' (did you mean 'model.cdfa.window'?)",
                error("model: {cdfa: {windw: 5}}"));
        assertEquals(FILE + ": unknown key 'trian' (did you mean 'train'?)", error("trian: {epochs: 2}"));
        assertEquals(FILE + ": unknown key 'model.zzzzzzzz' (valid keys under 'model': encoder, width, cdfa, channels)",
                error("model: {zzzzzzzz: 1}"));
    }

    @Test
    void wrongScalarTypesNameKeyExpectationAndValue() {
        assertEquals(FILE + ": key 'train.epochs' expects an integer, got \"ten\"", error("train: {epochs: ten}"));
        assertEquals(FILE + ": key 'train.epochs' expects an integer, got 5.0", error("train: {epochs: 5.0}"));
        assertEquals(FILE + ": key 'train.epochs' expects an integer, got 3000000000", error("train: {epochs: 3000000000}"));
        assertEquals(FILE + ": key 'train.lr' expects a number, got \"fast\"", error("train: {lr: fast}"));
        assertEquals(FILE + ": key 'model.cdfa.enabled' expects true or false, got 1", error("model: {cdfa: {enabled: 1}}"));
        assertEquals(FILE + ": key 'data.dataset' expects a string, got 42", error("data: {dataset: 42}"));
        assertEquals(FILE + ": key 'data.size' expects an integer, got null", error("data: {size: }"));
        assertEquals(FILE + ": key 'model.cdfa' expects a map of keys, got 5", error("model: {cdfa: 5}"));
    }

    @Test
    void enumsMatchCaseInsensitivelyAndListTheValidValues() {
        assertEquals(TestConfigs.Encoder.PVT_V2_B2, bind("model: {encoder: pvt-v2-b2}").model.encoder);
        assertEquals(TestConfigs.Strategy.ONE_STAGE, bind("train: {strategy: One_Stage}").train.strategy);
        assertEquals(FILE + ": key 'model.encoder' expects one of resnet50, vgg19, pvt_v2_b2, got \"resnet18\"",
                error("model: {encoder: resnet18}"));
    }

    @Test
    void listsAreTypedElementByElement() {
        TestConfigs.Root r = bind("train: {lrs: [1, 0.5]}\nmodel: {channels: []}\ndata: {augment: [a]}");
        assertEquals(List.of(1.0, 0.5), r.train.lrs);
        assertEquals(List.of(), r.model.channels);
        assertEquals(List.of("a"), r.data.augment);
        assertEquals(FILE + ": key 'model.channels[1]' expects an integer, got \"x\"", error("model: {channels: [1, x]}"));
        assertEquals(FILE + ": key 'model.channels' expects a list (of integer), got 3", error("model: {channels: 3}"));
    }

    @Test
    void nullIsAcceptedForBoxedFieldsOnly() {
        assertNull(bind("train: {clip: null}").train.clip);
        assertEquals(0.5, bind("train: {clip: 0.5}").train.clip);
        assertEquals(FILE + ": key 'model.channels' expects a list (of integer), got null", error("model: {channels: null}"));
    }

    @Test
    void keyPathsListSectionsAndLeavesInFieldOrder() {
        List<String> paths = binder.keyPaths();
        assertEquals("fidelity", paths.get(0));
        assertTrue(paths.indexOf("model.cdfa") < paths.indexOf("model.cdfa.window"));
        assertTrue(paths.contains("train.alignCorners"));
        assertEquals(List.of("data", "data.dataset", "data.size", "data.augment"), paths.subList(1, 5));
    }

    @Test
    void editDistanceCountsSingleEdits() {
        assertEquals(0, ConfigBinder.editDistance("abc", "abc"));
        assertEquals(1, ConfigBinder.editDistance("windw", "window"));
        assertEquals(2, ConfigBinder.editDistance("trian", "train"));
        assertEquals(3, ConfigBinder.editDistance("", "abc"));
    }

    @Test
    void reservedKeysCannotBeBound() {
        assertEquals(FILE + ": key 'seeds' is reserved and cannot be set here", error("seeds: [1]"));
    }
}
