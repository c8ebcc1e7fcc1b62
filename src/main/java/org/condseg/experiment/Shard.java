package org.condseg.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.condseg.util.UserError;

/**
 * {@code --shard i/n}: this machine runs cells i, i+n, i+2n, ... (0-based) of the expanded list, so n machines
 * given 0/n .. (n-1)/n cover every cell exactly once, each writing its own run folders.
 */
public record Shard(int index, int count) {
    private static final Pattern FORM = Pattern.compile("(\\d+)/(\\d+)");

    /** Every cell. */
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new UserError("--shard " + index + "/" + count + ": expected i/n with n >= 1 and 0 <= i < n");
        }
    }

    public static Shard parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new UserError("--shard " + text + ": expected i/n, e.g. 0/4 (i counts from 0)");
        }
        try {
            return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new UserError("--shard " + text + ": number too large");
        }
    }

    public <E> List<E> select(List<E> cells) {
        List<E> out = new ArrayList<>();
        for (int i = index; i < cells.size(); i += count) {
            out.add(cells.get(i));
        }
        return out;
    }
}
