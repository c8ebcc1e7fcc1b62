package org.condseg.experiment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.condseg.util.UserError;

/**
 * Expands a loaded config into its runs: the cartesian grid of {@code sweep} (axes in declaration order, the last
 * axis varying fastest) x {@code variants} (in list order) x {@code seeds} (innermost). Every cell is bound, hence
 * validated, before any run starts.
 *
 * <pre>
 * sweep:                      # key path -> list of values, or {values: [...], label: K}
 *   model.cdfa.window: {values: [3, 5, 7], label: K}
 * variants:                   # rows that change several keys at once
 *   - {name: two-stage-cr, set: {train.stages: 2, loss.consistency: true}}
 * seeds: [0, 1]               # default [0]
 * </pre>
 *
 * Run names: one part per sweep axis ({@code label + value}, label defaults to the last key segment, joined with
 * '-' when the value does not start with a digit), then the variant name, joined by '_' ({@code base} when nothing
 * varies), then {@code /seedN}: e.g. {@code K5/seed0}, {@code two-stage-cr/seed1}. Characters outside
 * {@code [A-Za-z0-9._+-]} become '_'.
 */
public final class SweepExpander<T> {
    private static final String BASE_GROUP = "base";

    private final ConfigBinder<T> binder;
    private String seedKey;

    public SweepExpander(Class<T> rootType) {
        this.binder = new ConfigBinder<>(rootType);
    }

    /** Also write each cell's seed to this key path of the root config (e.g. {@code train.seed}). */
    public SweepExpander<T> seedKey(String path) {
        this.seedKey = path;
        return this;
    }

    private record Axis(String path, String label, List<?> values, String origin) {
    }

    private record Variant(String name, Map<String, Object> set, String origin) {
    }

    /** All cells of the experiment, validated, in run order. */
    public List<RunSpec<T>> expand(LoadedConfig loaded) {
        ConfigTree base = loaded.tree().copy();
        List<Axis> axes = axes(base);
        List<Variant> variants = variants(base);
        List<Integer> seeds = seeds(base);
        String seedsOrigin = base.originOf("seeds") + " (seeds)";
        base.remove("sweep");
        base.remove("variants");
        base.remove("seeds");
        base.remove(ReportSpec.KEY); // report-only sections: never part of a run's config (nor of its hash)
        base.remove(BenchSpec.KEY);

        List<RunSpec<T>> runs = new ArrayList<>();
        Map<String, RunSpec<T>> byName = new HashMap<>();
        int[] at = new int[axes.size()];
        do {
            for (Variant variant : variants) {
                for (int seed : seeds) {
                    RunSpec<T> run = cell(loaded, base, axes, at, variant, seed, seedsOrigin);
                    RunSpec<T> clash = byName.put(run.name(), run);
                    if (clash != null) {
                        throw new UserError(loaded.file() + ": two cells get the run name '" + run.name() + "' ("
                                + clash.describe() + " | " + run.describe() + "); give the sweep axes distinct labels");
                    }
                    runs.add(run);
                }
            }
        } while (next(at, axes));
        return runs;
    }

    /** The {@code --dry-run} listing: one line per cell. */
    public static String dryRun(List<? extends RunSpec<?>> runs) {
        return runs.stream().map(RunSpec::describe).collect(Collectors.joining("\n", "", "\n"));
    }

