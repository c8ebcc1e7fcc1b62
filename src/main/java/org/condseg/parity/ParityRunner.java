package org.condseg.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.model.WeightFill;
import org.condseg.nn.Bilinear;
import org.condseg.nn.Fold;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Graphs;
import org.condseg.nn.Init;
import org.condseg.nn.Scope;
import org.condseg.nn.Unfold;
import org.condseg.util.UserError;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Proves the Java graph against a golden fixture folder (format: ../shared/golden/README.md), driven only by its
 * {@code manifest.json}: the weights are refilled by the manifest's formula from the state_dict names (which also
 * checks that every official tensor exists in the Java graph with the same shape), the forwards the fixture
 * names are run (module alone, or the full model, in eval and/or train mode, one call per stored input), and
 * every stored tensor that maps to a Java variable is compared as max|java − ref| ≤ tol · max|ref|.
 * <p>Tolerances follow README §5: 1e-5 for single modules, 1e-4 for their gradients and for full-model eval
 * tensors, 2e-3 for full-model train tensors (end to end), widened to 5× the fixture's own float32 spread
 * ({@code rerun_2threads_max_rel}, {@code f64_max_rel}) where that is larger; a tensor whose spread exceeds 1e-2
 * is not reproducible in float32 and is reported as SKIP, as are loss and parameter-gradient tensors of model
 * fixtures (the loss is not part of the graph). Nearly constant logits are also compared centred (x − mean x) at
 * 5e-4 of their centred max.
 */
public final class ParityRunner {
    static final double MODULE_TOL = 1e-5;
    static final double GRAD_TOL = 1e-4;
    static final double MODEL_EVAL_TOL = 1e-4;
    static final double MODEL_TRAIN_TOL = 2e-3;
    static final double CENTRED_TOL = 5e-4;
    static final double SPREAD_FACTOR = 5.0;
    static final double IRREPRODUCIBLE = 1e-2;
    private static final Pattern CALL_SUFFIX = Pattern.compile("^(.*)#(\\d+)$");
    private static final Pattern AUX_LOGIT = Pattern.compile("^aux_head\\.branch_(fg|bg|uc)\\.10\\.in0$");
    private static final Pattern NET0_OUTPUT = Pattern.compile("^M(\\d+)$");

    private ParityRunner() {
    }

    /** Runs every check, prints one line per tensor and a summary; 0 when nothing failed, 1 otherwise. */
    public static int run(Path fixture, PrintStream out) {
        List<ParityResult> results = check(fixture);
        int pass = 0;
        int fail = 0;
        int skip = 0;
        for (ParityResult r : results) {
            out.println(r.line());
            switch (r.status()) {
                case PASS -> pass++;
                case FAIL -> fail++;
                default -> skip++;
            }
        }
        out.printf("parity %s: %d passed, %d failed, %d skipped%s%n", fixture, pass, fail, skip,
                pass == 0 && fail == 0 ? " (nothing could be compared: not a pass)" : "");
        return fail == 0 && pass > 0 ? 0 : 1;
    }

    /** All results for a fixture folder. */
    public static List<ParityResult> check(Path fixture) {
        Manifest m = Manifest.read(fixture);
        if (m.json.has("modules")) {
            List<ParityResult> out = new ArrayList<>();
            m.json.get("modules").fieldNames().forEachRemaining(k -> out.addAll(checkModule(fixture, m, k)));
            return out;
        }
        if (m.json.has("state_dict") && m.json.has("model")) {
            return checkModel(fixture, m, Set.of("eval", "train"));
        }
        return List.of(ParityResult.fail(fixture.toString(), "not a model or module fixture (manifest has neither "
                + "'modules' nor 'state_dict' + 'model')"));
    }

    /** The results of one module of a modules fixture. */
    public static List<ParityResult> checkModule(Path fixture, String module) {
        return checkModule(fixture, Manifest.read(fixture), module);
    }

    /** The results of a model fixture, restricted to some modes ("eval", "train"). */
    public static List<ParityResult> checkModel(Path fixture, Set<String> modes) {
        return checkModel(fixture, Manifest.read(fixture), modes);
    }

    // ------------------------------------------------------------------------------------------ modules

