package org.condseg.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.condseg.util.UserError;

/**
 * Reads an experiment config. Precedence, lowest first: the root POJO's field defaults, the {@code extends} chain
 * (each parent's own chain first, parents in list order, each file applied once), the file itself, the selected
 * profile's overlay ({@code profiles: {NAME: {...}}}, default {@code quick} when the config defines it), then each
 * {@code --set key.path=value} in order. A preset key ({@link Presets}) inserts its overlay just beneath the layer
 * that sets it. Every key remembers its origin so that errors can name the file.
 */
public final class ConfigLoader {
    /**
     * Keys this package handles itself; they are never bound to the root config POJO, so they never enter a run's
     * resolved.yaml or its hash ({@code report} and {@code bench} only shape the report and the benchmark).
     */
    public static final Set<String> RESERVED = Set.of("extends", "profiles", "sweep", "variants", "seeds", "experiment",
            "report", "bench");
    /** The profile applied when none is named, if the config defines it. */
    public static final String DEFAULT_PROFILE = "quick";

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private String profile;
    private final List<String> sets = new ArrayList<>();
    private Presets presets = new Presets();

    /** Select a profile by name ({@code --profile}); null means the default. */
    public ConfigLoader profile(String name) {
        this.profile = name;
        return this;
    }

    /** Add one {@code key.path=value} override ({@code --set}); the value is read as YAML (scalar or flow). */
    public ConfigLoader set(String assignment) {
        sets.add(assignment);
        return this;
    }

    public ConfigLoader sets(List<String> assignments) {
        sets.addAll(assignments);
        return this;
    }

    public ConfigLoader presets(Presets presets) {
        this.presets = presets;
        return this;
    }

    /** Load {@code file} with its chain, profile and overrides. */
    public LoadedConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such config file");
        }
        ConfigTree tree = new ConfigTree();
        tree.setFallbackOrigin(file.toString());
        loadChain(file, tree, new ArrayList<>(), new HashSet<>());

        String applied = applyProfile(file, tree);
        for (String assignment : sets) {
            applySet(assignment, tree);
        }
        String origin = tree.originOf("experiment");
        Object experiment = tree.remove("experiment");
        Object name = experiment == null ? stem(file) : experiment;
        if (!(name instanceof String s) || !SAFE_NAME.matcher(s).matches()) {
            throw new UserError((experiment == null ? file + ": the file name" : origin + ": key 'experiment'")
                    + " must be a folder name of letters, digits, '.', '_' or '-' (set experiment: NAME), got "
                    + YamlIO.describe(name));
        }
        return new LoadedConfig(file, s, applied, tree, presets);
    }

    private void loadChain(Path file, ConfigTree tree, List<Path> stack, Set<Path> applied) {
        Path key = file.toAbsolutePath().normalize();
        if (!applied.add(key)) {
            return; // a diamond: the shared parent was applied already, at its first occurrence
        }
        String display = file.toString();
        Map<String, Object> map = YamlIO.loadMap(file, display);
        Object parents = map.remove("extends");
        stack.add(key);
        for (String parent : parentList(parents, display)) {
            Path dir = file.getParent();
            Path parentFile = (dir == null ? Path.of(parent) : dir.resolve(parent)).normalize();
            if (!Files.isRegularFile(parentFile)) {
                throw new UserError(display + ": extends '" + parent + "': no such file " + parentFile);
            }
            int seen = stack.indexOf(parentFile.toAbsolutePath().normalize());
            if (seen >= 0) {
                List<String> cycle = new ArrayList<>();
                stack.subList(seen, stack.size()).forEach(p -> cycle.add(p.getFileName().toString()));
                cycle.add(parentFile.getFileName().toString());
                throw new UserError(display + ": extends cycle: " + String.join(" -> ", cycle));
            }
            loadChain(parentFile, tree, stack, applied);
        }
        stack.remove(stack.size() - 1);
        presets.applyLayer(tree, map, p -> display);
    }

    private static List<String> parentList(Object parents, String display) {
        if (parents == null) {
            return List.of();
        }
        List<?> raw = parents instanceof List<?> l ? l : List.of(parents);
        List<String> out = new ArrayList<>();
        for (Object p : raw) {
            if (!(p instanceof String s) || s.isBlank()) {
                throw new UserError(display + ": key 'extends' expects a path or a list of paths, got "
                        + YamlIO.describe(parents));
            }
            out.add(s);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private String applyProfile(Path file, ConfigTree tree) {
        Object profiles = tree.get("profiles");
        ConfigTree before = tree.copy(); // keeps the origins recorded inside the profiles map
        tree.remove("profiles");
        if (profiles != null && !(profiles instanceof Map)) {
            throw new UserError(before.originOf("profiles") + ": key 'profiles' expects a map of profile name to keys, got "
                    + YamlIO.describe(profiles));
        }
        Map<String, Object> byName = profiles == null ? Map.of() : (Map<String, Object>) profiles;
        String name = profile != null ? profile : DEFAULT_PROFILE;
        if (!byName.containsKey(name)) {
            if (profile == null) {
                return null;
            }
            throw new UserError(file + ": unknown profile '" + name + "'" + (byName.isEmpty()
                    ? "; the config defines no profiles"
                    : "; valid profiles: " + String.join(", ", new TreeSet<>(byName.keySet()))));
        }
        Object overlay = byName.get(name);
        String prefix = "profiles." + name;
        if (overlay != null && !(overlay instanceof Map)) {
            throw new UserError(before.originOf(prefix) + ": profile '" + name + "' expects a map of keys, got "
                    + YamlIO.describe(overlay));
        }
        if (overlay != null) {
            presets.applyLayer(tree, (Map<String, Object>) overlay,
                    p -> before.originOf(p.isEmpty() ? prefix : prefix + "." + p) + " (profile " + name + ")");
        }
        return name;
    }

    private void applySet(String assignment, ConfigTree tree) {
        int eq = assignment.indexOf('=');
        String origin = "--set " + assignment;
        if (eq <= 0) {
            throw new UserError(origin + ": expected key.path=value");
        }
        String path = assignment.substring(0, eq).strip();
        String top = path.split("\\.", 2)[0];
        if (top.equals("extends") || top.equals("profiles")) {
            throw new UserError(origin + ": '" + top + "' cannot be set from the command line; use --profile or edit the file");
        }
        Object value = YamlIO.parse(assignment.substring(eq + 1), origin);
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put(path, value);
        presets.applyLayer(tree, layer, p -> origin);
    }

    /** The file name without its .yaml/.yml extension. */
    static String stem(Path file) {
        String n = file.getFileName().toString();
        return n.replaceFirst("\\.ya?ml$", "");
    }
}
