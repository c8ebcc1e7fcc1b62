package org.condseg.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;

/** {@code run --only}: glob selection of cells by group name, combined with the shard. */
class OnlyCellsTest {
    private static List<String> groups(String shard, String... only) {
        ExperimentRunner.Options o = new ExperimentRunner.Options(Path.of("configs", "comparison_polyp_glas.yaml"),
                "quick", List.of(), false, true, shard, List.of(only));
        return ExperimentRunner.plan(o).stream().map(RunSpec::group).toList();
    }

    @Test
    void globsSelectCellsByGroup() {
        assertEquals(21, groups("0/1").size());
        assertEquals(List.of("kvasir-seg_unet", "kvasir-seg_pranet", "kvasir-seg_condseg"),
                groups("0/1", "kvasir-seg_unet", "kvasir-seg_pranet", "kvasir-seg_condseg"));
        List<String> seg = groups("0/1", "kvasir-seg_*");
        assertEquals(7, seg.size());
        assertTrue(seg.stream().allMatch(g -> g.startsWith("kvasir-seg_")), seg.toString());
        assertEquals(List.of("kvasir-sessile_unetpp", "kvasir-seg_unetpp", "glas_unetpp"), groups("0/1", "*_unetpp"));
        // the shard applies first: 21 cells, every 2nd from 0, then the glob
        assertEquals(List.of("kvasir-sessile_unet", "kvasir-sessile_attention_unet", "kvasir-seg_unetpp", "glas_unet",
                "glas_attention_unet"), groups("0/2", "*unet", "*unetpp"));
    }

    @Test
    void aGlobMatchingNothingIsAUserError() {
        UserError e = assertThrows(UserError.class, () -> groups("0/1", "kvasir_seg_*"));
        assertTrue(e.getMessage().contains("--only kvasir_seg_*") && e.getMessage().contains("--dry-run"),
                e.getMessage());
    }
}
