package org.condseg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .npz/.npy reader on archives written byte by byte in the test, and its errors. */
class NpzTest {
    @TempDir
    Path tmp;

    @Test
    void readsHandWrittenArchivesOfSeveralTypes() throws Exception {
        ByteBuffer f8 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25).putDouble(-3.5);
        ByteBuffer be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(2f);
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("image", NpzFiles.npy("<f4", false, "(2, 3)", NpzFiles.f4(0f, 0.5f, 1f, 0.25f, 0.75f, 0.125f)));
        e.put("label", NpzFiles.npy("<i8", false, "(2, 3)", NpzFiles.i8(0, 8, 3, 1, 0, 5)));
        e.put("d", NpzFiles.npy("<f8", false, "(2,)", f8.array()));
        e.put("u", NpzFiles.npy("|u1", false, "(3,)", NpzFiles.u1(0, 200, 255)));
        e.put("be", NpzFiles.npy(">f4", false, "(2,)", be.array()));
        // Fortran order: the column-major bytes of [[1,2,3],[4,5,6]] are 1,4,2,5,3,6
        e.put("fo", NpzFiles.npy("<f4", true, "(2, 3)", NpzFiles.f4(1, 4, 2, 5, 3, 6)));
        Path f = tmp.resolve("a.npz");
        NpzFiles.zip(f, e, true);

        Map<String, NpyArray> a = Npz.read(f, "image", "label", "d", "u", "be", "fo");
        assertArrayEquals(new int[] {2, 3}, a.get("image").shape());
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 0.25f, 0.75f, 0.125f}, a.get("image").data());
        assertArrayEquals(new int[] {0, 8, 3, 1, 0, 5}, a.get("label").toInts());
        assertEquals("<i8", a.get("label").dtype());
        assertArrayEquals(new float[] {0.25f, -3.5f}, a.get("d").data());
        assertArrayEquals(new float[] {0, 200, 255}, a.get("u").data());
        assertArrayEquals(new float[] {1.5f, 2f}, a.get("be").data());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.get("fo").data());
        assertArrayEquals(new int[] {2, 3}, Npz.shape(f, "label"));
    }

    @Test
    void ownWriterRoundTrips() {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("image", new NpyArray(new int[] {2, 2, 2}, "<f4", new float[] {0, .1f, .2f, .3f, .4f, .5f, .6f, 1}));
        arrays.put("label", new NpyArray(new int[] {2, 2, 2}, "|u1", new float[] {0, 1, 2, 3, 4, 5, 6, 8}));
        Path f = tmp.resolve("w.npz");
        Npz.write(f, arrays, List.of("label"));
        Map<String, NpyArray> back = Npz.read(f, "image", "label");
        assertArrayEquals(arrays.get("image").data(), back.get("image").data());
        assertArrayEquals(arrays.get("label").data(), back.get("label").data());
        assertEquals("|u1", back.get("label").dtype());
        assertArrayEquals(new int[] {2, 2, 2}, back.get("image").shape());
    }

    @Test
    void brokenArchivesAreOneLineUserErrorsNamingTheFile() throws Exception {
        Path notZip = tmp.resolve("garbage.npz");
        Files.write(notZip, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        oneLine(assertThrows(UserError.class, () -> Npz.read(notZip, "image")), "garbage.npz");

        Path noLabel = tmp.resolve("nolabel.npz");
        NpzFiles.zip(noLabel, Map.of("image", NpzFiles.npy("<f4", false, "(1,)", NpzFiles.f4(0))), false);
        UserError missing = assertThrows(UserError.class, () -> Npz.read(noLabel, "image", "label"));
        oneLine(missing, "nolabel.npz");
        assertTrue(missing.getMessage().contains("'label'"), missing.getMessage());

        Path truncated = tmp.resolve("short.npz");
        NpzFiles.zip(truncated, Map.of("image", NpzFiles.npy("<f4", false, "(4, 4)", NpzFiles.f4(1, 2))), false);
        oneLine(assertThrows(UserError.class, () -> Npz.read(truncated, "image")), "short.npz");

        Path badMagic = tmp.resolve("magic.npz");
        NpzFiles.zip(badMagic, Map.of("image", new byte[] {'h', 'e', 'l', 'l', 'o', 0, 0, 0, 0, 0, 0, 0}), false);
        oneLine(assertThrows(UserError.class, () -> Npz.read(badMagic, "image")), "magic.npz");

        Path complex = tmp.resolve("complex.npz");
        NpzFiles.zip(complex, Map.of("image", NpzFiles.npy("<c8", false, "(1,)", new byte[8])), false);
        oneLine(assertThrows(UserError.class, () -> Npz.read(complex, "image")), "complex.npz");

        oneLine(assertThrows(UserError.class, () -> Npz.read(tmp.resolve("absent.npz"), "image")), "absent.npz");
    }

    private static void oneLine(UserError e, String file) {
        assertTrue(e.getMessage().contains(file), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
