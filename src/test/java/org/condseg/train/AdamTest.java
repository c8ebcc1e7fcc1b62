package org.condseg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Adam against PyTorch's update rule written out in double precision, over four steps and both rate groups. */
class AdamTest {
    @Test
    void matchesPyTorchsAdam() {
        Nd4j.getRandom().setSeed(3);
        double lr = 1e-2;
        double slow = 1e-3;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        Adam adam = new Adam(lr, slow, n -> n.startsWith("enc"));
        Map<String, INDArray> params = new HashMap<>();
        params.put("enc.w", Nd4j.randn(DataType.FLOAT, 3, 4));
        params.put("head.w", Nd4j.randn(DataType.FLOAT, 5));
        params.put("tiny.w", Nd4j.randn(DataType.FLOAT, 6)); // gradients ≈ 1e-9: where ε decides the step
        Map<String, double[]> p = new HashMap<>();
        Map<String, double[]> m = new HashMap<>();
        Map<String, double[]> v = new HashMap<>();
        params.forEach((k, a) -> {
            p.put(k, a.dup().castTo(DataType.DOUBLE).data().asDouble());
            m.put(k, new double[(int) a.length()]);
            v.put(k, new double[(int) a.length()]);
        });
        for (int t = 1; t <= 4; t++) {
            Map<String, INDArray> grads = new HashMap<>();
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                // gradients of very different sizes
                double scale = e.getKey().startsWith("tiny") ? 1e-9 : t == 2 ? 1e-6 : 0.5;
                INDArray g = Nd4j.randn(DataType.FLOAT, e.getValue().shape()).muli(scale);
                grads.put(e.getKey(), g);
                double[] gd = g.dup().castTo(DataType.DOUBLE).data().asDouble();
                double rate = e.getKey().startsWith("enc") ? slow : lr;
                double[] pk = p.get(e.getKey());
                double[] mk = m.get(e.getKey());
                double[] vk = v.get(e.getKey());
                for (int i = 0; i < pk.length; i++) {
                    mk[i] = b1 * mk[i] + (1 - b1) * gd[i];
                    vk[i] = b2 * vk[i] + (1 - b2) * gd[i] * gd[i];
                    double mHat = mk[i] / (1 - Math.pow(b1, t));
                    double vHat = vk[i] / (1 - Math.pow(b2, t));
                    pk[i] -= rate * mHat / (Math.sqrt(vHat) + eps);
                }
            }
            adam.step(params, grads);
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                double[] got = e.getValue().dup().castTo(DataType.DOUBLE).data().asDouble();
                double[] want = p.get(e.getKey());
                for (int i = 0; i < got.length; i++) {
                    assertEquals(want[i], got[i], 1e-6, e.getKey() + "[" + i + "] after step " + t);
                }
            }
        }
        assertEquals(4, adam.stepCount());
    }
}
