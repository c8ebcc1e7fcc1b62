package org.condseg.experiment;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * One cell of an experiment: {@code name} = {@code group/seedN} (also its folder under results/EXPERIMENT/),
 * {@code group} = the name without the seed (one table row), the {@code overrides} this cell applies on top of
 * the base config (key path to value, in sweep-then-variant order), the bound config, and its resolved.yaml text
 * with that text's SHA-256.
 */
public record RunSpec<T>(String experiment, String name, String group, String variant, int seed,
        Map<String, Object> overrides, T config, String resolvedYaml, String hash) {

    /** One dry-run line: run name, then the keys that vary. */
    public String describe() {
        String keys = overrides.entrySet().stream()
                .map(e -> e.getKey() + "=" + YamlIO.describe(e.getValue()).replace("\"", ""))
                .collect(Collectors.joining(" "));
        return name + "  " + (variant == null ? "" : "variant=" + variant + " ") + (keys.isEmpty() ? "" : keys + " ")
                + "seed=" + seed;
    }
}
