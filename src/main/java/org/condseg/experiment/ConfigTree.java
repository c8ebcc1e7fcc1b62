package org.condseg.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.condseg.util.UserError;

/**
 * A config as nested maps (insertion-ordered) plus, for every key path, the origin that supplied it: a file, a
 * profile, a preset, a sweep cell or {@code --set}. Layers are deep-merged: maps merge key by key, anything else
 * (scalars, lists) replaces. A dotted key {@code a.b.c: 1} inside any map means {@code a: {b: {c: 1}}}, except
 * under {@code sweep}, whose keys are whole key paths (nested maps there are flattened to such paths) so that
 * the axes keep their declaration order.
 */
public final class ConfigTree {
    /**
     * Maps whose keys are kept unsplit in declaration order: the sweep axes (whole key paths) and the report's paper
     * row and column labels (which may hold dots, e.g. the threshold row "0.1").
     */
    private static final Set<String> FLAT = Set.of("sweep", "report.rows", "report.metrics");

    private final Map<String, Object> root;
    private final Map<String, String> origins;

    public ConfigTree() {
        this(new LinkedHashMap<>(), new HashMap<>());
    }

    private ConfigTree(Map<String, Object> root, Map<String, String> origins) {
        this.root = root;
        this.origins = origins;
    }

    /** A deep copy: merging into the copy leaves this tree alone. */
    public ConfigTree copy() {
        return new ConfigTree(deepCopy(root), new HashMap<>(origins));
    }

    /** The merged maps (live view; treat as read-only). */
    public Map<String, Object> map() {
        return root;
    }

    /** The value at a dotted key path, or null when absent. */
    public Object get(String path) {
        Object node = root;
        for (String part : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(part)) {
                return null;
            }
            node = m.get(part);
        }
        return node;
    }

    /** Who supplied this key: the origin recorded for the path or its nearest recorded parent. */
    public String originOf(String path) {
        String p = path;
        while (true) {
            String o = origins.get(p);
            if (o != null) {
                return o;
            }
            int dot = p.lastIndexOf('.');
            if (dot < 0) {
                return origins.getOrDefault("", "<defaults>");
            }
            p = p.substring(0, dot);
        }
    }

    /** The origin named for keys with none recorded (the config file the user gave). */
    public void setFallbackOrigin(String origin) {
        origins.put("", origin);
    }

    /** Remove a top-level key (and the origins below it); returns its value or null. */
    public Object remove(String key) {
        clearOrigins(key);
        return root.remove(key);
    }

    /** Deep-merge one layer on top, every key attributed to {@code origin}. */
    public void merge(Map<?, ?> layer, String origin) {
        merge(layer, p -> origin);
    }

    /**
     * Deep-merge one layer on top; {@code originFor} receives each key's dotted path within the layer (dotted
     * keys expanded) and names its origin.
     */
    public void merge(Map<?, ?> layer, Function<String, String> originFor) {
        mergeInto(root, "", "", layer, originFor);
    }

    /** Set one value at a dotted key path, replacing whatever was there. */
    public void set(String path, Object value, String origin) {
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put(path, value);
        merge(layer, origin);
    }

    @SuppressWarnings("unchecked")
    private void mergeInto(Map<String, Object> target, String targetPrefix, String layerPrefix, Map<?, ?> layer,
            Function<String, String> originFor) {
        for (Map.Entry<?, ?> e : layer.entrySet()) {
            if (!(e.getKey() instanceof String key) || key.isEmpty()) {
                throw new UserError(originFor.apply(layerPrefix) + ": key " + YamlIO.describe(e.getKey())
                        + (targetPrefix.isEmpty() ? "" : " under '" + targetPrefix + "'") + " is not a name");
            }
            String[] parts = key.split("\\.", -1);
            Map<String, Object> t = target;
            String tp = targetPrefix;
            String lp = layerPrefix;
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (part.isEmpty()) {
                    throw new UserError(originFor.apply(lp) + ": key '" + join(targetPrefix, key) + "' has an empty part");
                }
                String path = join(tp, part);
                String lpath = join(lp, part);
                boolean last = i == parts.length - 1;
                Object v = e.getValue();
                if (FLAT.contains(path) && (!last || v instanceof Map)) {
                    Map<String, Object> entries = new LinkedHashMap<>();
                    if (last) {
                        flatten((Map<?, ?>) v, "", entries);
                    } else {
                        entries.put(String.join(".", Arrays.copyOfRange(parts, i + 1, parts.length)), v);
                    }
                    mergeFlat(t, part, path, lpath, entries, originFor);
                    break;
                }
                if (!last) {
                    if (!(t.get(part) instanceof Map)) {
                        clearOrigins(path);
                        t.put(part, new LinkedHashMap<String, Object>());
                        origins.put(path, originFor.apply(lpath));
                    }
                    t = (Map<String, Object>) t.get(part);
                } else if (v instanceof Map<?, ?> vm && t.get(part) instanceof Map) {
                    mergeInto((Map<String, Object>) t.get(part), path, lpath, vm, originFor);
                } else {
                    clearOrigins(path);
                    origins.put(path, originFor.apply(lpath));
                    if (v instanceof Map<?, ?> vm) {
                        Map<String, Object> fresh = new LinkedHashMap<>();
                        t.put(part, fresh);
                        mergeInto(fresh, path, lpath, vm, originFor);
                    } else {
                        t.put(part, deepCopy(v));
                    }
                }
                tp = path;
                lp = lpath;
            }
        }
    }

    /** Merge entries keyed by whole key paths into the flat map {@code t[part]} (the sweep): entries replace. */
    @SuppressWarnings("unchecked")
    private void mergeFlat(Map<String, Object> t, String part, String path, String lpath, Map<String, Object> entries,
            Function<String, String> originFor) {
        if (!(t.get(part) instanceof Map)) {
            clearOrigins(path);
            t.put(part, new LinkedHashMap<String, Object>());
            origins.put(path, originFor.apply(lpath));
        }
        Map<String, Object> flat = (Map<String, Object>) t.get(part);
        entries.forEach((k, v) -> {
            flat.put(k, deepCopy(v));
            origins.put(path + "." + k, originFor.apply(lpath + "." + k));
        });
    }

    /**
     * Nested maps to whole key paths, stopping at lists and at maps holding {@code values} (a sweep axis with a
     * label): {@code {model: {width: [1]}}} becomes {@code {model.width: [1]}}.
     */
    private static void flatten(Map<?, ?> m, String prefix, Map<String, Object> out) {
        m.forEach((k, v) -> {
            String path = prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k;
            if (v instanceof Map<?, ?> nested && !nested.containsKey("values")) {
                flatten(nested, path, out);
            } else {
                out.put(path, v);
            }
        });
    }

    private void clearOrigins(String path) {
        origins.remove(path);
        String prefix = path + ".";
        origins.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    @SuppressWarnings("unchecked")
    static <V> V deepCopy(V value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, deepCopy(v)));
            return (V) copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(deepCopy(v)));
            return (V) copy;
        }
        return value;
    }
}
