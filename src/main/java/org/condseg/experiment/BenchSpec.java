package org.condseg.experiment;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.condseg.util.UserError;

/**
 * The reserved top-level {@code bench:} section: present, the experiment times inference of each cell's network
 * (model.*, at data.size) instead of training it (Table 8). Like {@code report:} it never enters a run's hash.
 *
 * <pre>
 * bench: {batch: 1, warmups: 2, reps: 10}
 * </pre>
 */
public record BenchSpec(int batch, int warmups, int reps) {
    public static final String KEY = "bench";

    /** The section of a loaded config, or null when the config has none (a training experiment). */
    public static BenchSpec of(LoadedConfig loaded) {
        Object raw = loaded.tree().get(KEY);
        if (raw == null) {
            return null;
        }
        String origin = loaded.tree().originOf(KEY);
        if (!(raw instanceof Map<?, ?> m)) {
            throw new UserError(origin + ": key 'bench' expects a map {batch, warmups, reps}, got " + YamlIO.describe(raw));
        }
        Set<Object> extra = new LinkedHashSet<>(m.keySet());
        List.of("batch", "warmups", "reps").forEach(extra::remove);
        if (!extra.isEmpty()) {
            throw new UserError(origin + ": key 'bench' has unknown entries " + extra + " (expected batch, warmups, reps)");
        }
        return new BenchSpec(count(m, "batch", 1, 1, origin), count(m, "warmups", 2, 0, origin),
                count(m, "reps", 10, 1, origin));
    }

    private static int count(Map<?, ?> m, String key, int dflt, int min, String origin) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer i) || i < min) {
            throw new UserError(origin + ": bench." + key + " expects an integer ≥ " + min + ", got " + YamlIO.describe(v));
        }
        return i;
    }
}