    private RunSpec<T> cell(LoadedConfig loaded, ConfigTree base, List<Axis> axes, int[] at, Variant variant, int seed,
            String seedsOrigin) {
        ConfigTree cell = base.copy();
        Map<String, Object> overrides = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < axes.size(); i++) {
            Axis axis = axes.get(i);
            Object value = axis.values().get(at[i]);
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put(axis.path(), value);
            loaded.presets().applyLayer(cell, layer, p -> axis.origin() + " (sweep)");
            overrides.put(axis.path(), value);
            parts.add(namePart(axis.label(), value));
        }
        if (variant.name() != null) {
            loaded.presets().applyLayer(cell, variant.set(), p -> variant.origin() + " (variant " + variant.name() + ")");
            flatten(variant.set(), "", overrides);
            parts.add(safe(variant.name()));
        }
        if (seedKey != null) {
            cell.set(seedKey, seed, seedsOrigin);
        }
        T config = binder.bind(cell, loaded.presets().keys());
        String group = parts.isEmpty() ? BASE_GROUP : String.join("_", parts);
        String yaml = ResolvedConfig.forRun(config, seed);
        return new RunSpec<>(loaded.experiment(), group + "/seed" + seed, group, variant.name(), seed,
                overrides, config, yaml, ResolvedConfig.sha256(yaml));
    }

    /** Odometer over the grid, last axis fastest; false after the last combination. */
    private static boolean next(int[] at, List<Axis> axes) {
        for (int i = at.length - 1; i >= 0; i--) {
            if (++at[i] < axes.get(i).values().size()) {
                return true;
            }
            at[i] = 0;
        }
        return false;
    }

    private static List<Axis> axes(ConfigTree tree) {
        Object sweep = tree.get("sweep");
        List<Axis> axes = new ArrayList<>();
        if (sweep == null) {
            return axes;
        }
        if (!(sweep instanceof Map<?, ?> m)) {
            throw new UserError(tree.originOf("sweep") + ": key 'sweep' expects a map of key path to a list of values, got "
                    + YamlIO.describe(sweep));
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String path = String.valueOf(e.getKey()); // whole key paths: ConfigTree keeps sweep keys flat
            String origin = tree.originOf("sweep." + path);
            Object v = e.getValue();
            String label = path.substring(path.lastIndexOf('.') + 1);
            if (v instanceof Map<?, ?> spec && spec.containsKey("values")) {
                Set<Object> extra = new LinkedHashSet<>(spec.keySet());
                extra.remove("values");
                extra.remove("label");
                if (!extra.isEmpty()) {
                    throw new UserError(origin + ": sweep key '" + path + "' has unknown entries " + extra
                            + " (expected values, label)");
                }
                if (spec.containsKey("label")) {
                    if (!(spec.get("label") instanceof String s)) {
                        throw new UserError(origin + ": sweep key '" + path + "' expects a string label, got "
                                + YamlIO.describe(spec.get("label")));
                    }
                    label = s;
                }
                v = spec.get("values");
            }
            if (!(v instanceof List<?> values) || values.isEmpty()) {
                throw new UserError(origin + ": sweep key '" + path + "' expects a non-empty list of values, got "
                        + YamlIO.describe(v));
            }
            if (ConfigLoader.RESERVED.contains(path.split("\\.")[0])) {
                throw new UserError(origin + ": sweep key '" + path + "' is reserved; "
                        + (path.equals("seeds") ? "list the seeds under 'seeds'" : "sweep config keys only"));
            }
            axes.add(new Axis(path, label, values, origin));
        }
        return axes;
    }

    @SuppressWarnings("unchecked")
    private static List<Variant> variants(ConfigTree tree) {
        Object raw = tree.get("variants");
        String origin = tree.originOf("variants");
        if (raw == null) {
            List<Variant> none = new ArrayList<>();
            none.add(new Variant(null, Map.of(), origin));
            return none;
        }
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new UserError(origin + ": key 'variants' expects a non-empty list of {name, set}, got "
                    + YamlIO.describe(raw));
        }
        List<Variant> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> v)) {
                throw new UserError(origin + ": variants[" + i + "] expects {name, set}, got " + YamlIO.describe(list.get(i)));
            }
            Set<Object> extra = new LinkedHashSet<>(v.keySet());
            extra.remove("name");
            extra.remove("set");
            if (!extra.isEmpty()) {
                throw new UserError(origin + ": variants[" + i + "] has unknown entries " + extra + " (expected name, set)");
            }
            if (!(v.get("name") instanceof String name) || name.isBlank()) {
                throw new UserError(origin + ": variants[" + i + "] needs a name, got " + YamlIO.describe(v.get("name")));
            }
            if (!names.add(safe(name))) {
                throw new UserError(origin + ": variant name '" + name + "' is used twice");
            }
            Object set = v.get("set");
            if (set != null && !(set instanceof Map)) {
                throw new UserError(origin + ": variant '" + name + "' key 'set' expects a map of key path to value, got "
                        + YamlIO.describe(set));
            }
            out.add(new Variant(name, set == null ? Map.of() : (Map<String, Object>) set, origin));
        }
        return out;
    }

    private static List<Integer> seeds(ConfigTree tree) {
        Object raw = tree.get("seeds");
        if (raw == null) {
            return List.of(0);
        }
        List<?> list = raw instanceof List<?> l ? l : List.of(raw);
        Set<Integer> seeds = new LinkedHashSet<>();
        for (Object s : list) {
            if (!(s instanceof Integer i) || !seeds.add(i)) {
                throw new UserError(tree.originOf("seeds") + ": key 'seeds' expects a list of distinct integers, got "
                        + YamlIO.describe(raw));
            }
        }
        if (seeds.isEmpty()) {
            throw new UserError(tree.originOf("seeds") + ": key 'seeds' is empty");
        }
        return new ArrayList<>(seeds);
    }

    private static void flatten(Map<?, ?> m, String prefix, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String path = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                flatten(nested, path, out);
            } else {
                out.put(path, e.getValue());
            }
        }
    }

    /** label + value, e.g. K5, lr0.0001, encoder-resnet50; the value alone when the label is empty. */
    static String namePart(String label, Object value) {
        String v = valueText(value);
        if (label.isEmpty()) {
            return safe(v);
        }
        boolean numeric = !v.isEmpty() && (Character.isDigit(v.charAt(0)) || v.charAt(0) == '-' || v.charAt(0) == '.');
        return safe(numeric ? label + v : label + "-" + v);
    }

    private static String valueText(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : String.valueOf(d);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SweepExpander::valueText).collect(Collectors.joining("-"));
        }
        return value instanceof Map ? YamlIO.describe(value) : String.valueOf(value);
    }

    /** Filesystem-safe: [A-Za-z0-9._+-] kept, anything else '_', no leading dot. */
    static String safe(String s) {
        String out = s.replaceAll("[^A-Za-z0-9._+-]", "_");
        return out.startsWith(".") ? "_" + out.substring(1) : out;
    }
}
