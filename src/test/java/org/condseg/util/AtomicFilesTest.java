package org.condseg.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void failedWriteKeepsTheOldContentAndLeavesNoTempFile() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "old");
        assertThrows(UserError.class, () -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void writesIntoMissingFolders() {
        Path f = dir.resolve("x/y/z.txt");
        AtomicFiles.writeString(f, "hello");
        assertTrue(Files.exists(f));
    }
}