    private static List<ParityResult> checkModule(Path fixture, Manifest m, String key) {
        JsonNode spec = m.json.path("modules").path(key);
        List<Manifest.Tensor> tensors = m.under(key + "/");
        if (key.equals("bilinear")) {
            return builtinBilinear(fixture, tensors);
        }
        if (key.equals("unfold_fold")) {
            return builtinUnfoldFold(fixture, tensors);
        }
        String ctor = spec.path("class").asText(null);
        if (ctor == null) {
            return List.of(ParityResult.fail(key, "module has no 'class' and is not a known built-in check"));
        }
        Map<String, INDArray> inputs = new LinkedHashMap<>();
        Map<String, Map<String, Manifest.Tensor>> byMode = new TreeMap<>();
        for (Manifest.Tensor t : tensors) {
            String rest = t.file.substring(key.length() + 1);
            int slash = rest.indexOf('/');
            if (slash < 0) {
                if (t.meaning.startsWith("input")) {
                    inputs.put(stem(rest), TensorCompare.load(fixture.resolve(t.file)));
                }
                continue;
            }
            String mode = rest.substring(0, slash);
            String name = stem(rest.substring(rest.lastIndexOf('/') + 1));
            byMode.computeIfAbsent(mode, x -> new LinkedHashMap<>()).put(name, t);
        }
        List<ParityResult> out = new ArrayList<>();
        WeightFill.Formula fill = formula(m.json);
        for (Map.Entry<String, Map<String, Manifest.Tensor>> e : byMode.entrySet()) {
            String mode = e.getKey();
            try {
                switch (mode) {
                    case "eval", "train", "train_bwd" -> out.addAll(moduleMode(fixture, key, ctor, spec, fill, inputs, mode,
                            e.getValue()));
                    default -> e.getValue().values().forEach(t -> out.add(ParityResult.skip(t.file, "unknown mode folder")));
                }
            } catch (ModuleHarness.Unsupported ex) {
                out.add(ParityResult.fail(key + "/" + mode, ex.getMessage()));
            }
        }
        return out;
    }

    /** Values of one module run (by fixture tensor name, plus "L" for train_bwd) or the problems found. */
    private record Run(Map<String, INDArray> values, List<ParityResult> problems) {
    }

    /**
     * Compares a module mode in float32 against README §5's tolerance (widened to 5× the fixture's own spread).
     * Where that fails, the module is run again in float64 to tell an error of the Java graph from float32 rounding:
     * the float64 result must meet the same tolerance, or, where the float32 result of this very computation
     * differs from its float64 result (ReLU masks flipping, train-mode BN amplifying rounding), stay within 5×
     * that float32 sensitivity. A sensitivity above 1e-2 means no float32 value, PyTorch's included, is reliable
     * there: SKIP, with the float64 error as evidence.
     */
    private static List<ParityResult> moduleMode(Path fixture, String key, String ctor, JsonNode spec,
            WeightFill.Formula f, Map<String, INDArray> inputs, String mode, Map<String, Manifest.Tensor> tensors)
            throws ModuleHarness.Unsupported {
        Run r32 = moduleRun(fixture, key, ctor, spec, f, inputs, mode, tensors, DataType.FLOAT);
        if (!r32.problems().isEmpty()) {
            return r32.problems();
        }
        double base = mode.equals("train_bwd") ? GRAD_TOL : MODULE_TOL;
        Run[] r64 = new Run[1];
        java.util.function.Supplier<Map<String, INDArray>> f64 = () -> {
            if (r64[0] == null) {
                try {
                    r64[0] = moduleRun(fixture, key, ctor, spec, f, inputs, mode, tensors, DataType.DOUBLE);
                } catch (ModuleHarness.Unsupported e) {
                    throw new IllegalStateException(e);
                }
            }
            return r64[0].values();
        };
        List<ParityResult> out = new ArrayList<>();
        if (r32.values().containsKey("L") && spec.has("train_bwd_L")) {
            INDArray ref = org.nd4j.linalg.factory.Nd4j.scalar(spec.get("train_bwd_L").asDouble());
            out.add(compareDual(key + "/train_bwd/L (Σ out·R)", ref, r32.values().get("L"), () -> f64.get().get("L"),
                    base, 0));
        }
        for (Map.Entry<String, Manifest.Tensor> e : tensors.entrySet()) {
            Manifest.Tensor t = e.getValue();
            INDArray g32 = r32.values().get(e.getKey());
            if (g32 == null) {
                if (!e.getKey().startsWith("R_")) {
                    out.add(ParityResult.fail(t.file, "no Java counterpart for '" + e.getKey() + "'"));
                }
                continue;
            }
            INDArray ref = TensorCompare.load(fixture.resolve(t.file));
            out.add(compareDual(t.file, ref, g32, () -> f64.get().get(e.getKey()), base, t.spread()));
        }
        return out;
    }

