package org.condseg.experiment;

import java.nio.file.Path;

/**
 * A config file after {@code extends}, the profile and {@code --set}: the merged tree (reserved keys
 * {@code sweep}, {@code variants}, {@code seeds} still in it, for the {@link SweepExpander}), the experiment name,
 * the profile applied (null when none) and the presets, which sweep cells apply again.
 */
public record LoadedConfig(Path file, String experiment, String profile, ConfigTree tree, Presets presets) {
}
