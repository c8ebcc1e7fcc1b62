package org.condseg.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.condseg.util.UserError;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input is a UserError whose message names the file (or folder) at fault. */
class DatasetCheckTest {
    @TempDir
    Path dir;

    private FolderReader reader;

    @BeforeEach
    void threeGoodPairs() {
        for (int i = 0; i < 3; i++) {
            Fixtures.pair(dir.resolve("images/a" + i + ".png"), dir.resolve("masks/a" + i + ".png"));
        }
        reader = new FolderReader("folder", dir, false, 0, 0, 1);
    }

    private UserError failure() {
        return assertThrows(UserError.class, () -> DatasetCheck.verify(reader, Split.train));
    }

    @Test
    void goodDataPasses() {
        assertEquals(3, DatasetCheck.verify(reader, Split.train));
    }

    @Test
    void missingFolderNamesPathAndLayout() {
        Path missing = dir.resolve("nope");
        UserError e = assertThrows(UserError.class,
                () -> DatasetCheck.verify(FolderReader.kvasirSeg(missing), Split.train));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("train.txt"), e.getMessage());
        UserError glas = assertThrows(UserError.class, () -> new GlasReader(missing).list(Split.train));
        assertTrue(glas.getMessage().contains(missing.toString()) && glas.getMessage().contains("_anno.bmp"));
        UserError isic = assertThrows(UserError.class, () -> new IsicReader(2017, dir).list(Split.val));
        assertTrue(isic.getMessage().contains("ISIC-2017_Validation_Data"), isic.getMessage());
    }

    @Test
    void emptySplitNamesFolder() throws IOException {
        Files.writeString(dir.resolve("train.txt"), "\n");
        Files.writeString(dir.resolve("val.txt"), "a0\n");
        UserError e = failure();
        assertTrue(e.getMessage().contains("train split") && e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void listedIdWithoutImage() throws IOException {
        Files.writeString(dir.resolve("train.txt"), "a0\nghost\n");
        Files.writeString(dir.resolve("val.txt"), "a1\n");
        UserError e = failure();
        assertTrue(e.getMessage().contains("ghost") && e.getMessage().contains("train.txt"), e.getMessage());
    }

    @Test
    void imageWithoutMask() throws IOException {
        Files.delete(dir.resolve("masks/a1.png"));
        UserError e = failure();
        assertTrue(e.getMessage().contains("a1.png") && e.getMessage().contains("no mask"), e.getMessage());
    }

    @Test
    void sizeMismatch() {
        Fixtures.pair(dir.resolve("images/a2.png"), dir.resolve("masks/a2.png"), 30, 20, 2, 2, 5);
        Fixtures.pair(dir.resolve("x.png"), dir.resolve("masks/a2.png"), 24, 20, 2, 2, 5);
        UserError e = failure();
        assertTrue(e.getMessage().contains("a2.png") && e.getMessage().contains("30x20"), e.getMessage());
    }

    @Test
    void corruptImage() throws IOException {
        Files.write(dir.resolve("images/a0.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        UserError e = failure();
        assertTrue(e.getMessage().contains("a0.png") && e.getMessage().contains("cannot decode"), e.getMessage());
        Files.writeString(dir.resolve("images/a0.png"), "plain text, not an image");
        UserError e2 = failure();
        assertTrue(e2.getMessage().contains("a0.png"), e2.getMessage());
    }

    @Test
    void nonBinaryMask() {
        int w = 24;
        int h = 20;
        byte[] ramp = new byte[w * h];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (byte) (i * 255 / ramp.length);
        }
        ImageFiles.writeGray(dir.resolve("masks/a1.png"), w, h, ramp);
        UserError e = failure();
        assertTrue(e.getMessage().contains("a1.png") && e.getMessage().contains("not binary"), e.getMessage());

        // A 0/1 mask (values far below the threshold) would come out empty: refused too.
        byte[] ones = new byte[w * h];
        java.util.Arrays.fill(ones, 0, w * h / 2, (byte) 1);
        java.util.Arrays.fill(ones, w * h / 2, w * h, (byte) 128);
        ImageFiles.writeGray(dir.resolve("masks/a1.png"), w, h, ones);
        assertTrue(failure().getMessage().contains("a1.png"));
    }

    @Test
    void datasetOpenChecksToo() {
        Fixtures.pair(dir.resolve("images/a2.png"), dir.resolve("masks/a2.png"), 30, 20, 2, 2, 5);
        Fixtures.pair(dir.resolve("x.png"), dir.resolve("masks/a2.png"), 24, 20, 2, 2, 5);
        DataConfig cfg = new DataConfig();
        cfg.size = 16;
        UserError e = assertThrows(UserError.class, () -> Dataset.open(reader, Split.train, cfg));
        assertTrue(e.getMessage().contains("a2.png"), e.getMessage());
    }
}
