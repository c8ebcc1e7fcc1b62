package org.condseg.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A checkpoint is one zip, written atomically: {@code weights/<state_dict name>.npy} for every parameter and
 * buffer (the same names and PyTorch layouts the .npy weight loader reads), {@code updater/<key>.npy} for the
 * optimizer's moments, and {@code meta.json} (stage, epoch, best metric, config hash, seed, RNG state).
 */
public final class Checkpoint {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The sidecar: everything resume needs besides the arrays. */
    public static final class Meta {
        public String stage;
        public int epoch;
        public double bestMetric = Double.NEGATIVE_INFINITY;
        public int bestEpoch = -1;
        public int epochsSinceBest;
        public int epochsSinceLossGain;
        public double bestValLoss = Double.POSITIVE_INFINITY;
        public String configHash;
        public long seed;
        /** Seed for the next epoch's shuffling and augmentation: epoch-indexed, so resume needs only this. */
        public long rngState;
    }

    public final Meta meta;
    public final Map<String, INDArray> weights;
    public final Map<String, INDArray> updater;

    public Checkpoint(Meta meta, Map<String, INDArray> weights, Map<String, INDArray> updater) {
        this.meta = meta;
        this.weights = weights;
        this.updater = updater;
    }

    public void save(Path file) {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(1);
            zip.putNextEntry(new ZipEntry("meta.json"));
            zip.write(JSON.writeValueAsBytes(meta));
            zip.closeEntry();
            writeArrays(zip, "weights/", weights);
            writeArrays(zip, "updater/", updater);
            zip.finish();
        });
    }

    private static void writeArrays(ZipOutputStream zip, String prefix, Map<String, INDArray> arrays)
            throws IOException {
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            zip.putNextEntry(new ZipEntry(prefix + e.getKey() + ".npy"));
            zip.write(Nd4j.toNpyByteArray(e.getValue()));
            zip.closeEntry();
        }
    }

    public static Checkpoint load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("checkpoint not found: " + file);
        }
        Meta meta = null;
        Map<String, INDArray> weights = new LinkedHashMap<>();
        Map<String, INDArray> updater = new LinkedHashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
             ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                byte[] bytes = zip.readAllBytes();
                if (name.equals("meta.json")) {
                    meta = JSON.readValue(bytes, Meta.class);
                } else if (name.startsWith("weights/") && name.endsWith(".npy")) {
                    weights.put(stripNpy(name, "weights/"), Nd4j.createNpyFromByteArray(bytes));
                } else if (name.startsWith("updater/") && name.endsWith(".npy")) {
                    updater.put(stripNpy(name, "updater/"), Nd4j.createNpyFromByteArray(bytes));
                }
            }
        } catch (IOException | RuntimeException ex) {
            throw new UserError("checkpoint " + file + " is unreadable or corrupt: " + ex.getMessage(), ex);
        }
        if (meta == null) {
            throw new UserError("checkpoint " + file + " has no meta.json");
        }
        return new Checkpoint(meta, weights, updater);
    }

    private static String stripNpy(String entry, String prefix) {
        return entry.substring(prefix.length(), entry.length() - ".npy".length());
    }
}