    private static Run moduleRun(Path fixture, String key, String ctor, JsonNode spec, WeightFill.Formula f,
            Map<String, INDArray> inputs, String mode, Map<String, Manifest.Tensor> tensors, DataType dtype)
            throws ModuleHarness.Unsupported {
        DataType old = Init.dtype();
        Init.setDtype(dtype);
        try {
            Map<String, INDArray> in = new LinkedHashMap<>();
            inputs.forEach((k, v) -> in.put(k, v.castTo(dtype)));
            boolean bwd = mode.equals("train_bwd");
            ModuleHarness.Built b = ModuleHarness.build(ctor, in, mode.equals("eval") ? GraphMode.EVAL : GraphMode.TRAIN);
            SameDiff sd = b.sd();
            List<ParityResult> problems = fill(sd, b.root().params(), b.root().buffers(), spec.path("state_dict"), f,
                    key + "/" + mode);
            if (!problems.isEmpty()) {
                return new Run(Map.of(), problems);
            }
            Map<String, INDArray> values = new LinkedHashMap<>();
            if (!bwd) {
                Map<String, SDVariable> vars = new LinkedHashMap<>(b.outputs());
                b.root().taps().forEach(vars::putIfAbsent);
                Map<String, String> wanted = new LinkedHashMap<>();
                for (String name : tensors.keySet()) {
                    SDVariable v = vars.get(name);
                    if (v != null) {
                        wanted.put(name, v.name());
                    }
                }
                Map<String, INDArray> got = wanted.isEmpty() ? Map.of()
                        : sd.output(Map.of(), wanted.values().toArray(new String[0]));
                wanted.forEach((k, v) -> values.put(k, got.get(v)));
                return new Run(values, List.of());
            }
            SDVariable loss = null;
            Map<String, String> gradOf = new LinkedHashMap<>();
            for (Map.Entry<String, Manifest.Tensor> e : tensors.entrySet()) {
                String name = e.getKey();
                if (name.startsWith("R_")) {
                    SDVariable o = b.outputs().get(name.substring(2));
                    if (o == null) {
                        problems.add(ParityResult.fail(e.getValue().file, "no module output '" + name.substring(2) + "'"));
                        continue;
                    }
                    INDArray r = TensorCompare.load(fixture.resolve(e.getValue().file)).castTo(dtype);
                    SDVariable term = o.mul(sd.constant(r)).sum();
                    loss = loss == null ? term : loss.add(term);
                } else if (name.startsWith("grad_") || name.startsWith("grad.")) {
                    String var = name.substring(5);
                    if (sd.hasVariable(var)) {
                        gradOf.put(name, var);
                    }
                }
            }
            if (loss == null) {
                problems.add(ParityResult.fail(key + "/train_bwd", "no R_<output> tensors to build L = Σ out·R"));
            }
            if (!problems.isEmpty()) {
                return new Run(Map.of(), problems);
            }
            loss.rename("parity_loss");
            sd.setLossVariables("parity_loss");
            Map<String, INDArray> grads = Graphs.gradients(sd, Map.of(), gradOf.values());
            gradOf.forEach((k, v) -> values.put(k, grads.get(v)));
            values.put("L", sd.output(Map.of(), "parity_loss").get("parity_loss"));
            return new Run(values, List.of());
        } finally {
            Init.setDtype(old);
        }
    }

