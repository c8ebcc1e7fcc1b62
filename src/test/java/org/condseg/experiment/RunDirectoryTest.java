package org.condseg.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.condseg.train.StageLoop;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path dir;

    private RunSpec<TestConfigs.Root> run(String yaml) throws IOException {
        Path f = dir.resolve("table7.yaml");
        Files.writeString(f, yaml);
        return new SweepExpander<>(TestConfigs.Root.class).expand(new ConfigLoader().load(f)).get(0);
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void prepareLaysOutTheRunFolderAndRefusesAnotherConfig() throws IOException {
        Path results = dir.resolve("results");
        RunSpec<TestConfigs.Root> run = run("sweep: {model.cdfa.window: {values: [5], label: K}}\n");
        RunDirectory rd = RunDirectory.prepare(results, run);
        assertEquals(results.resolve("table7/K5/seed0"), rd.path());
        assertTrue(Files.isDirectory(rd.checkpoints()));
        assertEquals(run.resolvedYaml(), Files.readString(rd.resolvedYaml()));
        assertEquals(rd.path(), RunDirectory.prepare(results, run).path()); // same config: reopen to resume

        RunSpec<TestConfigs.Root> changed = run("sweep: {model.cdfa.window: {values: [5], label: K}}\nmodel: {width: 1}\n");
        UserError e = assertThrows(UserError.class, () -> RunDirectory.prepare(results, changed));
        assertTrue(e.getMessage().startsWith(rd.resolvedYaml() + " holds a different config"), e.getMessage());
    }

    @Test
    void aRecordWrittenBeforeAKeyExistedIsTheSameConfigWhenTheKeyIsAtItsDefault() throws IOException {
        Path results = dir.resolve("results");
        RunSpec<TestConfigs.Root> run = run("sweep: {model.cdfa.window: {values: [5], label: K}}\n");
        Path recorded = results.resolve("table7/K5/seed0/resolved.yaml");
        Files.createDirectories(recorded.getParent());
        // the record lacks model.cdfa.enabled and train.steps (keys added later), both at their defaults now
        String old = run.resolvedYaml().replace("    enabled: true\n", "").replace("  steps: 5000000000\n", "");
        assertTrue(old.length() < run.resolvedYaml().length() - 20, old);
        Files.writeString(recorded, old);
        assertEquals(recorded.getParent(), RunDirectory.prepare(results, run).path());
        assertEquals(old, Files.readString(recorded), "the record stays as it was written");

        // a missing key that is not at its default now: another config
        RunSpec<TestConfigs.Root> off = run("sweep: {model.cdfa.window: {values: [5], label: K}}\n"
                + "model: {cdfa: {enabled: false}}\n");
        assertThrows(UserError.class, () -> RunDirectory.prepare(results, off));
        // a recorded key the code no longer has: another config
        Files.writeString(recorded, run.resolvedYaml().replace("  steps: 5000000000\n", "  steps: 5000000000\n  gone: 1\n"));
        assertThrows(UserError.class, () -> RunDirectory.prepare(results, run));
    }

    @Test
    void anUnwritableResultsRootIsAUserErrorNamingIt() throws IOException {
        Path notADir = dir.resolve("results");
        Files.writeString(notADir, "a file where the results folder should be");
        RunSpec<TestConfigs.Root> run = run("{}\n");
        UserError e = assertThrows(UserError.class, () -> RunDirectory.prepare(notADir, run));
        assertTrue(e.getMessage().startsWith("results root " + notADir + " is not writable"), e.getMessage());
    }

    @Test
    void trainLogAppendsRowsAndReadsThemBack() {
        Path csv = dir.resolve("run/train_log.csv");
        TrainLog log = TrainLog.open(csv);
        log.append(row("epoch", 1, "stage", "stage1", "loss", 0.75, "lr", 1e-4));
        log.append(row("epoch", 2, "stage", "stage1", "loss", 0.5, "lr", 1e-4, "val_mIoU", 0.25));
        TrainLog back = TrainLog.open(csv);
        assertEquals(List.of("epoch", "stage", "loss", "lr", "val_mIoU"), back.columns());
        assertEquals(2, back.size());
        assertEquals("stage1", back.rows().get(1).get("stage"));
        assertFalse(back.rows().get(0).containsKey("val_mIoU")); // the later column is blank in earlier rows
        assertEquals(0.25, back.column("val_mIoU")[1]);
        assertTrue(Double.isNaN(back.column("val_mIoU")[0]));
        assertEquals(1e-4, back.column("lr")[0]);

        back.append(row("epoch", 3, "stage", "stage1", "loss", 0.25));
        back.append(row("epoch", 1, "stage", "stage2", "loss", 0.2));
        back.truncateAfter("stage1", 2); // resume stage 1 from its epoch-2 checkpoint
        TrainLog resumed = TrainLog.open(csv);
        assertEquals(List.of("1", "2", "1"), resumed.rows().stream().map(r -> r.get("epoch")).toList());
        assertEquals("stage2", resumed.rows().get(2).get("stage"));
    }

    @Test
    void theEpochSinkLogsEachEpochAndRedrawsTheCurves() throws IOException {
        RunDirectory rd = RunDirectory.at(dir.resolve("r"));
        StageLoop.EpochSink sink = rd.epochSink();
        sink.epochDone("stage1", 0, Map.of("loss", 0.5));
        sink.epochDone("stage1", 1, Map.of("loss", 0.4));
        sink.epochDone("stage1", 2, Map.of("loss", 0.3));
        sink.truncateAfter("stage1", 0);
        TrainLog log = rd.trainLog();
        assertEquals(List.of("stage", "epoch", "loss"), log.columns());
        assertEquals(1, log.size());
        assertEquals(0.5, log.column("loss")[0]);
        assertTrue(Files.size(rd.curves()) > 0);
    }

    @Test
    void summaryRoundTripsAndDecidesIsFinished() {
        RunDirectory rd = RunDirectory.at(dir.resolve("r"));
        assertNull(rd.summary());
        assertFalse(rd.isFinished());
        Summary s = new Summary();
        s.experiment = "table7";
        s.run = "K5/seed0";
        s.seed = 0;
        s.metrics.put("mIoU", 0.8125);
        s.scale.put("imageSize", 64);
        rd.writeSummary(s);
        assertFalse(rd.isFinished());
        s.status = Summary.FINISHED;
        rd.writeSummary(s);
        assertTrue(rd.isFinished());
        Summary back = rd.summary();
        assertEquals(0.8125, back.metrics.get("mIoU"));
        assertEquals(64, back.scale.get("imageSize"));
        assertEquals("K5/seed0", back.run);
    }

    @Test
    void aFailedWriteKeepsTheOldSummary() throws IOException {
        RunDirectory rd = RunDirectory.at(dir.resolve("r"));
        Summary s = new Summary();
        s.status = Summary.FINISHED;
        s.metrics.put("mIoU", 0.5);
        rd.writeSummary(s);
        String before = Files.readString(rd.summaryFile());
        s.metrics.put("mIoU", 0.9);
        s.extra.put("unserialisable", new Object()); // Jackson fails half-way through the document
        assertThrows(UserError.class, () -> rd.writeSummary(s));
        assertEquals(before, Files.readString(rd.summaryFile()));
        try (var files = Files.list(rd.path())) {
            assertEquals(List.of(rd.summaryFile()), files.toList()); // no temp file left behind
        }
    }

    @Test
    void aCorruptSummaryIsAUserErrorNamingTheFile() throws IOException {
        Path f = dir.resolve("summary.json");
        Files.writeString(f, "{\"status\": ");
        UserError e = assertThrows(UserError.class, () -> Summary.read(f));
        assertTrue(e.getMessage().startsWith(f + ": unreadable summary"), e.getMessage());
    }
}
