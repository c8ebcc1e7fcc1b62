package org.condseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.condseg.bench.AnchorComparison;
import org.condseg.bench.Bench;
import org.condseg.bench.BenchCsv;
import org.condseg.bench.BenchRow;
import org.condseg.bench.BenchStats;
import org.condseg.bench.CdfaBench;
import org.condseg.bench.Nd4jSetup;
import org.condseg.bench.OpTimingListener;
import org.condseg.data.DataBench;
import org.condseg.data.DataConfig;
import org.condseg.loss.LossConfig;
import org.condseg.model.BuiltModel;
import org.condseg.model.ModelConfig;
import org.condseg.model.ModelRegistry;
import org.condseg.nn.GraphMode;
import org.condseg.train.StepMemory;
import org.condseg.train.TrainStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code condseg bench}: inference latency (batch 1) and throughput (batch 4) of ConDSeg and Net_0, a full training
 * step at batch 4, and the data pipeline, after warm-up; medians and spread, peak memory; the rows are appended to
 * results/bench/&lt;date&gt;.csv and printed beside the official PyTorch code's figures (../shared/anchors).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark inference, training steps and the data pipeline; write results/bench/<date>.csv.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--size", split = ",", defaultValue = "64,128", description = "input sizes (default ${DEFAULT-VALUE}; 256 is the paper's)")
    List<Integer> sizes;

    @Option(names = "--batch", split = ",", defaultValue = "1,4", description = "inference batch sizes (default ${DEFAULT-VALUE}); training uses 4")
    List<Integer> batches;

    @Option(names = "--width", defaultValue = "128", description = "model.width (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--encoder", defaultValue = "resnet50", description = "model.encoder (default ${DEFAULT-VALUE})")
    String encoder;

    @Option(names = "--reps", defaultValue = "5", description = "timed repetitions (default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--warmups", defaultValue = "2", description = "warm-up repetitions (default ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--skip", split = ",", defaultValue = "", description = "workloads to leave out: inference,train_step,cdfa,data")
    List<String> skip;

    @Option(names = "--nets", split = ",", defaultValue = "condseg,net0", description = "networks (default ${DEFAULT-VALUE})")
    List<String> nets;

    @Option(names = "--threads", description = "native threads for the ops (default: OMP_NUM_THREADS, else the core count);"
            + " libnd4j's own pool is fixed at start-up by OMP_NUM_THREADS, so set both")
    Integer threadsOption;

    @Option(names = "--profile", description = "after timing each inference and training-step row, run it once more with"
            + " the op-timing listener and write the slowest op types and op instances to"
            + " results/bench/profile-<date>.txt")
    boolean profile;

    @Option(names = "--results", defaultValue = "results", description = "results folder (default ${DEFAULT-VALUE})")
    Path results;

    @Override
    public Integer call() {
        int threads = threadsOption != null ? threadsOption : threads();
        Nd4jSetup.configure(threads);
        String device = org.condseg.util.NativeBackend.deviceName();
        List<BenchRow> rows = new ArrayList<>();
        java.util.function.Consumer<BenchRow> keep = r -> {     // each row is written as soon as it is measured
            rows.add(r);
            BenchCsv.appendToday(results, List.of(r));
        };
        for (int size : sizes) {
            if (!skip.contains("inference")) {
                for (String net : nets) {
                    for (boolean aux : net.equals("condseg") ? List.of(true, false) : List.of(false)) {
                        BuiltModel m = ModelRegistry.build(config(net), GraphMode.EVAL, aux);
                        for (int b : batches) {
                            INDArray x = Nd4j.rand(DataType.FLOAT, b, 3, size, size);
                            BenchStats s = Bench.of(aux || !net.equals("condseg") ? "inference" : "inference_noaux")
                                    .warmups(warmups).reps(reps).items(b)
                                    .run(() -> StepMemory.close(m.output(x, "mask").values()));
                            keep.accept(BenchRow.of(s, net, b, size, threads, device, notes(aux)));
                            profile(m.sd(), s.workload() + " " + net + " b" + b + " " + size + " " + notes(aux),
                                    () -> StepMemory.close(m.output(x, "mask").values()));
                        }
                        System.gc(); // the previous graph's arrays go before the next one is built
                    }
                }
            }
            if (!skip.contains("train_step")) {
                for (String net : nets) {
                    TrainStep step = net.equals("condseg") ? TrainStep.stage2(config(net), new LossConfig())
                            : TrainStep.stage1(config(net), new LossConfig());
                    INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, size, size);
                    INDArray y = Nd4j.rand(DataType.FLOAT, 4, 1, size, size).gt(0.5).castTo(DataType.FLOAT);
                    BenchStats s = Bench.of("train_step").warmups(Math.max(1, warmups)).reps(reps).items(4)
                            .run(() -> step.run(x, y));
                    keep.accept(BenchRow.of(s, net, 4, size, threads, device, "width=" + width + " " + encoder + " "
                            + implNotes()));
                    profile(step.model().sd(), "train_step " + net + " b4 " + size + " width=" + width + " " + encoder
                            + " " + implNotes(), () -> step.run(x, y));
                    System.gc(); // the previous graph's arrays go before the next one is built
                }
            }
            if (!skip.contains("cdfa")) {
                cdfaRows(size, threads, device, keep);
            }
            if (!skip.contains("data")) {
                DataConfig d = new DataConfig();
                d.dataset = "kvasir-seg";
                d.size = size;
                d.trainSubset = 240;
                int batch = 4;
                DataBench.Result r = DataBench.run(d, batch, 2);
                System.out.println("data pipeline: " + r);
                // one pass each, so the order statistics are that pass's time per batch at the uncached rate
                double msPerBatch = batch * 1000.0 / r.uncachedEpochPerSec();
                keep.accept(new BenchRow("data_pipeline", r.dataset(), batch, size, threads, device, msPerBatch,
                        msPerBatch, msPerBatch, msPerBatch, msPerBatch, r.uncachedEpochPerSec(), -1, -1, -1, String.format(
                                java.util.Locale.ROOT, "uncached epoch (decode+augment+batch) of %d images, %d workers;"
                                        + " cached epoch %.0f img/s; strong augmentation %.1f ms per batch",
                                r.images(), r.workers(), r.cachedEpochPerSec(), r.strongAugMsPerBatch())));
            }
        }
        System.out.println(AnchorComparison.load(AnchorComparison.DEFAULT_FILE).table(rows));
        System.out.println("rows appended to " + BenchCsv.dailyFile(results, java.time.LocalDate.now()));
        return 0;
    }

    /** With {@code --profile}: one more run of {@code work} under {@link OpTimingListener}; printed and appended. */
    private void profile(org.nd4j.autodiff.samediff.SameDiff sd, String title, Runnable work) {
        if (!profile) {
            return;
        }
        OpTimingListener l = new OpTimingListener();
        sd.setListeners(l);
        try {
            work.run();
        } finally {
            sd.setListeners();
        }
        int names = Integer.getInteger("condseg.profileNames", 40); // op instances listed
        String text = "## " + title + "\n" + l.top(30) + "\n" + l.topNames(names) + "\n";
        System.out.println(text);
        Path file = results.resolve("bench").resolve("profile-" + java.time.LocalDate.now() + ".txt");
        String old = java.nio.file.Files.exists(file) ? org.condseg.util.AtomicFiles.readString(file) : "";
        org.condseg.util.AtomicFiles.writeString(file, old + text);
    }

    /**
     * The CDFA block alone at the level CDFA1 works on (input side / 2; 2·width → width channels, the configured
     * window and heads): inference at batch 1 (EVAL graph) and forward + backward at batch 4 (TRAIN graph, the
     * gradients of every parameter and of the three inputs; no optimiser).
     */
    private void cdfaRows(int size, int threads, String device, java.util.function.Consumer<BenchRow> keep) {
        int side = size / 2;
        ModelConfig cfg = config("condseg");
        for (GraphMode mode : List.of(GraphMode.EVAL, GraphMode.TRAIN)) {
            int b = mode == GraphMode.EVAL ? 1 : 4;
            CdfaBench cb = CdfaBench.build(mode, 2 * width, width, cfg.cdfa.heads, cfg.cdfa.window,
                    org.condseg.nn.ConvImpl.effective(cfg.convImpl));
            Map<String, INDArray> feeds = cb.feeds(b, side);
            BenchStats s = Bench.of(mode == GraphMode.EVAL ? "cdfa_inference" : "cdfa_train").warmups(Math.max(1, warmups))
                    .reps(reps).items(b).run(() -> cb.run(feeds));
            keep.accept(BenchRow.of(s, "cdfa", b, size, threads, device, "feature=" + side + "x" + side + " in="
                    + 2 * width + " dim=" + width + " heads=" + cfg.cdfa.heads + " window=" + cfg.cdfa.window
                    + " " + implNotes()));
        }
    }

    private String implNotes() {
        return "conv=" + org.condseg.nn.ConvImpl.effective(config("condseg").convImpl).name().toLowerCase()
                + (org.condseg.train.StepMemory.enabled() ? " release" : " no-release")
                + " pool=" + org.condseg.nn.SessionMemory.poolLimitMb() + "MB malloc="
                + (org.condseg.util.NativeBackend.allocatorKeepsFreedMemory() ? "kept" : "glibc-default")
                + " hugepages=" + (org.condseg.util.NativeBackend.allocatorUsesHugePages() ? "yes" : "no")
                + " cap=" + (org.bytedeco.javacpp.Pointer.maxPhysicalBytes() >> 20) + "MB"
                + " unfilled=" + (org.condseg.util.UnfilledArrays.enabled() ? "yes" : "no") + " smallMatmul="
                + (org.condseg.nn.SmallMatmul.enabled() ? "yes" : "no") + " javaBnBackward="
                + (org.condseg.nn.BatchNormBackward.enabled() ? "yes" : "no") + " flatCopy="
                + (org.condseg.nn.FlatCopy.enabled() ? "yes" : "no") + " reshapeViews="
                + (org.condseg.nn.KernelSession.reshapeViews() ? "yes" : "no") + " rowIm2col="
                + (org.condseg.nn.RowIm2col.enabled() ? "yes" : "no") + " net0ConvFirst="
                + (org.condseg.model.condseg.Net0.convFirst() ? "yes" : "no") + " omp=" + ompWait() + " host="
                + org.condseg.util.NativeBackend.cpuModel();
    }

    /** How OpenMP threads wait: GOMP_SPINCOUNT's bound when set (the launcher then leaves the policy unset). */
    private static String ompWait() {
        String spin = System.getenv("GOMP_SPINCOUNT");
        String policy = System.getenv("OMP_WAIT_POLICY");
        return spin != null && !spin.isBlank() ? "spin" + spin.trim()
                : policy != null && !policy.isBlank() ? policy.trim().toLowerCase() : "default";
    }

    private ModelConfig config(String name) {
        ModelConfig c = new ModelConfig();
        c.name = name;
        c.width = width;
        c.encoder = encoder;
        return c;
    }

    private String notes(boolean aux) {
        return "width=" + width + " " + encoder + (aux ? " aux" : " no-aux") + " " + implNotes();
    }

    private static int threads() {
        String env = System.getenv("OMP_NUM_THREADS");
        try {
            return env == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(env.trim());
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
