package org.condseg.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import org.condseg.data.DatasetRegistry;
import org.condseg.model.ModelRegistry;
import org.condseg.model.encoder.EncoderRegistry;

/**
 * Whether a cell can run here: its data set's default folder exists (or data.synthetic writes a stand-in in its
 * layout), and its network and encoder are in this build. The runner reports the others in the table instead of skipping them
 * silently.
 */
public final class Availability {
    public static final String NO_DATA = "data not available: ";
    public static final String NO_MODEL = "model not available: ";
    public static final String NO_ENCODER = "encoder not available: ";
    public static final String QUOTED = "quoted from the paper (method not implemented here)";
    public static final String NOT_RUN = "not run yet";

    private Availability() {
    }

    /** What a user can do about a missing data set (the log line adds it to the problem). */
    public static final String NO_DATA_HINT = "put the data set there, set data.root, or add --set data.synthetic=true";

    /** Null when the cell can run; otherwise why not, e.g. "data not available: data/glas". */
    public static String problem(ExperimentConfig c, boolean bench) {
        if (!ModelRegistry.names().contains(c.model.name)) {
            return NO_MODEL + c.model.name + " (not in this build)";
        }
        if (!EncoderRegistry.names().contains(c.model.encoder)) {
            return NO_ENCODER + c.model.encoder + " (not in this build)";
        }
        if (bench || c.data.synthetic || "synthetic".equals(c.data.dataset)
                || (c.data.root != null && !c.data.root.isBlank())) {
            return null; // an explicit data.root that is wrong stays an error of the run, naming the folder
        }
        Path root = DatasetRegistry.root(c.data);
        return Files.isDirectory(root) ? null : NO_DATA + root;
    }
}
