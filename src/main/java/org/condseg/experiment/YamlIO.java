package org.condseg.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * SnakeYAML behind one door: safe loading only (SafeConstructor: plain maps, lists and scalars, no Java types),
 * duplicate keys rejected, parse errors turned into a one-line {@link UserError} {@code file:line:column: problem}.
 * Dumping writes block maps with lists of scalars in flow style ({@code seeds: [0, 1]}).
 */
final class YamlIO {
    private YamlIO() {
    }

    private static Yaml loader() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    /** Parse one YAML document; {@code origin} names the source in errors (a file, or {@code --set k=v}). */
    static Object parse(String text, String origin) {
        try {
            return loader().load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? origin : origin + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
            String context = e.getContext() == null ? "" : " (" + firstLine(e.getContext())
                    + (e.getContextMark() == null ? "" : " started on line " + (e.getContextMark().getLine() + 1)) + ")";
            throw new UserError(where + ": malformed YAML: " + firstLine(problem) + context, e);
        } catch (YAMLException e) {
            throw new UserError(origin + ": malformed YAML: " + firstLine(e.getMessage()), e);
        }
    }

    /** Load a config file whose top level must be a map; an empty file is an empty map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> loadMap(Path file, String display) {
        Object doc = parse(AtomicFiles.readString(file), display);
        if (doc == null) {
            return new LinkedHashMap<>();
        }
        if (!(doc instanceof Map)) {
            throw new UserError(display + ": the top level must be a map of keys, got " + describe(doc));
        }
        return (Map<String, Object>) doc;
    }

    /** Dump nested maps/lists/scalars as block YAML (flow style for lists of scalars). */
    static String dump(Map<String, Object> tree) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(1_000);
        return new Yaml(new FlowListRepresenter(options), options).dump(tree);
    }

    /** A short rendering of a value for error messages: strings quoted, collections in flow YAML. */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof Map || value instanceof List) {
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
            options.setWidth(1_000);
            return new Yaml(options).dump(value).strip();
        }
        return String.valueOf(value);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** Lists whose elements are all scalars are written inline; other lists and all maps as blocks. */
    private static final class FlowListRepresenter extends Representer {
        FlowListRepresenter(DumperOptions options) {
            super(options);
            multiRepresenters.put(List.class, data -> {
                List<?> list = (List<?>) data;
                boolean scalars = list.stream().noneMatch(e -> e instanceof Map || e instanceof List);
                return representSequence(Tag.SEQ, list,
                        scalars ? DumperOptions.FlowStyle.FLOW : DumperOptions.FlowStyle.BLOCK);
            });
        }
    }
}
