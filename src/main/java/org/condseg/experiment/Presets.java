package org.condseg.experiment;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.condseg.util.UserError;

/**
 * Named bundles of keys behind one root-level key, e.g. {@code fidelity: official} standing for the several
 * switches that make the network behave like the official code. When a layer (a file, the profile, a sweep cell or
 * {@code --set}) sets a preset key, the bundle is merged just beneath that layer: it overrides what earlier layers
 * said, while the keys the same layer or later layers set explicitly still win. Values match case-insensitively.
 * Each value of a key should set every key the preset controls, so switching values switches them all.
 */
public final class Presets {
    private final Map<String, Map<String, Map<String, Object>>> byKey = new LinkedHashMap<>();

    /** Register the overlay (dotted or nested keys) applied when root key {@code key} has value {@code value}. */
    public Presets register(String key, String value, Map<String, Object> overlay) {
        if (key.contains(".")) {
            throw new IllegalArgumentException("a preset key is a root-level key, got " + key);
        }
        byKey.computeIfAbsent(key, k -> new LinkedHashMap<>())
                .put(value.toLowerCase(Locale.ROOT), ConfigTree.deepCopy(overlay));
        return this;
    }

    /** The root-level keys that select a preset. */
    public Set<String> keys() {
        return byKey.keySet();
    }

    /** The overlay for {@code key: value}; an unknown value is a {@link UserError} listing the valid ones. */
    Map<String, Object> overlay(String key, Object value, String origin) {
        Map<String, Map<String, Object>> values = byKey.get(key);
        Map<String, Object> overlay = value instanceof String s ? values.get(s.toLowerCase(Locale.ROOT)) : null;
        if (overlay == null) {
            throw new UserError(origin + ": key '" + key + "' expects one of " + String.join(", ", values.keySet())
                    + ", got " + YamlIO.describe(value));
        }
        return overlay;
    }

    /** Merge one layer into the tree, preceded by the overlays of the preset keys the layer sets. */
    void applyLayer(ConfigTree tree, Map<String, Object> layer, Function<String, String> originFor) {
        for (String key : byKey.keySet()) {
            if (layer.containsKey(key)) {
                Object value = layer.get(key);
                String origin = originFor.apply(key);
                Map<String, Object> overlay = overlay(key, value, origin);
                tree.merge(overlay, p -> "preset " + key + "=" + value + " (" + origin + ")");
            }
        }
        tree.merge(layer, originFor);
    }
}
