package org.condseg.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.condseg.nn.BnStat;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Graphs;
import org.condseg.util.UserError;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract every registry entry keeps, at a quick width on a 2×3×32² batch (64² for PraNet): output names and shapes, a finite
 * loss, gradients reaching every trainable tensor (and none for BN buffers), one SGD step changing the weights,
 * the running-statistics update, and state()/load() and sd.save()/load() round trips giving the same output.
 */
class ModelContractTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    // PraNet at 64²: on a 1×1 stride-32 map (32² input) the 1×m RFB convs see no padding, so the BN biases
    // before them shift uniformly and the next BN cancels them (exactly zero gradients, an artefact of the size)
    @CsvSource({"condseg,resnet18,16,false,3,false,32", "net0,resnet18,16,false,3,false,32",
        "unet,resnet18,8,false,3,false,32", "unetpp,resnet18,8,false,3,false,32", "unetpp,resnet18,8,false,3,true,32",
        "attention_unet,resnet18,8,false,3,false,32", "pranet,resnet18,16,false,3,false,64",
        "cenet,resnet18,16,false,3,false,32", "cpfnet,resnet18,16,false,3,false,32",
        "condseg,vgg19,16,false,3,false,32", "condseg,vgg19_bn,16,false,3,false,32",
        "condseg,pvt_v2_b2,16,false,3,false,64", "net0,pvt_v2_b2,16,false,3,false,64",
        "condseg_baseline,resnet18,16,false,3,false,32", "condseg_no_sad,resnet18,16,false,3,false,32"})
    void contract(String name, String encoder, int width, boolean paperOrder, int window, boolean deepSupervision,
            int size) throws Exception {
        long t0 = System.nanoTime();
        ModelConfig cfg = new ModelConfig();
        cfg.name = name;
        cfg.encoder = encoder;
        cfg.width = width;
        cfg.net0HeadWidth = 8;
        cfg.cdfa.paperOrder = paperOrder;
        cfg.cdfa.window = window;
        cfg.deepSupervision = deepSupervision;
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, size, size);
        INDArray y = Nd4j.rand(DataType.FLOAT, 2, 1, size, size).gt(0.5).castTo(DataType.FLOAT);

        BuiltModel train = ModelRegistry.build(cfg, GraphMode.TRAIN, true);
        SameDiff sd = train.sd;
        List<String> probs = new ArrayList<>();
        for (String o : train.outputs()) {
            if (!o.endsWith("_logit")) {
                probs.add(o);
            }
        }
        List<String> sides = deepSupervision ? List.of("side1", "side2", "side3", "side4")
                : name.equals("pranet") ? List.of("side1", "side2", "side3") : List.<String>of(); // deep supervision
        List<String> expectProbs = new ArrayList<>(List.of("mask"));
        expectProbs.addAll(name.equals("condseg") || name.equals("condseg_no_sad") ? List.of("M_fg", "M_bg", "M_uc") : sides);
        assertEquals(expectProbs, probs);
        // the first trainable tensor (the first conv weight) stands for "a weight" below
        String w0 = train.trainableParams().get(0);
        String w0Shape = java.util.Arrays.toString(sd.getVariable(w0).getShape());
        SDVariable target = sd.placeHolder("target", DataType.FLOAT, -1, 1, -1, -1);
        SDVariable loss = null;
        for (String o : probs) {
            SDVariable p = sd.getVariable(o);
            SDVariable bce = target.mul(sd.math().log(p.add(1e-7))).add(target.rsub(1.0).mul(sd.math().log(p.rsub(1.0).add(1e-7))))
                    .mean().neg();
            loss = loss == null ? bce : loss.add(bce);
        }
        loss.rename("loss");
        sd.setLossVariables("loss");
        Map<String, INDArray> ph = Map.of(BuiltModel.INPUT, x, "target", y);
        List<String> request = new ArrayList<>(train.outputs());
        request.add("loss");
        request.addAll(train.batchStatOutputs());
        Map<String, INDArray> out = sd.output(ph, request.toArray(new String[0]));
        for (String o : train.outputs()) {
            assertArrayEquals(new long[] {2, 1, size, size}, out.get(o).shape(), o);
        }
        double l0 = out.get("loss").getDouble(0);
        assertTrue(Double.isFinite(l0) && l0 > 0, "loss " + l0);

        long t1 = System.nanoTime();
        // a learnable residual gate γ initialised to 0 (CPFNet's SAPF) cuts the gradient of its branch at init
        for (String p : train.trainableParams()) {
            if (p.endsWith(".gamma")) {
                sd.getArrForVarName(p).assign(0.5);
            }
        }
        // gradients reach every trainable tensor (a few may be exactly 0 behind a dead ReLU)
        Map<String, INDArray> g = Graphs.gradients(sd, ph, train.trainableParams());
        int zero = 0;
        for (String p : train.trainableParams()) {
            assertTrue(g.get(p) != null, "no gradient for " + p);
            zero += g.get(p).amaxNumber().doubleValue() > 0 ? 0 : 1;
        }
        assertTrue(zero <= train.trainableParams().size() / 50, zero + " parameters with zero gradient");
        long t2 = System.nanoTime();
        for (BnStat s : train.bnStats()) {
            assertTrue(sd.getGradForVariable(s.runningMean()) == null, "gradient for buffer " + s.runningMean());
        }
        Map<String, INDArray> before = train.state();
        if (!train.encoderParams().isEmpty()) { // layer0.0.weight, features.0.weight, patch_embed1.proj.weight
            String enc0 = train.encoderParams().get(0);
            assertTrue(train.isEncoder(enc0) && !train.isEncoder("output_block.c3.weight")
                    && !train.isEncoder("head.conv1.conv.0.weight"));
        }
        for (String p : train.trainableParams()) {
            sd.getArrForVarName(p).subi(g.get(p).mul(1e-4));
        }
        assertTrue(sd.getArrForVarName(w0).sub(before.get(w0)).amaxNumber().doubleValue() > 0);

        // running statistics: PyTorch's momentum update from the batch statistics
        BnStat first = train.bnStats().get(0);
        INDArray rm0 = sd.getArrForVarName(first.runningMean()).dup();
        train.updateRunningStats(out);
        INDArray expect = rm0.mul(0.9).add(out.get(first.batchMean()).mul(0.1));
        assertTrue(expect.equalsWithEps(sd.getArrForVarName(first.runningMean()), 1e-6));

        // state() + load() into a fresh EVAL graph (another init seed) reproduces the EVAL output
        cfg.initSeed = 99;
        BuiltModel evalA = ModelRegistry.build(cfg, GraphMode.EVAL, false);
        evalA.load(train.state());
        INDArray pa = evalA.output(x, "mask").get("mask");
        BuiltModel evalB = ModelRegistry.build(cfg, GraphMode.EVAL, false);
        assertFalse(evalB.state().get(w0).equalsWithEps(evalA.state().get(w0), 1e-7),
                "another init seed should give other weights");
        evalB.load(evalA.state());
        assertTrue(pa.equalsWithEps(evalB.output(x, "mask").get("mask"), 0.0));
        List<String> expectEval = new ArrayList<>(List.of("mask", "mask_logit"));
        for (String side : sides) {
            expectEval.add(side);
            expectEval.add(side + "_logit");
        }
        assertEquals(expectEval, evalA.outputs());
        // SameDiff's own serialisation keeps weights and BN buffers
        File f = tmp.resolve("model.sd").toFile();
        evalA.sd.save(f, true);
        SameDiff loaded = SameDiff.load(f, true);
        org.condseg.nn.KernelSession.install(loaded); // as BuiltModel.output runs it
        INDArray pl = loaded.output(Map.of(BuiltModel.INPUT, x), "mask").get("mask");
        assertTrue(pa.equalsWithEps(pl, 0.0));

        // load() checks names and shapes
        Map<String, INDArray> bad = new HashMap<>(evalA.state());
        bad.remove(w0);
        UserError e = assertThrows(UserError.class, () -> evalB.load(bad));
        assertTrue(e.getMessage().contains(w0));
        evalB.load(bad, true);
        bad.put(w0, Nd4j.zeros(DataType.FLOAT, 3, 3));
        e = assertThrows(UserError.class, () -> evalB.load(bad, true));
        assertTrue(e.getMessage().contains(w0) && e.getMessage().contains(w0Shape), e.getMessage());
        System.out.printf("contract %s/%s/w%d: build+forward %.1f s, gradients %.1f s, rest %.1f s; %d ops%n", name, encoder,
                width, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9, Graphs.opCount(sd));
    }
}
