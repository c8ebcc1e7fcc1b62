package org.condseg.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.condseg.util.Copies;
import org.condseg.util.UserError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop of one training stage, independent of the network: train an epoch, validate, log a row,
 * keep the best checkpoint by val mIoU, write the last checkpoint (weights + optimizer + sidecar), step the
 * plateau scheduler and the early stop. Resuming reads the last checkpoint and continues with the next epoch.
 *
 * <p>Order within an epoch, so that a kill at any moment loses at most the current epoch: the best checkpoint
 * (if improved), then the log row, then the last checkpoint. On resume, log rows of epochs after the last
 * checkpoint's epoch are dropped by the caller's log (see {@link EpochSink#truncateAfter}).
 */
public final class StageLoop {
    private static final Logger LOG = LoggerFactory.getLogger(StageLoop.class);

    /** What the loop drives: the network and its optimizer, behind a narrow interface. */
    public interface Trainee {
        /** Trains one epoch; the returned map holds the mean of each loss term over the epoch's batches. */
        Map<String, Double> trainEpoch(int epoch, long epochSeed);

        /** Validates; the map holds at least {@code val_loss} and {@code val_mIoU}. */
        Map<String, Double> validate(int epoch);

        /** Every parameter and buffer, by state_dict name (live arrays). */
        Map<String, INDArray> weights();

        void loadWeights(Map<String, INDArray> weights);

        Adam optimizer();
    }

    /** Where epoch rows go (train_log.csv and curves.png in a run directory). */
    public interface EpochSink {
        void epochDone(String stage, int epoch, Map<String, Double> row);

        /** Drops rows of {@code stage} whose epoch is greater than {@code epoch} (after a resume). */
        void truncateAfter(String stage, int epoch);
    }

    /** Plateau scheduler and early stopping settings the loop applies (the official code's defaults as switches). */
    public record Schedule(boolean reduceLrOnPlateau, int plateauPatience, double plateauFactor,
                           boolean earlyStopping, int earlyStopPatience) {
        public static Schedule none() {
            return new Schedule(false, 30, 0.1, false, 100);
        }
    }

    /** What one stage is asked to do. */
    public record Spec(String stage, int epochs, Schedule schedule, long seed, String configHash,
                       Path checkpointDir, int validateEvery) {
        Path last() {
            return checkpointDir.resolve(stage + "-last.zip");
        }

        Path best() {
            return checkpointDir.resolve(stage + "-best.zip");
        }
    }

    /** What the loop ended with. */
    public record Outcome(int epochsRun, int bestEpoch, double bestMetric, boolean stoppedEarly) {
    }

    private StageLoop() {
    }

    /** The best checkpoint of a finished stage, or the last one if no epoch was validated. */
    public static Path bestOrLast(Spec spec) {
        return Files.exists(spec.best()) ? spec.best() : spec.last();
    }

    /** True when a previous run finished this stage (its last checkpoint has the final epoch or stopped). */
    public static boolean finished(Spec spec) {
        if (!Files.exists(spec.last())) {
            return false;
        }
        Checkpoint.Meta m = Checkpoint.load(spec.last()).meta;
        return "finished".equals(m.stage) || m.epoch >= spec.epochs - 1;
    }

    public static Outcome run(Spec spec, Trainee t, EpochSink sink, boolean resume, Consumer<String> status) {
        Checkpoint.Meta meta = new Checkpoint.Meta();
        meta.stage = spec.stage;
        meta.seed = spec.seed;
        meta.configHash = spec.configHash;
        meta.epoch = -1;
        if (resume && Files.exists(spec.last())) {
            Checkpoint ck = Checkpoint.load(spec.last());
            if (!spec.configHash.equals(ck.meta.configHash)) {
                throw new UserError("cannot resume from " + spec.last() + ": it was written with config hash "
                        + ck.meta.configHash + " but the config now hashes to " + spec.configHash
                        + "; start a new run (or remove the run directory)");
            }
            t.loadWeights(ck.weights);
            t.optimizer().load(ck.updater);
            meta = ck.meta;
            meta.stage = spec.stage;
            sink.truncateAfter(spec.stage, meta.epoch);
            LOG.info("{}: resuming after epoch {} (best val mIoU {} at epoch {})", spec.stage, meta.epoch + 1,
                    fmt(meta.bestMetric), meta.bestEpoch + 1);
        }
        boolean stopped = false;
        int epoch = meta.epoch + 1;
        for (; epoch < spec.epochs && !stopped; epoch++) {
            long t0 = System.nanoTime();
            long epochSeed = mix(spec.seed, spec.stage.hashCode(), epoch);
            Map<String, Double> row = new LinkedHashMap<>(t.trainEpoch(epoch, epochSeed));
            boolean validated = (epoch + 1) % Math.max(1, spec.validateEvery) == 0 || epoch == spec.epochs - 1;
            if (validated) {
                Map<String, Double> val = t.validate(epoch);
                row.putAll(val);
                double miou = val.getOrDefault("val_mIoU", Double.NaN);
                double vloss = val.getOrDefault("val_loss", Double.NaN);
                if (miou > meta.bestMetric) {                       // strict improvement, as the official code
                    meta.bestMetric = miou;
                    meta.bestEpoch = epoch;
                    meta.epochsSinceBest = 0;
                    Checkpoint.Meta bestMeta = Copies.deep(meta);
                    bestMeta.epoch = epoch;
                    new Checkpoint(bestMeta, t.weights(), Map.of()).save(spec.best());
                } else if (miou < meta.bestMetric) {                // equal does not count, as the official code
                    meta.epochsSinceBest++;
                }
                if (spec.schedule.reduceLrOnPlateau) {
                    if (vloss < meta.bestValLoss * (1 - 1e-4)) {
                        meta.bestValLoss = vloss;
                        meta.epochsSinceLossGain = 0;
                    } else if (++meta.epochsSinceLossGain > spec.schedule.plateauPatience) {
                        t.optimizer().scaleLr(spec.schedule.plateauFactor);
                        meta.epochsSinceLossGain = 0;
                        LOG.info("{}: val loss plateaued, learning rate now {}", spec.stage, t.optimizer().lr());
                    }
                }
                if (spec.schedule.earlyStopping && meta.epochsSinceBest >= spec.schedule.earlyStopPatience) {
                    stopped = true;
                    LOG.info("{}: early stop after epoch {} ({} epochs without a val mIoU gain)", spec.stage,
                            epoch + 1, meta.epochsSinceBest);
                }
            }
            row.put("lr", t.optimizer().lr());
            row.put("encoder_lr", t.optimizer().slowLr());
            row.put("seconds", (System.nanoTime() - t0) / 1e9);
            sink.epochDone(spec.stage, epoch, row);
            meta.epoch = epoch;
            meta.rngState = mix(spec.seed, spec.stage.hashCode(), epoch + 1);
            if (stopped || epoch == spec.epochs - 1) {
                meta.stage = "finished";
            }
            new Checkpoint(meta, t.weights(), t.optimizer().state()).save(spec.last());
            status.accept(String.format("%s epoch %d/%d %s", spec.stage, epoch + 1, spec.epochs, brief(row)));
        }
        return new Outcome(epoch, meta.bestEpoch, meta.bestMetric, stopped);
    }

    /** A seed for (run seed, stage, epoch): the same on resume as in an uninterrupted run. */
    static long mix(long seed, long stage, long epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + stage * 0xBF58476D1CE4E5B9L + epoch * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String brief(Map<String, Double> row) {
        StringBuilder sb = new StringBuilder();
        for (String k : new String[] {"loss", "val_loss", "val_mIoU", "seconds"}) {
            if (row.containsKey(k)) {
                sb.append(k).append('=').append(fmt(row.get(k))).append(' ');
            }
        }
        return sb.toString().trim();
    }

    private static String fmt(double v) {
        return String.format("%.4f", v);
    }
}
