package org.condseg.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run records across code versions: a resolved.yaml written before a config key existed lacks that key. When
 * every other key is equal and every missing key has its default value now (new keys default to the behaviour
 * the code had before them), the record describes the same config as the run now planned.
 */
final class KeyDefaults {
    private static final Logger LOG = LoggerFactory.getLogger(KeyDefaults.class);

    private KeyDefaults() {
    }

    /** True when {@code recorded} equals the run's resolved config except for keys it lacks that sit at default. */
    static boolean onlyNewKeysAtDefault(String recorded, RunSpec<?> run) {
        Object config = run.config();
        if (config == null) {
            return false;
        }
        Object defaults; // through YAML text, so that numbers compare as the records' do
        try {
            defaults = YamlIO.parse(ResolvedConfig.toYaml(config.getClass().getDeclaredConstructor().newInstance()),
                    "defaults");
        } catch (ReflectiveOperationException e) {
            return false;
        }
        Object old = YamlIO.parse(recorded, "recorded resolved.yaml");
        Object now = YamlIO.parse(run.resolvedYaml(), "resolved config");
        List<String> added = new ArrayList<>();
        if (!(old instanceof Map<?, ?> o) || !(now instanceof Map<?, ?> n) || !compare(o, n, defaults, "", added)) {
            return false;
        }
        LOG.info("{}: recorded before the keys {} existed; at their defaults they reproduce it", run.name(), added);
        return true;
    }

    private static boolean compare(Map<?, ?> old, Map<?, ?> now, Object defaults, String path, List<String> added) {
        for (Object k : old.keySet()) {
            if (!now.containsKey(k)) {
                return false; // a key that no longer exists: not the same config
            }
        }
        for (Map.Entry<?, ?> e : now.entrySet()) {
            String key = path + e.getKey();
            Object def = defaults instanceof Map<?, ?> d ? d.get(e.getKey()) : null;
            if (!old.containsKey(e.getKey())) {
                if (!Objects.equals(e.getValue(), def)) {
                    return false;
                }
                added.add(key);
            } else if (old.get(e.getKey()) instanceof Map<?, ?> om && e.getValue() instanceof Map<?, ?> nm) {
                if (!compare(om, nm, def, key + ".", added)) {
                    return false;
                }
            } else if (!Objects.equals(old.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }
}
