package org.condseg.experiment;

import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.condseg.util.UserError;

/**
 * Binds a merged {@link ConfigTree} onto a root config POJO by reflection, strictly. Starts from a fresh root
 * (field defaults) and overwrites only the keys present. Errors are one-line {@link UserError}s naming the origin
 * of the key: an unknown key with the nearest valid key path (edit distance over full paths), a wrong type, an
 * unknown enum value with the valid ones. Types: int/long accept integral YAML numbers only; double/float accept
 * any number; booleans only true/false; strings only strings; enums by case-insensitive name ('-' = '_');
 * {@code List<E>} element by element; a nested POJO from a map, recursively.
 * Null is accepted for strings, boxed numbers and enums only.
 */
public final class ConfigBinder<T> {
    private final Class<T> rootType;
    private final List<String> keyPaths = new ArrayList<>();

    public ConfigBinder(Class<T> rootType) {
        this.rootType = rootType;
        collectPaths(rootType, "", new HashSet<>());
    }

    /** Every valid key path of the root type (sections and leaves), in field order. */
    public List<String> keyPaths() {
        return List.copyOf(keyPaths);
    }

    /**
     * Bind {@code tree} onto a fresh root object. Top-level keys in {@code consumed} that are not fields of the
     * root (e.g. preset keys) are skipped; any other key must be a field.
     */
    public T bind(ConfigTree tree, Set<String> consumed) {
        T root = rootType.cast(ConfigFields.instantiate(rootType));
        bindSection(root, tree.map(), "", tree, consumed);
        return root;
    }

    private void bindSection(Object target, Map<?, ?> map, String prefix, ConfigTree tree, Set<String> consumed) {
        Map<String, Field> fields = ConfigFields.of(target.getClass());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            Field field = fields.get(key);
            if (field == null) {
                if (prefix.isEmpty() && consumed.contains(key)) {
                    continue;
                }
                throw unknownKey(path, prefix, fields.keySet(), tree, consumed);
            }
            Object current = ConfigFields.get(field, target);
            ConfigFields.set(field, target, convert(field.getGenericType(), e.getValue(), path, current, tree, consumed));
        }
    }

    private Object convert(Type type, Object v, String path, Object current, ConfigTree tree, Set<String> consumed) {
        Class<?> c = ConfigFields.raw(type);
        if (v == null) {
            if (c.isPrimitive() || ConfigFields.isList(c) || ConfigFields.isSection(c)) {
                throw wrongType(path, type, v, tree);
            }
            return null;
        }
        if (c == int.class || c == Integer.class) {
            BigInteger i = integral(v);
            if (i == null || i.bitLength() > 31) {
                throw wrongType(path, type, v, tree);
            }
            return i.intValue();
        }
        if (c == long.class || c == Long.class) {
            BigInteger i = integral(v);
            if (i == null || i.bitLength() > 63) {
                throw wrongType(path, type, v, tree);
            }
            return i.longValue();
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            if (!(v instanceof Number n)) {
                throw wrongType(path, type, v, tree);
            }
            return c == float.class || c == Float.class ? (Object) n.floatValue() : (Object) n.doubleValue();
        }
        if (c == boolean.class || c == Boolean.class || c == String.class) {
            if (!c.isInstance(v) && !(c == boolean.class && v instanceof Boolean)) {
                throw wrongType(path, type, v, tree);
            }
            return v;
        }
        if (c.isEnum()) {
            Object constant = v instanceof String s ? enumConstant(c, s) : null;
            if (constant == null) {
                throw wrongType(path, type, v, tree);
            }
            return constant;
        }
        if (ConfigFields.isList(c)) {
            if (!(v instanceof List<?> list)) {
                throw wrongType(path, type, v, tree);
            }
            Type element = ConfigFields.elementType(type);
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(convert(element, list.get(i), path + "[" + i + "]", null, tree, consumed));
            }
            return out;
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw wrongType(path, type, v, tree);
        }
        Object section = current != null ? current : ConfigFields.instantiate(c);
        bindSection(section, map, path, tree, consumed);
        return section;
    }

    private static BigInteger integral(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return BigInteger.valueOf(((Number) v).longValue());
        }
        return v instanceof BigInteger b ? b : null;
    }

    /** The enum constant whose name matches {@code s} ignoring case, with '-' read as '_'; null when none. */
    static Object enumConstant(Class<?> enumType, String s) {
        String wanted = s.strip().replace('-', '_');
        for (Object constant : enumType.getEnumConstants()) {
            if (((Enum<?>) constant).name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        return null;
    }

    /** How an enum constant is written in YAML: its name in lower case. */
    static String enumName(Object constant) {
        return ((Enum<?>) constant).name().toLowerCase(Locale.ROOT);
    }

    private static UserError wrongType(String path, Type type, Object v, ConfigTree tree) {
        return new UserError(tree.originOf(path.replaceAll("\\[\\d+]", "")) + ": key '" + path + "' expects "
                + expected(type) + ", got " + YamlIO.describe(v));
    }

    private static String expected(Type type) {
        Class<?> c = ConfigFields.raw(type);
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return "an integer";
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return "a number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "a string";
        }
        if (c.isEnum()) {
            return "one of " + Arrays.stream(c.getEnumConstants()).map(ConfigBinder::enumName)
                    .collect(Collectors.joining(", "));
        }
        if (ConfigFields.isList(c)) {
            return "a list (of " + expected(ConfigFields.elementType(type)).replaceFirst("^an? ", "") + ")";
        }
        return "a map of keys";
    }

    private UserError unknownKey(String path, String prefix, Set<String> siblings, ConfigTree tree, Set<String> consumed) {
        if (ConfigLoader.RESERVED.contains(path)) {
            return new UserError(tree.originOf(path) + ": key '" + path + "' is reserved and cannot be set here");
        }
        List<String> candidates = new ArrayList<>(keyPaths);
        candidates.addAll(ConfigLoader.RESERVED);
        candidates.addAll(consumed);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(path, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        String hint;
        if (best != null && bestDistance <= Math.max(2, path.length() / 3)) {
            hint = " (did you mean '" + best + "'?)";
        } else {
            hint = " (valid keys" + (prefix.isEmpty() ? "" : " under '" + prefix + "'") + ": "
                    + String.join(", ", siblings) + ")";
        }
        return new UserError(tree.originOf(path) + ": unknown key '" + path + "'" + hint);
    }

    /** Levenshtein distance (insertions, deletions, substitutions each cost 1). */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private void collectPaths(Class<?> type, String prefix, Set<Class<?>> visiting) {
        if (!visiting.add(type)) {
            throw new IllegalArgumentException("config class " + type.getName() + " contains itself");
        }
        for (Field f : ConfigFields.of(type).values()) {
            String path = prefix.isEmpty() ? f.getName() : prefix + "." + f.getName();
            keyPaths.add(path);
            Class<?> c = f.getType();
            if (ConfigFields.isList(c)) {
                ConfigFields.raw(ConfigFields.elementType(f.getGenericType())); // fail early on raw lists
            } else if (ConfigFields.isSection(c)) {
                collectPaths(c, path, visiting);
            }
        }
        visiting.remove(type);
    }
}