    /**
     * max|got − ref| ≤ tol·max|ref|, tol = max(base, 5 × the fixture's own spread); a spread above 1e-2 is SKIP.
     * When the float32 value misses and {@code g64Lazy} gives a float64 value of the same computation, that
     * value decides (see {@link #moduleMode}).
     */
    private static ParityResult compareDual(String name, INDArray ref, INDArray g32,
            java.util.function.Supplier<INDArray> g64Lazy, double base, double spread) {
        if (spread > IRREPRODUCIBLE) {
            return ParityResult.skip(name, String.format(java.util.Locale.ROOT,
                    "irreproducible in float32 (fixture's own spread %.1e)", spread));
        }
        g32 = g32 == null ? null : matchLayout(g32, ref);
        if (g32 == null) {
            return ParityResult.fail(name, "no Java value of shape " + Arrays.toString(ref.shape()));
        }
        double r = Math.max(TensorCompare.maxAbs(ref), 1e-30);
        double tol = Math.max(base, SPREAD_FACTOR * spread);
        double e32 = TensorCompare.maxAbsDiff(g32, ref);
        INDArray g64 = e32 <= tol * r ? null : g64Lazy.get();
        g64 = g64 == null ? null : matchLayout(g64, ref);
        if (g64 == null) {
            return ParityResult.compared(name, e32, r, tol, "");
        }
        double e64 = TensorCompare.maxAbsDiff(g64, ref);
        double sens = TensorCompare.maxAbsDiff(g32, g64) / r;
        String note = String.format(java.util.Locale.ROOT, "float64 run; float32 err %.2e, float32 sensitivity %.1e",
                e32 / r, sens);
        if (e64 <= tol * r) {
            return ParityResult.compared(name, e64, r, tol, note);
        }
        if (sens > IRREPRODUCIBLE) {
            return ParityResult.skip(name, String.format(java.util.Locale.ROOT, "float32-chaotic: Java float32 vs "
                    + "float64 differ by %.1e of max|ref|; float64 vs stored %.1e", sens, e64 / r));
        }
        return ParityResult.compared(name, e64, r, Math.max(tol, SPREAD_FACTOR * sens), note);
    }

