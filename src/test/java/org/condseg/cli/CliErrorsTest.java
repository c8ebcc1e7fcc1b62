package org.condseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input ends as one line on stderr naming the file or key, exit status 2, no stack trace, and
 * nothing already under results/ is touched. These all fail before any training starts.
 */
class CliErrorsTest {
    @TempDir
    Path dir;

    record Outcome(int status, String err) {
    }

    private Outcome run(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.execute(args);
        } finally {
            System.setErr(oldErr);
        }
        return new Outcome(status, buf.toString(StandardCharsets.UTF_8));
    }

    /** The last stderr line is the error; no line looks like a stack frame. */
    private static String errorLine(Outcome o) {
        assertFalse(o.err().contains("\tat "), "stack trace printed:\n" + o.err());
        String[] lines = o.err().strip().split("\\R");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("error: "), o.err());
        return last;
    }

    private Path config(String yaml) throws IOException {
        Path results = dir.resolve("results");
        Path cfg = dir.resolve("exp.yaml");
        Files.writeString(cfg, "results: " + results + "\n" + yaml);
        return cfg;
    }

    private static void png(Path file, int w, int h, int value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x + y) % 5 == 0 ? value : 0);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    /** A folder data set of n good pairs, in data/images and data/masks. */
    private Path folderData(int n) throws IOException {
        Path root = dir.resolve("data");
        for (int i = 0; i < n; i++) {
            png(root.resolve("images/img" + i + ".png"), 32, 32, 200);
            png(root.resolve("masks/img" + i + ".png"), 32, 32, 255);
        }
        return root;
    }

    private Outcome runFolder(Path root) throws IOException {
        Path cfg = config("data: {dataset: folder, root: " + root + ", size: 32}\n"
                + "model: {width: 8, encoder: resnet18}\ntrain: {stage1: {epochs: 1}, stage2: {epochs: 1}}\n");
        return run("run", cfg.toString());
    }

    @Test
    void outOfMemoryIsOneLineWithWhatToChange() {
        java.io.StringWriter w = new java.io.StringWriter();
        int rc = Main.report(new OutOfMemoryError("Cannot allocate new LongPointer(3): physicalBytes = 5264M"),
                new java.io.PrintWriter(w));
        String out = w.toString().trim();
        assertEquals(1, rc);
        assertFalse(out.contains("\n") || out.contains("\tat "), out);
        assertTrue(out.startsWith("error: out of memory (Cannot allocate new LongPointer(3)") && out.contains("CONDSEG_JAVA_OPTS")
                && out.contains("--resume"), out);
    }

    @Test
    void malformedYamlNamesFileAndLine() throws IOException {
        Outcome o = run("run", config("data: {dataset: [unclosed\n").toString());
        assertEquals(2, o.status());
        String line = errorLine(o);
        assertTrue(line.contains("exp.yaml") && line.contains("malformed YAML"), line);
    }

    @Test
    void unknownKeyNamesTheKeyAndTheNearestValidOne() throws IOException {
        Outcome o = run("run", config("model: {cdfa: {windw: 5}}\n").toString());
        assertEquals(2, o.status());
        String line = errorLine(o);
        assertTrue(line.contains("model.cdfa.windw") && line.contains("model.cdfa.window"), line);
    }

    @Test
    void wrongTypeNamesTheExpectedType() throws IOException {
        Outcome o = run("run", config("train: {stage2: {epochs: ten}}\n").toString());
        assertEquals(2, o.status());
        String line = errorLine(o);
        assertTrue(line.contains("train.stage2.epochs") && line.contains("integer"), line);
    }

    @Test
    void badSetOverrideIsAnError() throws IOException {
        Outcome o = run("run", config("").toString(), "--set", "train.stage1.lr=fast", "--dry-run");
        assertEquals(2, o.status());
        assertTrue(errorLine(o).contains("train.stage1.lr"), o.err());
    }

    @Test
    void missingDatasetFolderIsNamed() throws IOException {
        Outcome o = runFolder(dir.resolve("nowhere"));
        assertEquals(2, o.status());
        assertTrue(errorLine(o).contains("nowhere"), o.err());
    }

    @Test
    void emptySplitIsNamed() throws IOException {
        Path root = dir.resolve("empty");
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("masks"));
        Outcome o = runFolder(root);
        assertEquals(2, o.status());
        assertTrue(errorLine(o).contains(root.getFileName().toString()), o.err());
    }

    @Test
    void imageWithoutMaskIsNamed() throws IOException {
        Path root = folderData(10);
        png(root.resolve("images/lonely.png"), 32, 32, 100);
        Outcome o = runFolder(root);
        assertEquals(2, o.status());
        assertTrue(errorLine(o).contains("lonely"), o.err());
    }

    @Test
    void sizeMismatchIsNamed() throws IOException {
        Path root = folderData(10);
        png(root.resolve("masks/img3.png"), 16, 32, 255);
        Outcome o = runFolder(root);
        assertEquals(2, o.status());
        assertTrue(errorLine(o).contains("img3"), o.err());
    }

    @Test
    void corruptImageIsNamed() throws IOException {
        Path root = folderData(10);
        Files.write(root.resolve("images/img5.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Outcome o = runFolder(root);
        assertEquals(2, o.status());
        assertTrue(errorLine(o).contains("img5"), o.err());
    }

    @Test
    void nonBinaryMaskIsNamed() throws IOException {
        Path root = folderData(10);
        BufferedImage ramp = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                ramp.getRaster().setSample(x, y, 0, x * 8);
            }
        }
        ImageIO.write(ramp, "png", root.resolve("masks/img7.png").toFile());
        Outcome o = runFolder(root);
        assertEquals(2, o.status());
        assertTrue(errorLine(o).contains("img7"), o.err());
    }

    @Test
    void unwritableResultsFolderIsNamedAndNothingIsLost() throws IOException {
        Path blocker = dir.resolve("results-file");
        Files.writeString(blocker, "keep me");
        Path cfg = dir.resolve("exp.yaml");
        Files.writeString(cfg, "results: " + blocker + "\ndata: {dataset: synthetic, size: 32}\n");
        Outcome o = run("run", cfg.toString());
        assertEquals(2, o.status());
        assertTrue(errorLine(o).contains("results-file"), o.err());
        assertEquals("keep me", Files.readString(blocker));
    }

    @Test
    void missingConfigFileIsNamed() {
        Outcome o = run("run", dir.resolve("absent.yaml").toString());
        assertEquals(2, o.status());
        assertTrue(errorLine(o).contains("absent.yaml"), o.err());
    }

    @Test
    void dryRunListsOneLinePerCell() throws IOException {
        Path cfg = config("sweep: {model.cdfa.window: {values: [1, 3, 5, 7], label: K}}\nseeds: [0, 1]\n");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.execute("run", cfg.toString(), "--dry-run");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, status);
        String[] lines = java.util.Arrays.stream(buf.toString(StandardCharsets.UTF_8).strip().split("\\R"))
                .filter(l -> l.contains("/seed")).toArray(String[]::new); // cell lines (also: a header, the paper rows)
        assertEquals(8, lines.length, buf.toString());
        assertTrue(lines[0].startsWith("K1/seed0") && lines[0].contains("model.cdfa.window=1"), lines[0]);
        assertFalse(Files.exists(dir.resolve("results")), "a dry run writes nothing");
    }
}
