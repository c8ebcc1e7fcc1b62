package org.condseg.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** configs/synapse.yaml's quick profile end to end on synthetic Synapse volumes, at a tiny budget. */
class SynapseSmokeTest {
    static final List<String> TABLE10 = List.of("DSC", "HD95", "Aorta", "Gallbladder", "Kidney(L)", "Kidney(R)",
            "Liver", "Pancreas", "Spleen", "Stomach");

    @TempDir
    Path tmp;

    @Test
    void quickSyntheticRunWritesTable10() throws Exception {
        List<String> sets = List.of("data.synthetic=true", "data.cacheDir=" + tmp.resolve("cache"),
                "results=" + tmp.resolve("results"), "data.size=32", "data.trainSubset=4", "data.valSubset=2",
                "data.generator.train=8", "data.generator.test=4", "data.generator.slices=4", "data.workers=1",
                "model.width=8", "train.strategy=one_stage", "train.stage2.epochs=1", "train.stage2.batchSize=2");
        int rc = ExperimentRunner.run(new ExperimentRunner.Options(Path.of("configs", "synapse.yaml"), "quick", sets,
                false, false, "0/1"));
        assertEquals(0, rc);
        Path exp = tmp.resolve("results").resolve("synapse");
        Csv.Table table = Csv.read(exp.resolve(TableAssembler.TABLE));
        for (int i = 0; i < TABLE10.size(); i++) {
            assertEquals(TABLE10.get(i) + "_mean", table.header().get(3 + 2 * i), table.header().toString());
        }
        Map<String, String> row = table.rows().get(0);
        double dsc = Double.parseDouble(row.get("DSC_mean"));
        assertTrue(dsc >= 0 && dsc <= 1, row.toString());
        assertTrue(Double.parseDouble(row.get("HD95_mean")) >= 0, row.toString());
        assertEquals("9", row.get("classes"));
        Path run = exp.resolve("base").resolve("seed0");
        List<String> perCase = Files.readAllLines(run.resolve(MultiClassReport.PER_CASE));
        assertEquals(2, perCase.size(), perCase.toString()); // header + the one synthetic test volume
        assertTrue(perCase.get(0).startsWith("case,Aorta_dice,Aorta_hd95"), perCase.get(0));
    }
}
