package org.condseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.condseg.experiment.Summary;
import org.condseg.experiment.TrainLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real training run (both stages, tiny scale) is killed with SIGKILL after its first epoch, refused without
 * --resume, resumed to completion without redoing the epoch it had finished, left untouched by a further run, and
 * then used by {@code predict} on real Kvasir-SEG images.
 */
class KillAndResumeTest {
    @TempDir
    Path dir;

    @Test
    void killedRunResumesWithoutRedoingEpochsAndPredicts() throws Exception {
        Path results = dir.resolve("results");
        Path cfg = dir.resolve("tiny.yaml");
        Files.writeString(cfg, String.join("\n",
                "experiment: tiny",
                "fidelity: paper",
                "results: " + results,
                "data: {dataset: synthetic, size: 32, trainSubset: 8, valSubset: 4, testSubset: 4}",
                "model: {width: 8, encoder: resnet18}",
                "train:",
                "  stage1: {epochs: 2, batchSize: 4}",
                "  stage2: {epochs: 2, batchSize: 4}",
                ""));
        Path run = results.resolve("tiny/base/seed0");
        Path log = run.resolve("train_log.csv");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!(Files.exists(log) && TrainLog.open(log).rows().size() >= 1
                && Files.exists(run.resolve("checkpoints/stage1-last.zip")))) {
            assertTrue(p.isAlive(), () -> "the run ended early: " + read(dir.resolve("killed.log")));
            assertTrue(System.nanoTime() < deadline, "no epoch finished within 10 minutes");
            Thread.sleep(200);
        }
        p.destroyForcibly();                                   // SIGKILL: no shutdown hooks, no cleanup
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        int rowsAtKill = TrainLog.open(log).rows().size();
        assertTrue(rowsAtKill >= 1 && rowsAtKill < 4, "rows at kill: " + rowsAtKill);
        String firstRow = String.valueOf(TrainLog.open(log).rows().get(0));

        assertEquals(2, Main.execute("run", cfg.toString()), "an unfinished run needs --resume");
        assertEquals(0, Main.execute("run", cfg.toString(), "--resume"));

        TrainLog done = TrainLog.open(log);
        List<String> epochs = new ArrayList<>();
        for (var row : done.rows()) {
            epochs.add(row.get("stage") + ":" + row.get("epoch"));
        }
        assertEquals(List.of("stage1:0", "stage1:1", "stage2:0", "stage2:1"), epochs);
        assertEquals(firstRow, String.valueOf(done.rows().get(0)), "the finished epoch was not redone");
        Summary s = Summary.read(run.resolve("summary.json"));
        assertTrue(s.isFinished());
        assertTrue(s.metrics.get("iou") >= 0 && s.metrics.get("iou") <= 1);
        assertTrue(Files.size(run.resolve("per_image.csv")) > 0);
        assertTrue(Files.exists(run.resolve("curves.png")));
        assertTrue(Files.exists(results.resolve("tiny/table.csv")));

        long stamp = Files.getLastModifiedTime(run.resolve("summary.json")).toMillis();
        assertEquals(0, Main.execute("run", cfg.toString(), "--resume"));
        assertEquals(stamp, Files.getLastModifiedTime(run.resolve("summary.json")).toMillis(),
                "a finished run is never redone");

        Path input = dir.resolve("in");
        Files.createDirectories(input);
        Path kvasir = Path.of("..", "shared", "datasets", "kvasir-seg", "images");
        List<String> ids = List.of("cju0qkwl35piu0993l0dewei2", "cju0qoxqj9q6s0835b43399p4");
        for (String id : ids) {
            Files.copy(kvasir.resolve(id + ".jpg"), input.resolve(id + ".jpg"));
        }
        Path out = dir.resolve("out");
        assertEquals(0, Main.execute("predict", "--checkpoint", run.toString(), "--input", input.toString(),
                "--output", out.toString()));
        for (String id : ids) {
            BufferedImage src = ImageIO.read(input.resolve(id + ".jpg").toFile());
            BufferedImage mask = ImageIO.read(out.resolve(id + ".png").toFile());
            assertEquals(src.getWidth(), mask.getWidth());
            assertEquals(src.getHeight(), mask.getHeight());
            assertTrue(new File(out.resolve(id + "_overlay.png").toString()).isFile());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
