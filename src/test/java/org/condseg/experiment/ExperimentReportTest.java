package org.condseg.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dry-run paper rows, reports rebuilt from (fake) finished run folders, unavailable cells, the bench experiment. */
class ExperimentReportTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    private ExperimentRunner.Options options(String config, String profile, String... sets) {
        List<String> all = new ArrayList<>(List.of("results=" + dir.resolve("results")));
        all.addAll(List.of(sets));
        return new ExperimentRunner.Options(Path.of("configs", config + ".yaml"), profile, all, false, false, "0/1");
    }

    private String dryRun(String config, String profile, String... sets) {
        ExperimentPlan plan = ExperimentRunner.load(options(config, profile, sets));
        return ExperimentRunner.dryRun(plan, plan.runs());
    }

    private static List<String> lines(String text, String containing) {
        return Arrays.stream(text.split("\\R")).filter(l -> l.contains(containing)).toList();
    }

    /** A finished run folder as the runner leaves it: resolved.yaml, summary.json, train_log.csv. */
    private static void fakeRun(Path results, RunSpec<ExperimentConfig> run, Map<String, Double> metrics, double[] valIou)
            throws IOException {
        RunDirectory rd = RunDirectory.prepare(results, run);
        StringBuilder log = new StringBuilder("stage,epoch,loss,val_loss,val_mIoU\n");
        for (int e = 0; e < valIou.length; e++) {
            log.append("stage1,").append(e).append(",1.0,1.0,").append(valIou[e]).append('\n');
        }
        Files.writeString(rd.trainLogFile(), log);
        Summary s = new Summary();
        s.experiment = run.experiment();
        s.run = run.name();
        s.seed = run.seed();
        s.configHash = run.hash();
        s.metrics = new LinkedHashMap<>(metrics);
        s.scale = ExperimentRunner.scale(run.config());
        s.status = Summary.FINISHED;
        rd.writeSummary(s);
    }

    @ParameterizedTest
    @CsvSource({
        "comparison_polyp_glas, quick, 21, U-Net, kvasir-sessile_unet, kvasir-seg_unet, glas_unet",
        "comparison_isic, paper, 14, ConDSeg, isic2016_condseg, isic2017_condseg, ",
        "ablation_modules, quick, 3, +SID&CDFA, no-sad, , ",
        "encoders, quick, 5, PVT-v2-b2, pvt_v2_b2, , ",
        "inference_speed, quick, 7, CPFNet, cpfnet, , ",
        "convergence, quick, 8, ConDSeg two-stage, condseg-two-stage, , ",
        "ablation_threshold, quick, 9, 0.5, t0.5, , ",
        "ablation_stage1_epochs, quick, 5, 100, E20, , ",
        "ablation_stage1_epochs, paper, 5, 100, E100, , ",
        "ablation_window, quick, 4, K=7, K7, , ",
        "ablation_training, quick, 5, Net_0 + CR, net0-cr, , ",
        "ablation_consistency_loss, quick, 3, J-S, js, , ",
    })
    void dryRunListsTheCellsAndThePaperRowsTheyFill(String config, String profile, int cells, String row, String g1,
            String g2, String g3) {
        String out = dryRun(config, profile);
        assertEquals(cells, lines(out, "/seed0").size(), out);
        assertTrue(out.contains("paper rows of experiments/"), out);
        StringBuilder expected = new StringBuilder("  " + row + "  <- " + g1);
        for (String g : new String[] {g2, g3}) {
            if (g != null) {
                expected.append(", ").append(g);
            }
        }
        assertEquals(1, out.lines().filter(l -> l.equals(expected.toString())).count(), expected + " in\n" + out);
        assertFalse(out.contains("cells no paper row reads"), out);
    }

    @Test
    void dryRunMarksQuotedRowsAndCellsWithoutData() {
        String out = dryRun("comparison_polyp_glas", "quick");
        assertTrue(out.contains("  TGANet  <- quoted from the paper"), out);
        assertTrue(out.contains("  DCSAU-Net  <- quoted from the paper"), out);
        String glas = lines(out, "glas_condseg/seed0").get(0);
        assertTrue(glas.contains("[data not available: data/glas"), glas);
        assertFalse(lines(out, "kvasir-seg_condseg/seed0").get(0).contains("["), out); // shipped in ../shared
        String synthetic = dryRun("comparison_polyp_glas", "quick", "data.synthetic=true");
        assertFalse(lines(synthetic, "glas_condseg/seed0").get(0).contains("["), synthetic);
    }

    @Test
    void reportSectionsNeverChangeARunsHash() throws IOException {
        Path base = Path.of("configs", "base.yaml").toAbsolutePath();
        Path plain = dir.resolve("plain.yaml");
        Path reported = dir.resolve("reported.yaml");
        String body = "extends: " + base + "\nexperiment: x\nsweep: {model.cdfa.window: {values: [3, 5], label: K}}\n";
        Files.writeString(plain, body);
        Files.writeString(reported, body + "report: {kind: ablation, rows: {\"0.1\": K3}, quoted: [A],"
                + " plot: {type: sweep, axis: model.cdfa.window}}\nbench: {batch: 2}\n"
                + "profiles: {quick: {report: {rows: {K=5: K5}}}}\n");
        for (String profile : List.of("quick", "paper")) {
            List<String> a = ExperimentRunner.load(new ExperimentRunner.Options(plain, profile, List.of(), false, true, "0/1"))
                    .runs().stream().map(RunSpec::hash).toList();
            ExperimentPlan p = ExperimentRunner.load(new ExperimentRunner.Options(reported, profile, List.of(), false, true, "0/1"));
            assertEquals(a, p.runs().stream().map(RunSpec::hash).toList(), profile);
            assertEquals("K3", p.report().groupFor("0.1", "mIoU")); // a dotted label stays one key
            assertEquals(profile.equals("quick") ? "K5" : "K=5", p.report().groupFor("K=5", "mIoU"));
            assertEquals(2, p.bench().batch());
        }
    }

    @Test
    void aBadReportSectionIsAUserErrorNamingTheKey() throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "report: {kind: ablation, colour: red}\n");
        UserError e = assertThrows(UserError.class,
                () -> ExperimentRunner.load(new ExperimentRunner.Options(f, null, List.of(), false, true, "0/1")));
        assertTrue(e.getMessage().contains("report") && e.getMessage().contains("colour"), e.getMessage());
    }

    @Test
    void thresholdReportFromFinishedRunsHasPaperAndMeasuredColumnsAndAPlot() throws IOException {
        ExperimentRunner.Options o = options("ablation_threshold", "quick", "data.synthetic=true");
        ExperimentPlan plan = ExperimentRunner.load(o);
        for (RunSpec<ExperimentConfig> run : plan.runs()) {
            if (run.group().equals("t0.9")) {
                continue; // one cell not run yet: reported, not dropped
            }
            double t = run.config().loss.consistencyThreshold;
            fakeRun(plan.resultsRoot(), run, Map.of("iou", 0.5 + t / 10, "dice", 0.6 + t / 10, "recall", 0.7,
                    "precision", 0.8), new double[] {0.1, 0.2});
        }
        ExperimentReport.Outputs out = ExperimentRunner.report(o);

        assertEquals(dir.resolve("ablations/ablation_threshold.md"), out.markdown());
        String md = Files.readString(out.markdown());
        assertTrue(md.contains("| t | measured run | mIoU paper | mIoU measured | mIoU Δ | mDSC paper | mDSC measured |"), md);
        assertTrue(md.contains("| 0.5 | t0.5 (n=1) | — | 0.550 | — | — | 0.650 | — |"), md);
        assertTrue(md.contains("| 0.9 | t0.9 (" + Availability.NOT_RUN + ") |"), md);
        assertTrue(md.contains("isic2016 (synthetic layout)"), md); // the scale says the data was synthetic
        assertTrue(md.contains("![ablation_threshold](ablation_threshold.png)"), md);
        assertEquals(dir.resolve("ablations/ablation_threshold.png"), out.plot());
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(out.plot()), 4));

        Map<String, Map<String, String>> table = TableAssembler.read(out.table());
        assertEquals("0.55", table.get("t0.5").get("iou_mean"));
        assertEquals("finished", table.get("t0.5").get("status"));
        assertEquals(Availability.NOT_RUN, table.get("t0.9").get("status"));
        assertEquals("0", table.get("t0.9").get("n_seeds"));

        Map<String, Map<String, String>> layout = TableAssembler.read(out.paperLayout()); // the paper's rows and columns
        assertEquals(List.of("0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"), List.copyOf(layout.keySet()));
        assertEquals(Map.of("t", "0.5", "mIoU", "0.55", "mDSC", "0.65", "status", "finished"), layout.get("0.5"));
        assertEquals("t0.9: " + Availability.NOT_RUN, layout.get("0.9").get("status"));
    }

    @Test
    void consistencyLossReportDrawsNet0CurvesFromTheTrainLogs() throws IOException {
        ExperimentRunner.Options o = options("ablation_consistency_loss", "quick");
        ExperimentPlan plan = ExperimentRunner.load(o);
        for (RunSpec<ExperimentConfig> run : plan.runs()) {
            fakeRun(plan.resultsRoot(), run, Map.of("iou", 0.4, "dice", 0.5), new double[] {0.1, 0.3, 0.35});
        }
        ExperimentReport.Outputs out = ExperimentRunner.report(o);
        assertNotNull(out.plot());
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(out.plot()), 4));
        String md = Files.readString(out.markdown());
        assertTrue(md.contains("| J-S | js (n=1) | — | 0.400 | — | — | 0.500 | — |"), md);
    }

    @Test
    void aComparisonRunWithoutItsDataReportsEveryRowAndQuotesTheRest() throws IOException {
        ExperimentRunner.Options o = options("comparison_isic", "quick");
        assertEquals(0, ExperimentRunner.run(o)); // nothing can train here: no ISIC data (and maybe no models)
        Path exp = dir.resolve("results/comparison_isic");
        Map<String, Map<String, String>> table = TableAssembler.read(exp.resolve("table.csv"));
        assertEquals(14 + 5, table.size(), table.keySet().toString());
        assertTrue(table.get("isic2016_condseg").get("status").startsWith("data not available: data/isic2016"),
                table.get("isic2016_condseg").toString());
        assertTrue(table.get("isic2017_unet").get("status").contains("not available"));
        assertEquals(Availability.QUOTED, table.get("FAT-Net").get("status"));
        Map<String, Map<String, String>> layout = TableAssembler.read(exp.resolve("paper_layout.csv"));
        assertEquals(Availability.QUOTED, layout.get("FAT-Net").get("status"));
        assertEquals("", layout.get("ConDSeg").get("isic2017.mIoU"));
        assertTrue(layout.get("ConDSeg").get("status").contains("isic2017_condseg: data not available: data/isic2017"));
        String md = Files.readString(exp.resolve("report.md"));
        assertTrue(md.contains("| FAT-Net | " + Availability.QUOTED + " |"), md);
        assertTrue(md.contains("| ConDSeg | isic2016_condseg (data not available: data/isic2016"), md);
        try (var s = Files.list(exp)) {
            assertEquals(List.of("paper_layout.csv", "report.md", "table.csv"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no run folder for a cell that cannot run");
        }
    }

    @Test
    void benchExperimentTimesInferenceAndWritesTheSpeedTable() throws IOException {
        Path cfg = dir.resolve("speed.yaml");
        Files.writeString(cfg, "extends: " + Path.of("configs", "base.yaml").toAbsolutePath() + "\n"
                + "experiment: speed\nresults: " + dir.resolve("results") + "\n"
                + "paperTable: experiments/table8_speed.csv\n"
                + "data: {dataset: synthetic, size: 32}\nmodel: {name: condseg, width: 8, encoder: resnet18}\n"
                + "bench: {batch: 1, warmups: 0, reps: 2}\n"
                + "report: {kind: comparison, rows: {ConDSeg: base}}\n");
        ExperimentRunner.Options o = new ExperimentRunner.Options(cfg, "paper", List.of("data.size=32", "model.width=8",
                "model.encoder=resnet18"), false, false, "0/1");
        assertEquals(0, ExperimentRunner.run(o));
        Path exp = dir.resolve("results/speed");
        Map<String, String> row = TableAssembler.read(exp.resolve("table.csv")).get("base");
        double fps = Double.parseDouble(row.get("images_per_s_mean"));
        double ms = Double.parseDouble(row.get("ms_per_image_mean"));
        assertTrue(fps > 0 && ms > 0, row.toString());
        assertEquals(1000.0 / ms, fps, 1e-3 * fps);   // batch 1: images/s = 1000 / ms per image
        assertEquals("cpu-onednn", row.get("device")); // the backend and its libnd4j build (pom.xml)
        assertEquals("32", row.get("image_size"));
        assertTrue(Double.parseDouble(row.get("params_M_mean")) > 0, row.toString());
        String md = Files.readString(exp.resolve("report.md"));
        assertTrue(md.contains("| ConDSeg | base (n=1) |"), md);
        assertTrue(md.contains("| 59.6 |"), md);
        Map<String, String> speed = TableAssembler.read(exp.resolve("paper_layout.csv")).get("ConDSeg");
        assertEquals(fps, Double.parseDouble(speed.get("FPS")), 1e-3 * fps);
        assertEquals(ms, Double.parseDouble(speed.get("ms/image")), 1e-3 * ms);
        assertNull(ExperimentRunner.load(o).report().plot());
    }
}
