package org.condseg.experiment;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bindable fields of a config POJO: public, non-static, non-final, in declaration order (superclass first).
 * A field whose type is not a scalar (int, long, double, float, boolean and their boxes, String, an enum) or a
 * List is a nested section: another config POJO with a public no-arg constructor.
 */
final class ConfigFields {
    private static final Map<Class<?>, Map<String, Field>> CACHE = new ConcurrentHashMap<>();
    private static final Set<Class<?>> SCALARS = Set.of(int.class, Integer.class, long.class, Long.class,
            double.class, Double.class, float.class, Float.class, boolean.class, Boolean.class, String.class);

    private ConfigFields() {
    }

    /** Field name (= YAML key) to field, in declaration order. */
    static Map<String, Field> of(Class<?> type) {
        return CACHE.computeIfAbsent(type, ConfigFields::scan);
    }

    private static Map<String, Field> scan(Class<?> type) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            chain.add(0, c);
        }
        Map<String, Field> fields = new LinkedHashMap<>();
        for (Class<?> c : chain) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) || f.isSynthetic() || !Modifier.isPublic(m)) {
                    continue;
                }
                if (Modifier.isFinal(m)) {
                    throw new IllegalArgumentException("config field " + c.getName() + "." + f.getName()
                            + " must not be final");
                }
                fields.put(f.getName(), f);
            }
        }
        return fields;
    }

    static boolean isScalar(Class<?> c) {
        return SCALARS.contains(c) || c.isEnum();
    }

    static boolean isList(Class<?> c) {
        return List.class.isAssignableFrom(c);
    }

    static boolean isSection(Class<?> c) {
        return !isScalar(c) && !isList(c) && !c.isPrimitive() && !c.isArray() && !Map.class.isAssignableFrom(c);
    }

    /** The element type of a {@code List<E>} field type. */
    static Type elementType(Type listType) {
        if (listType instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[0];
        }
        throw new IllegalArgumentException("config list fields need an element type, got raw " + listType);
    }

    static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalArgumentException("unsupported config field type " + t);
    }

    /** A fresh section object with its defaults. */
    static Object instantiate(Class<?> type) {
        try {
            var ctor = type.getDeclaredConstructor();
            return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("config class " + type.getName()
                    + " needs a public no-arg constructor", e);
        }
    }

    static Object get(Field f, Object target) {
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static void set(Field f, Object target, Object value) {
        try {
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
