package org.condseg.util;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TreeSet;

/**
 * The GPU code a CUDA shared library carries: reads the {@code .nv_fatbin} section of a 64-bit little-endian ELF file
 * and lists each fat binary's entries as {@code sm_XY} (machine code, runs only on compute capability X.Y' with
 * Y' ≥ Y) or {@code compute_XY} (PTX, which the driver compiles for any capability ≥ X.Y). Only the headers are read,
 * so the 850 MB section of libnd4jcuda.so takes milliseconds.
 *
 * <p>Layout (NVIDIA's fatbinary container, as nvcc writes it): a container header {@code u32 magic 0xBA55ED50,
 * u16 version, u16 headerSize, u64 payloadSize}, then entries {@code u16 kind (1 PTX, 2 ELF), u16, u32 headerSize,
 * u64 payloadSize, ..., u32 arch at byte 28}, each followed by its payload.
 */
public final class FatBinary {
    static final int MAGIC = 0xBA55ED50;
    static final int KIND_PTX = 1;
    static final int KIND_ELF = 2;
    private static final String SECTION = ".nv_fatbin";

    private FatBinary() {
    }

    /** Prints the entries of each library named: {@code java -cp target/condseg-j.jar org.condseg.util.FatBinary LIB...}. */
    public static void main(String[] args) throws IOException {
        for (String a : args) {
            System.out.println(a + ": " + String.join(" ", architectures(Path.of(a))));
        }
    }

    /** The distinct entries ({@code sm_86}, {@code compute_80}, ...) of every fat binary in the library. */
    public static TreeSet<String> architectures(Path library) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(library.toFile(), "r")) {
            long[] section = findSection(f, library);
            TreeSet<String> archs = new TreeSet<>();
            if (section == null) {
                return archs;
            }
            long pos = section[0];
            long end = section[0] + section[1];
            while (pos + 16 <= end) {
                ByteBuffer h = read(f, pos, 16);
                if (h.getInt(0) != MAGIC) {
                    pos += 8;                   // containers are 8-byte aligned; skip padding between them
                    continue;
                }
                long entry = pos + (h.getShort(6) & 0xFFFF);
                long containerEnd = entry + h.getLong(8);
                if (containerEnd > end) {
                    throw new IOException(library + ": fat binary at byte " + pos + " runs past its section");
                }
                while (entry + 32 <= containerEnd) {
                    ByteBuffer e = read(f, entry, 32);
                    int kind = e.getShort(0) & 0xFFFF;
                    long headerSize = e.getInt(4) & 0xFFFFFFFFL;
                    long payload = e.getLong(8);
                    int arch = e.getInt(28);
                    if (kind == KIND_ELF) {
                        archs.add("sm_" + arch);
                    } else if (kind == KIND_PTX) {
                        archs.add("compute_" + arch);
                    }
                    if (headerSize == 0) {
                        throw new IOException(library + ": fat binary entry at byte " + entry + " has no header");
                    }
                    entry += headerSize + payload;
                }
                pos = containerEnd;
            }
            return archs;
        }
    }

    /** {offset, size} of the {@code .nv_fatbin} section, or null when the library has none. */
    private static long[] findSection(RandomAccessFile f, Path library) throws IOException {
        ByteBuffer eh = read(f, 0, 64);
        if (eh.getInt(0) != 0x464C457F || eh.get(4) != 2 || eh.get(5) != 1) {
            throw new IOException(library + " is not a 64-bit little-endian ELF file");
        }
        long shoff = eh.getLong(0x28);
        int shentsize = eh.getShort(0x3A) & 0xFFFF;
        int shnum = eh.getShort(0x3C) & 0xFFFF;
        int shstrndx = eh.getShort(0x3E) & 0xFFFF;
        ByteBuffer names = read(f, shoff + (long) shstrndx * shentsize, shentsize);
        long namesOffset = names.getLong(0x18);
        for (int i = 0; i < shnum; i++) {
            ByteBuffer sh = read(f, shoff + (long) i * shentsize, shentsize);
            long nameAt = namesOffset + (sh.getInt(0) & 0xFFFFFFFFL);
            byte[] name = new byte[(int) Math.max(0, Math.min(SECTION.length() + 1, f.length() - nameAt))];
            f.seek(nameAt);
            f.readFully(name);
            if (new String(name, StandardCharsets.US_ASCII).equals(SECTION + '\0')) {
                return new long[] {sh.getLong(0x18), sh.getLong(0x20)};
            }
        }
        return null;
    }

    private static ByteBuffer read(RandomAccessFile f, long at, int n) throws IOException {
        byte[] b = new byte[n];
        f.seek(at);
        f.readFully(b);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
