package org.condseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.condseg.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StageLoopTest {
    @TempDir
    Path dir;

    /** A two-parameter "network" fitted to noisy targets: enough to exercise every path of the loop. */
    static class Toy implements StageLoop.Trainee {
        final Map<String, INDArray> w = new LinkedHashMap<>();
        final Adam adam = new Adam(0.1, 0.01, n -> n.startsWith("layer0."));

        Toy() {
            w.put("layer0.w", Nd4j.createFromArray(0.0f));
            w.put("head.w", Nd4j.createFromArray(0.0f));
        }

        @Override
        public Map<String, Double> trainEpoch(int epoch, long seed) {
            Random r = new Random(seed);
            double loss = 0;
            for (int b = 0; b < 5; b++) {
                double target = 3 + 0.1 * r.nextGaussian();
                Map<String, INDArray> g = new LinkedHashMap<>();
                for (var e : w.entrySet()) {
                    double d = e.getValue().getDouble(0) - target;
                    loss += d * d;
                    g.put(e.getKey(), Nd4j.createFromArray((float) (2 * d)));
                }
                adam.step(w, g);
            }
            return Map.of("loss", loss / 5);
        }

        @Override
        public Map<String, Double> validate(int epoch) {
            double d = Math.abs(w.get("head.w").getDouble(0) - 3);
            return Map.of("val_loss", d, "val_mIoU", 1 / (1 + d));
        }

        @Override
        public Map<String, INDArray> weights() {
            return w;
        }

        @Override
        public void loadWeights(Map<String, INDArray> weights) {
            weights.forEach((k, a) -> w.get(k).assign(a));
        }

        @Override
        public Adam optimizer() {
            return adam;
        }
    }

    static final class Rows implements StageLoop.EpochSink {
        final List<String> rows = new ArrayList<>();

        @Override
        public void epochDone(String stage, int epoch, Map<String, Double> row) {
            rows.add(stage + ":" + epoch + ":" + row.get("loss") + ":" + row.get("val_mIoU"));
        }

        @Override
        public void truncateAfter(String stage, int epoch) {
            rows.removeIf(r -> Integer.parseInt(r.split(":")[1]) > epoch);
        }
    }

    private StageLoop.Spec spec(Path d, int epochs, String hash) {
        return new StageLoop.Spec("stage2", epochs, StageLoop.Schedule.none(), 7, hash, d, 1);
    }

    @Test
    void resumingAfterAnInterruptionGivesTheSameResultAsAnUninterruptedRun() {
        Toy full = new Toy();
        Rows fullRows = new Rows();
        StageLoop.run(spec(dir.resolve("a"), 6, "h"), full, fullRows, false, s -> { });

        Toy first = new Toy();
        Rows rows = new Rows();
        StageLoop.run(spec(dir.resolve("b"), 3, "h"), first, rows, false, s -> { });
        Toy resumed = new Toy();                                   // a fresh process: nothing in memory
        StageLoop.run(spec(dir.resolve("b"), 6, "h"), resumed, rows, true, s -> { });

        assertEquals(full.w.get("layer0.w").getDouble(0), resumed.w.get("layer0.w").getDouble(0), 0.0);
        assertEquals(full.w.get("head.w").getDouble(0), resumed.w.get("head.w").getDouble(0), 0.0);
        assertEquals(fullRows.rows, rows.rows);
        assertTrue(StageLoop.finished(spec(dir.resolve("b"), 6, "h")));
    }

    @Test
    void theEncoderGroupMovesAtItsOwnRate() {
        Toy t = new Toy();
        StageLoop.run(spec(dir, 1, "h"), t, new Rows(), false, s -> { });
        // Adam's first steps move each parameter by about its learning rate: 5 steps of 0.1 vs 0.01.
        assertEquals(0.5, t.w.get("head.w").getDouble(0), 0.02);
        assertEquals(0.05, t.w.get("layer0.w").getDouble(0), 0.002);
    }

    @Test
    void aChangedConfigIsRefusedOnResume() {
        StageLoop.run(spec(dir, 2, "h1"), new Toy(), new Rows(), false, s -> { });
        UserError e = assertThrows(UserError.class,
                () -> StageLoop.run(spec(dir, 4, "h2"), new Toy(), new Rows(), true, s -> { }));
        assertTrue(e.getMessage().contains("config hash"), e.getMessage());
    }

    @Test
    void earlyStoppingEndsTheStage() {
        Toy t = new Toy() {
            @Override
            public Map<String, Double> validate(int epoch) {
                return Map.of("val_loss", 1.0, "val_mIoU", epoch == 0 ? 0.9 : 0.1);
            }
        };
        StageLoop.Schedule s = new StageLoop.Schedule(false, 30, 0.1, true, 2);
        StageLoop.Outcome o = StageLoop.run(new StageLoop.Spec("stage1", 20, s, 1, "h", dir, 1), t, new Rows(),
                false, x -> { });
        assertTrue(o.stoppedEarly());
        assertEquals(3, o.epochsRun());
        assertEquals(0, o.bestEpoch());
    }
}
