package org.condseg.experiment;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bound config written back as YAML: every key including defaults, in field order, enums in lower case. For a
 * run it starts with {@code seeds: [N]}, so a run's resolved.yaml is itself a config that reproduces that one run
 * (loading it and binding gives an equal config and the same text, hence the same hash). The hash is the SHA-256
 * of that UTF-8 text, in hex.
 */
public final class ResolvedConfig {
    private ResolvedConfig() {
    }

    /** The POJO tree as nested ordered maps, lists and scalars. */
    public static Map<String, Object> toTree(Object config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field f : ConfigFields.of(config.getClass()).values()) {
            out.put(f.getName(), toValue(ConfigFields.get(f, config)));
        }
        return out;
    }

    private static Object toValue(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Enum<?> e) {
            return ConfigBinder.enumName(e);
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(x -> out.add(toValue(x)));
            return out;
        }
        return toTree(v);
    }

    /** The POJO as YAML text. */
    public static String toYaml(Object config) {
        return YamlIO.dump(toTree(config));
    }

    /** The resolved.yaml of one run: its seed, then the whole config. */
    public static String forRun(Object config, int seed) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("seeds", List.of(seed));
        tree.putAll(toTree(config));
        return YamlIO.dump(tree);
    }

    /** SHA-256 of the text (UTF-8), lower-case hex. */
    public static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
