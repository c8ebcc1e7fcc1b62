package org.condseg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OpTimingListenerTest {
    /** x·w + 1 → tanh → out, and mean(out²) as the loss: 5 forward ops. */
    static SameDiff tiny() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 1, 3));
        SDVariable out = sd.math().tanh("out", x.mul("xw", w).add("xw1", 1.0));
        sd.math().square(out).mean().rename("loss");
        sd.setLossVariables("loss");
        return sd;
    }

    @Test
    void countsEveryForwardOpByTypeAndName() {
        SameDiff sd = tiny();
        OpTimingListener l = new OpTimingListener();
        sd.setListeners(l);
        Map<String, INDArray> ph = Map.of("x", Nd4j.rand(DataType.FLOAT, 2, 3));
        sd.output(ph, "out");
        assertEquals(3, l.opCount(), l.top(10));
        Map<String, Long> types = l.byType().stream()
                .collect(Collectors.toMap(OpTimingListener.Entry::key, OpTimingListener.Entry::count));
        assertEquals(Map.of("multiply", 1L, "add_scalar", 1L, "tanh", 1L), types);
        List<String> names = l.byName().stream().map(OpTimingListener.Entry::key).sorted().toList();
        assertEquals(3, names.size());
        assertTrue(l.opMs() > 0 && l.gapMs() >= 0);
        assertTrue(l.byType().get(0).nanos() >= l.byType().get(2).nanos(), "sorted by time");

        sd.output(ph, "out");
        assertEquals(6, l.opCount());
        l.reset();
        assertEquals(0, l.opCount());
        assertTrue(l.byType().isEmpty());
    }

    @Test
    void recordsBackpropOpsWithCalculateGradients() {
        SameDiff sd = tiny();
        OpTimingListener l = new OpTimingListener();
        sd.setListeners(l);
        sd.calculateGradients(Map.of("x", Nd4j.rand(DataType.FLOAT, 2, 3)), "w");
        assertTrue(l.opCount() > 5, l.top(20));
        assertTrue(l.byType().stream().anyMatch(e -> e.key().endsWith("_bp")), l.top(20));
        String table = l.top(2);
        assertEquals(4, table.lines().count(), table); // header, 2 rows, summary
        assertTrue(table.contains("between ops"), table);
    }
}