    private static List<ParityResult> builtinBilinear(Path fixture, List<Manifest.Tensor> tensors) {
        Manifest.Tensor xt = tensors.stream().filter(t -> t.meaning.startsWith("input")).findFirst().orElse(null);
        if (xt == null) {
            return List.of(ParityResult.fail("bilinear", "no input tensor"));
        }
        INDArray x = TensorCompare.load(fixture.resolve(xt.file));
        long[] s = x.shape();
        List<ParityResult> out = new ArrayList<>();
        for (Manifest.Tensor t : tensors) {
            if (t == xt) {
                continue;
            }
            long[] o = t.shape;
            SameDiff sd = SameDiff.create();
            SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, s[1], -1, -1);
            SDVariable y;
            if (o[2] % s[2] == 0 && o[3] % s[3] == 0 && o[2] / s[2] == o[3] / s[3]) {
                int f = (int) (o[2] / s[2]);
                Scope root = Scope.root(sd, GraphMode.EVAL, 0);
                root.geometry().anchor(f, in);
                y = Bilinear.up(root, in, (int) s[1], f, f);
            } else {
                y = Bilinear.toSize(sd, in, (int) s[1], (int) s[2], (int) s[3], (int) o[2], (int) o[3]);
            }
            out.add(compare(fixture, t, sd.output(Map.of("x", x), y.name()).get(y.name()), MODULE_TOL));
        }
        return out;
    }

    private static List<ParityResult> builtinUnfoldFold(Path fixture, List<Manifest.Tensor> tensors) {
        List<ParityResult> out = new ArrayList<>();
        Map<String, Manifest.Tensor> byFile = new HashMap<>();
        tensors.forEach(t -> byFile.put(stem(t.file.substring(t.file.lastIndexOf('/') + 1)), t));
        for (Manifest.Tensor t : tensors) {
            String n = stem(t.file.substring(t.file.lastIndexOf('/') + 1));
            boolean unfold = n.startsWith("unfold_");
            boolean foldOfUnfold = n.startsWith("fold_unfold_");
            boolean foldCols = n.startsWith("fold_") && !foldOfUnfold;
            if (!unfold && !foldOfUnfold && !foldCols) {
                continue;
            }
            String src = unfold ? n.substring(7) : foldOfUnfold ? n.substring(12) : n.substring(5);
            Manifest.Tensor st = byFile.get(src);
            if (st == null) {
                out.add(ParityResult.fail(t.file, "no source tensor '" + src + "'"));
                continue;
            }
            INDArray in = TensorCompare.load(fixture.resolve(st.file));
            SameDiff sd = SameDiff.create();
            SDVariable v = sd.constant(in);
            SDVariable y;
            if (foldCols) {
                long[] img = t.shape; // [B,C,H,W]; cols [B, C·K², H·W]
                int k = (int) Math.round(Math.sqrt((double) in.shape()[1] / img[1]));
                y = Fold.apply(v.reshape(img[0], img[1], k, k, img[2], img[3]), k);
            } else {
                long[] s = in.shape();
                int k = 3;
                if (unfold) {
                    k = (int) Math.round(Math.sqrt((double) t.shape[1] / s[1]));
                }
                SDVariable cols = Unfold.apply(v, k);
                y = unfold ? cols.reshape(s[0], s[1] * k * k, s[2] * s[3]) : Fold.apply(cols, k);
            }
            out.add(compare(fixture, t, y.eval(), MODULE_TOL));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ models

    private static List<ParityResult> checkModel(Path fixture, Manifest m, Set<String> modes) {
        String model = m.json.get("model").asText();
        ModelConfig cfg = new ModelConfig();
        if (model.startsWith("ConDSegStage1(")) {
            cfg.name = "net0";
        } else if (model.startsWith("ConDSeg(")) {
            cfg.name = "condseg";
        } else {
            return List.of(ParityResult.fail(fixture.toString(), "model '" + model + "' is not implemented in Java"));
        }
        List<INDArray> inputs = new ArrayList<>();
        Map<String, Map<String, Manifest.Tensor>> byMode = new TreeMap<>();
        List<ParityResult> out = new ArrayList<>();
        for (Manifest.Tensor t : m.tensors) {
            int slash = t.file.indexOf('/');
            if (slash < 0) {
                if (t.file.startsWith("input") || t.meaning.startsWith("input")) {
                    inputs.add(TensorCompare.load(fixture.resolve(t.file)));
                }
                continue;
            }
            String mode = t.file.substring(0, slash);
            if (!mode.equals("eval") && !mode.equals("train")) {
                out.add(ParityResult.skip(t.file, "loss/gradient tensor: needs the loss, not compared here"));
                continue;
            }
            if (modes.contains(mode)) {
                byMode.computeIfAbsent(mode, x -> new LinkedHashMap<>()).put(t.file.substring(slash + 1), t);
            }
        }
        if (inputs.isEmpty()) {
            return List.of(ParityResult.fail(fixture.toString(), "no input tensor (meaning 'input ...') at the top level"));
        }
        WeightFill.Formula f = formula(m.json);
        for (Map.Entry<String, Map<String, Manifest.Tensor>> e : byMode.entrySet()) {
            GraphMode mode = e.getKey().equals("eval") ? GraphMode.EVAL : GraphMode.TRAIN;
            out.addAll(modelMode(fixture, cfg, m, mode, f, inputs, e.getValue()));
        }
        return out;
    }

    private static List<ParityResult> modelMode(Path fixture, ModelConfig cfg, Manifest m, GraphMode mode,
            WeightFill.Formula f, List<INDArray> inputs, Map<String, Manifest.Tensor> tensors) {
        BuiltModel model = ModelRegistry.build(cfg, mode, true);
        String tag = mode.name().toLowerCase();
        List<ParityResult> out = new ArrayList<>(fill(model.sd, model.trainableParams(), model.buffers(),
                m.json.get("state_dict"), f, tag));
        if (!out.isEmpty()) {
            return out;
        }
        double base = mode == GraphMode.EVAL ? MODEL_EVAL_TOL : MODEL_TRAIN_TOL;
        // map each stored tensor to (call, variable)
        record Target(Manifest.Tensor t, int call, String var, boolean logit) {
        }
        List<Target> targets = new ArrayList<>();
        List<Manifest.Tensor> running = new ArrayList<>();
        int calls = 1;
        for (Map.Entry<String, Manifest.Tensor> e : tensors.entrySet()) {
            String rel = e.getKey();
            Manifest.Tensor t = e.getValue();
            if (rel.startsWith("state_after/")) {
                running.add(t);
                continue;
            }
            if (rel.contains("/")) {
                out.add(ParityResult.skip(t.file, "not a forward tensor"));
                continue;
            }
            String name = stem(rel);
            int call = 0;
            Matcher cm = CALL_SUFFIX.matcher(name);
            if (cm.matches()) {
                name = cm.group(1);
                call = Integer.parseInt(cm.group(2));
            }
            Matcher nm = NET0_OUTPUT.matcher(name);
            String var;
            if (cfg.name.equals("net0") && nm.matches()) {
                var = "mask";
                call = Integer.parseInt(nm.group(1)) - 1;
            } else if (name.equals("output_block.sig.in0") || name.equals("head.sig.in0")) {
                var = "mask_logit";
            } else if (AUX_LOGIT.matcher(name).matches()) {
                Matcher am = AUX_LOGIT.matcher(name);
                am.matches();
                var = "M_" + am.group(1) + "_logit";
            } else if (model.sd.hasVariable(name) && model.outputs().contains(name)) {
                var = name;
            } else if (model.taps().containsKey(name)) {
                var = model.taps().get(name).name();
            } else {
                out.add(ParityResult.fail(t.file, "no Java counterpart for '" + name + "'"));
                continue;
            }
            calls = Math.max(calls, call + 1);
            targets.add(new Target(t, call, var, var.endsWith("_logit")));
        }
        for (int call = 0; call < calls; call++) {
            INDArray x = inputs.get(Math.min(call, inputs.size() - 1));
            Set<String> names = new LinkedHashSet<>();
            for (Target t : targets) {
                if (t.call() == call) {
                    names.add(t.var());
                }
            }
            if (mode == GraphMode.TRAIN && !running.isEmpty()) {
                names.addAll(model.batchStatOutputs());
            }
            if (names.isEmpty()) {
                continue;
            }
            Map<String, INDArray> got = model.output(x, names.toArray(new String[0]));
            for (Target t : targets) {
                if (t.call() != call) {
                    continue;
                }
                INDArray g = got.get(t.var());
                ParityResult r = compare(fixture, t.t(), g, base);
                out.add(r);
                if (t.logit() && r.status() != ParityResult.Status.SKIP) {
                    ParityResult c = compareCentred(fixture, t.t(), g);
                    if (c != null) {
                        out.add(c);
                    }
                }
            }
            if (mode == GraphMode.TRAIN && !running.isEmpty()) {
                model.updateRunningStats(got);
            }
        }
        for (Manifest.Tensor t : running) {
            String bufName = stem(t.file.substring(t.file.lastIndexOf('/') + 1));
            if (!model.buffers().contains(bufName)) {
                out.add(ParityResult.fail(t.file, "no BN buffer '" + bufName + "'"));
                continue;
            }
            out.add(compare(fixture, t, model.sd.getArrForVarName(bufName), base));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ shared

    /**
     * Fills the graph from a manifest state_dict listing; returns failures when the Java graph and the official
     * state_dict differ in names or shapes.
     */
    private static List<ParityResult> fill(SameDiff sd, List<String> params, List<String> buffers, JsonNode stateDict,
            WeightFill.Formula f, String tag) {
        List<ParityResult> out = new ArrayList<>();
        Set<String> java = new LinkedHashSet<>(params);
        java.addAll(buffers);
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode e : stateDict) {
            String kind = e.path("kind").asText("");
            if (kind.equals("num_batches_tracked")) {
                continue;
            }
            String name = e.get("name").asText();
            long[] shape = new long[e.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.get("shape").get(i).asLong();
            }
            if (!java.contains(name)) {
                out.add(ParityResult.fail(tag + " state_dict " + name, "official tensor missing in the Java graph"));
                continue;
            }
            seen.add(name);
            INDArray dst = sd.getArrForVarName(name);
            if (!Arrays.equals(dst.shape(), shape)) {
                out.add(ParityResult.fail(tag + " state_dict " + name, "shape " + Arrays.toString(dst.shape())
                        + " in Java vs " + Arrays.toString(shape)));
                continue;
            }
            WeightFill.Kind k = kind.isEmpty() ? WeightFill.Kind.infer(name, shape) : WeightFill.Kind.fromManifest(kind);
            dst.assign(WeightFill.tensor(f, name, shape, k));
        }
        for (String n : java) {
            if (!seen.contains(n)) {
                out.add(ParityResult.fail(tag + " state_dict " + n, "Java tensor absent from the official state_dict"));
            }
        }
        return out;
    }

    private static WeightFill.Formula formula(JsonNode root) {
        String name = root.path("weight_fill").path("name").asText("");
        if (name.isEmpty()) {
            String fill = root.path("fill").asText("");
            name = fill.contains("hash") ? "hash" : "sin";
        }
        return WeightFill.Formula.parse(name);
    }

    /** A float32-only comparison of a stored tensor (bilinear, unfold/fold, model fixtures). */
    private static ParityResult compare(Path fixture, Manifest.Tensor t, INDArray got, double base) {
        if (t.spread() > IRREPRODUCIBLE) {
            return compareDual(t.file, null, null, () -> null, base, t.spread());
        }
        return compareDual(t.file, TensorCompare.load(fixture.resolve(t.file)), got, () -> null, base, t.spread());
    }

    /** The centred comparison for nearly constant logits (std < 10% of max|ref|), else null. */
    private static ParityResult compareCentred(Path fixture, Manifest.Tensor t, INDArray got) {
        INDArray ref = TensorCompare.load(fixture.resolve(t.file));
        double std = ref.castTo(DataType.DOUBLE).stdNumber().doubleValue();
        if (std >= 0.1 * TensorCompare.maxAbs(ref) || got == null) {
            return null;
        }
        INDArray rc = TensorCompare.centred(ref);
        INDArray gc = TensorCompare.centred(got);
        return ParityResult.compared(t.file + " (centred)", TensorCompare.maxAbsDiff(gc, rc), TensorCompare.maxAbs(rc),
                CENTRED_TOL, "x − mean x");
    }

    /** Returns got in the reference's layout (NCHW as is, or permuted to channels-last), or null. */
    private static INDArray matchLayout(INDArray got, INDArray ref) {
        if (Arrays.equals(got.shape(), ref.shape())) {
            return got;
        }
        if (got.rank() == 4) {
            INDArray p = got.permute(0, 2, 3, 1);
            if (Arrays.equals(p.shape(), ref.shape())) {
                return p.dup('c');
            }
        }
        if (got.length() == ref.length() && ref.rank() <= 1) {
            return got.reshape(ref.shape());
        }
        return null;
    }

    private static String stem(String file) {
        return file.endsWith(".npy") ? file.substring(0, file.length() - 4) : file;
    }

    /** manifest.json, read once. */
    static final class Manifest {
        final JsonNode json;
        final List<Tensor> tensors = new ArrayList<>();

        private Manifest(JsonNode json) {
            this.json = json;
            for (JsonNode t : json.path("tensors")) {
                tensors.add(new Tensor(t));
            }
        }

        static Manifest read(Path dir) {
            Path f = dir.resolve("manifest.json");
            if (!Files.isRegularFile(f)) {
                throw new UserError("no manifest.json in fixture folder " + dir);
            }
            try {
                return new Manifest(new ObjectMapper().readTree(f.toFile()));
            } catch (IOException e) {
                throw new UserError("cannot read " + f + ": " + e.getMessage(), e);
            }
        }

        List<Tensor> under(String prefix) {
            List<Tensor> out = new ArrayList<>();
            for (Tensor t : tensors) {
                if (t.file.startsWith(prefix)) {
                    out.add(t);
                }
            }
            return out;
        }

        static final class Tensor {
            final String file;
            final String meaning;
            final long[] shape;
            final JsonNode node;

            Tensor(JsonNode t) {
                this.node = t;
                this.file = t.path("file").asText();
                this.meaning = t.path("meaning").asText("");
                JsonNode s = t.path("shape");
                this.shape = new long[s.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = s.get(i).asLong();
                }
            }

            /** The fixture's own float32 spread: max of rerun_2threads_max_rel and f64_max_rel (0 if absent). */
            double spread() {
                return Math.max(node.path("rerun_2threads_max_rel").asDouble(0), node.path("f64_max_rel").asDouble(0));
            }
        }
    }
}
