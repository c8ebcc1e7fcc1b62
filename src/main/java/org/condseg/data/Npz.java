package org.condseg.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;

/**
 * NumPy {@code .npz} archives ({@code np.savez} / {@code np.savez_compressed}): a zip file with one {@code <key>.npy}
 * entry per array, stored or deflated. Every failure (missing file, not a zip, a corrupt entry, a missing key) is a
 * one-line {@link UserError} naming the file.
 */
public final class Npz {
    private Npz() {
    }

    /** The named arrays of an archive, all of them required; a missing one is a UserError naming the file and key. */
    public static Map<String, NpyArray> read(Path file, String... keys) {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = open(file)) {
            for (String key : keys) {
                ZipEntry e = entry(zip, file, key);
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                out.put(key, NpyArray.parse(bytes, file + " [" + key + "]"));
            }
        } catch (ZipException e) {
            throw new UserError(file + ": corrupt .npz archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The shape of one array, from its header only (the data is not read). */
    public static int[] shape(Path file, String key) {
        try (ZipFile zip = open(file)) {
            ZipEntry e = entry(zip, file, key);
            byte[] head;
            try (InputStream in = zip.getInputStream(e)) {
                head = in.readNBytes(4096);
            }
            return NpyArray.header(head, file + " [" + key + "]").shape();
        } catch (ZipException e) {
            throw new UserError(file + ": corrupt .npz archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes arrays as an uncompressed .npz (float32, or uint8 for the keys in {@code uint8Keys}), atomically. */
    public static void write(Path file, Map<String, NpyArray> arrays, List<String> uint8Keys) {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NpyArray> a : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(a.getKey() + ".npy"));
                zip.write(a.getValue().toBytes(uint8Keys.contains(a.getKey())));
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    private static ZipFile open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError("file not found: " + file);
        }
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new UserError(file + ": not a valid .npz (zip) archive: " + e.getMessage(), e);
        }
    }

    private static ZipEntry entry(ZipFile zip, Path file, String key) {
        ZipEntry e = zip.getEntry(key + ".npy");
        if (e == null) {
            e = zip.getEntry(key);
        }
        if (e == null) {
            List<String> names = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
                String n = en.nextElement().getName();
                names.add(n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n);
            }
            throw new UserError(file + ": no array '" + key + "' in the .npz (it has: " + String.join(", ", names) + ")");
        }
        return e;
    }
}
