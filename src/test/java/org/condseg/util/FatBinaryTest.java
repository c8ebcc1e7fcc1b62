package org.condseg.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FatBinary} on ELF files written here, laid out as nvcc lays out a shared library's fat binaries. */
class FatBinaryTest {
    @TempDir
    Path dir;

    @Test
    void listsMachineCodeAndPtxOfEveryContainer() throws IOException {
        ByteArrayOutputStream fatbin = new ByteArrayOutputStream();
        container(fatbin, entry(FatBinary.KIND_ELF, 80, 24), entry(FatBinary.KIND_PTX, 80, 16));
        fatbin.write(new byte[8]);                                  // alignment padding between containers
        container(fatbin, entry(FatBinary.KIND_ELF, 86, 40));
        Path lib = elf(".nv_fatbin", fatbin.toByteArray());
        assertEquals(Set.of("sm_80", "compute_80", "sm_86"), FatBinary.architectures(lib));
    }

    @Test
    void aLibraryWithoutGpuCodeHasNone() throws IOException {
        assertTrue(FatBinary.architectures(elf(".rodata", new byte[64])).isEmpty());
    }

    @Test
    void aContainerLongerThanItsSectionIsAnError() throws IOException {
        ByteArrayOutputStream fatbin = new ByteArrayOutputStream();
        container(fatbin, entry(FatBinary.KIND_ELF, 80, 24));
        byte[] cut = java.util.Arrays.copyOf(fatbin.toByteArray(), fatbin.size() - 8);
        IOException e = assertThrows(IOException.class, () -> FatBinary.architectures(elf(".nv_fatbin", cut)));
        assertTrue(e.getMessage().contains("runs past its section"), e.getMessage());
    }

    @Test
    void notAnElfFileIsAnError() throws IOException {
        Path text = Files.writeString(dir.resolve("lib.so"), "x".repeat(100));
        IOException e = assertThrows(IOException.class, () -> FatBinary.architectures(text));
        assertTrue(e.getMessage().contains("not a 64-bit little-endian ELF"), e.getMessage());
    }

    /** One fat binary entry: a 64-byte header (kind, header size, payload size, arch at byte 28) and its payload. */
    private static byte[] entry(int kind, int arch, int payload) {
        ByteBuffer b = le(64 + payload);
        b.putShort(0, (short) kind).putInt(4, 64).putLong(8, payload).putInt(28, arch);
        return b.array();
    }

    private static void container(ByteArrayOutputStream out, byte[]... entries) throws IOException {
        int size = 0;
        for (byte[] e : entries) {
            size += e.length;
        }
        ByteBuffer h = le(16);
        h.putInt(0, FatBinary.MAGIC).putShort(4, (short) 1).putShort(6, (short) 16).putLong(8, size);
        out.write(h.array());
        for (byte[] e : entries) {
            out.write(e);
        }
    }

    /** A 64-bit little-endian ELF file holding one named section (plus the null section and the name table). */
    private Path elf(String name, byte[] section) throws IOException {
        byte[] names = ("\0.shstrtab\0" + name + "\0").getBytes(StandardCharsets.US_ASCII);
        long namesAt = 64;
        long sectionAt = namesAt + names.length;
        long headersAt = sectionAt + section.length;
        ByteBuffer f = le((int) headersAt + 3 * 64);
        f.put(0, (byte) 0x7F).put(1, (byte) 'E').put(2, (byte) 'L').put(3, (byte) 'F').put(4, (byte) 2).put(5, (byte) 1);
        f.putLong(0x28, headersAt).putShort(0x3A, (short) 64).putShort(0x3C, (short) 3).putShort(0x3E, (short) 1);
        f.put((int) namesAt, names).put((int) sectionAt, section);
        f.putInt((int) headersAt + 64, 1).putLong((int) headersAt + 64 + 0x18, namesAt)
                .putLong((int) headersAt + 64 + 0x20, names.length);
        f.putInt((int) headersAt + 128, 11).putLong((int) headersAt + 128 + 0x18, sectionAt)
                .putLong((int) headersAt + 128 + 0x20, section.length);
        return Files.write(dir.resolve("lib" + name.replace('.', '_') + ".so"), f.array());
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
