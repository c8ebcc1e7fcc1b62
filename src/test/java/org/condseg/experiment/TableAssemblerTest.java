package org.condseg.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableAssemblerTest {
    @TempDir
    Path dir;

    private void summary(String run, String status, double miou, double dice, int size) {
        Summary s = new Summary();
        s.status = status;
        s.run = run;
        s.seed = Integer.parseInt(run.substring(run.lastIndexOf("seed") + 4));
        s.metrics.put("mIoU", miou);
        s.metrics.put("mDSC", dice);
        s.scale.put("imageSize", size);
        s.scale.put("device", "cpu");
        s.write(dir.resolve("table7").resolve(run).resolve(RunDirectory.SUMMARY));
    }

    @Test
    void twoSeedsGiveMeanAndSampleSdOneSeedGivesNoSd() throws IOException {
        summary("K11/seed0", Summary.FINISHED, 0.70, 0.80, 64);
        summary("K5/seed0", Summary.FINISHED, 0.80, 0.90, 64);
        summary("K5/seed1", Summary.FINISHED, 0.84, 0.86, 64);
        summary("K5/seed2", Summary.RUNNING, 0.10, 0.10, 64); // unfinished: left out
        summary("K3/seed0", Summary.FAILED, 0.5, 0.5, 64);    // failed: left out
        Path table = TableAssembler.assemble(dir.resolve("table7"));
        assertEquals(dir.resolve("table7/table.csv"), table);
        // By hand: mIoU mean (0.80 + 0.84) / 2 = 0.82; deviations +-0.02, sd = sqrt((0.0004 + 0.0004) / 1)
        // = 0.0282843 (6 significant digits). mDSC mean 0.88, the same sd.
        assertEquals(List.of(
                "run,n_seeds,seeds,mIoU_mean,mIoU_sd,mDSC_mean,mDSC_sd,imageSize,device",
                "K5,2,0 1,0.82,0.0282843,0.88,0.0282843,64,cpu",
                "K11,1,0,0.7,,0.8,,64,cpu"), Files.readAllLines(table));
    }

    @Test
    void groupsFollowTheGivenOrderAndScaleDisagreementsShow() throws IOException {
        summary("cr/seed0", Summary.FINISHED, 0.5, 0.5, 64);
        summary("cr/seed1", Summary.FINISHED, 0.5, 0.5, 128);
        summary("base/seed0", Summary.FINISHED, 0.25, 0.5, 64);
        Map<String, Map<String, String>> rows = TableAssembler.read(
                TableAssembler.assemble(dir.resolve("table7"), List.of("cr", "missing", "base")));
        assertEquals(List.of("cr", "base"), List.copyOf(rows.keySet()));
        assertEquals("64|128", rows.get("cr").get("imageSize"));
        assertEquals("0", rows.get("cr").get("mIoU_sd"));
    }

    @Test
    void naturalOrderComparesDigitRunsAsNumbers() {
        List<String> names = new java.util.ArrayList<>(List.of("K11", "K3", "K5_lr0.1", "K5", "base"));
        names.sort(TableAssembler.NATURAL);
        assertEquals(List.of("K3", "K5", "K5_lr0.1", "K11", "base"), names);
    }

    @Test
    void aMissingExperimentFolderIsAUserError() {
        UserError e = assertThrows(UserError.class, () -> TableAssembler.assemble(dir.resolve("nope")));
        assertTrue(e.getMessage().startsWith("no results folder " + dir.resolve("nope")), e.getMessage());
    }

    @Test
    void paperComparisonWritesPaperMeasuredAndDelta() throws IOException {
        summary("two-stage-cr/seed0", Summary.FINISHED, 0.80, 0.90, 64);
        summary("two-stage-cr/seed1", Summary.FINISHED, 0.84, 0.86, 64);
        Path table = TableAssembler.assemble(dir.resolve("table7"));
        Path paper = dir.resolve("table3_training.csv");
        Files.writeString(paper, "row,mIoU,mDSC\nNet_0,0.701,\ntwo-stage with CR,0.812,0.885\n");
        Path md = dir.resolve("ablations/table3.md");
        PaperComparison.write(paper, table, Map.of("two-stage with CR", "two-stage-cr", "Net_0", "net0"), 1.0, md);
        // By hand: 0.82 - 0.812 = +0.008; 0.88 - 0.885 = -0.005; sd 0.0282843 -> 0.028 at the paper's 3 decimals.
        assertEquals("""
                | row | measured run | mIoU paper | mIoU measured | mIoU Δ | mDSC paper | mDSC measured | mDSC Δ |
                |---|---|---:|---:|---:|---:|---:|---:|
                | Net_0 | net0 (not run) | 0.701 | — | — | — | — | — |
                | two-stage with CR | two-stage-cr (n=2) | 0.812 | 0.820 ± 0.028 | +0.008 | 0.885 | 0.880 ± 0.028 | -0.005 |

                Δ = measured − paper. Measured: mean ± sample sd over the n seeds run (sd only when n ≥ 2).
                """, Files.readString(md));
    }

    @Test
    void aCellMappingReachesPerDatasetGroupsAndPercentScale() throws IOException {
        summary("kvasir-seg/seed0", Summary.FINISHED, 0.80, 0.90, 64);
        summary("glas/seed0", Summary.FINISHED, 0.70, 0.75, 64);
        Path table = TableAssembler.assemble(dir.resolve("table7"));
        Path paper = dir.resolve("table1.csv");
        Files.writeString(paper, "row,kvasir-seg.mIoU,glas.mDSC\nConDSeg,81.2,80\n");
        String md = PaperComparison.render(paper, table, (row, column) -> new PaperComparison.Cell(
                column.substring(0, column.indexOf('.')), column.substring(column.indexOf('.') + 1)), 100);
        // By hand: 0.80 * 100 = 80.0, 80.0 - 81.2 = -1.2; 0.75 * 100 = 75 at 0 decimals, 75 - 80 = -5.
        assertTrue(md.contains("| ConDSeg | kvasir-seg (n=1), glas (n=1) | 81.2 | 80.0 | -1.2 | 80 | 75 | -5 |"), md);
    }
}
