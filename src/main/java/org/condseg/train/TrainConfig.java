package org.condseg.train;

import org.condseg.data.AugmentConfig;
import org.condseg.data.StrongAugConfig;

/** Keys under {@code train.}: the training strategy and the two stages (paper §"Training strategy"). */
public class TrainConfig {
    /** How the network is trained (the five rows of Table 3). */
    public enum Strategy {
        /** Net_0 alone, plain L_mask on the original images (Table 3 row 1). */
        NET0,
        /** Net_0 alone with Consistency Reinforcement (Table 3 row 2). */
        NET0_CR,
        /** ConDSeg trained in one stage from an untrained encoder (Table 3 row 3). */
        ONE_STAGE,
        /** Stage 1 without CR, then stage 2 (Table 3 row 4). */
        TWO_STAGE_NO_CR,
        /** Stage 1 with CR, then stage 2: the paper's method (Table 3 row 5). */
        TWO_STAGE
    }

    /** The run's seed: initialisation, shuffling, augmentation (set per run from the top-level {@code seeds:} list). */
    public int seed = 0;
    /** Training strategy; TWO_STAGE is the paper's method. */
    public Strategy strategy = Strategy.TWO_STAGE;
    /** Stage 1: Net_0 with Consistency Reinforcement (Eq. 1-7). */
    public Stage1 stage1 = new Stage1();
    /** Stage 2: the whole ConDSeg network (Eq. 15). */
    public Stage2 stage2 = new Stage2();
    /** Also carry the encoder's BatchNorm running statistics from stage 1 to stage 2 (official: parameters only). */
    public boolean transferBnStats = false;
    /** Validate every this many epochs (1 = every epoch, as the paper). */
    public int validateEvery = 1;

    /** Keys under {@code train.stage1.}. */
    public static class Stage1 {
        /** Stage-1 epochs (Table 6 sweeps 5/10/20/50/100). */
        public int epochs = 50;
        /** Batch size (paper 4; official code 8). */
        public int batchSize = 4;
        /** Adam learning rate. */
        public double lr = 1e-4;
        /** Geometric augmentation (official stage 1: rotate 90 deg p 0.5, flips p 0.5, dropout p 0.3). */
        public AugmentConfig augment = AugmentConfig.stage1();
        /** The strong augmentation Aug(.) of Consistency Reinforcement (official: ColorJitter, grayscale, blur). */
        public StrongAugConfig strong = new StrongAugConfig();
        /** Plateau scheduler and early stopping for this stage. */
        public Schedule schedule = new Schedule();
    }

    /** Keys under {@code train.stage2.}. */
    public static class Stage2 {
        /** Stage-2 epochs. */
        public int epochs = 100;
        /** Batch size (paper 4; official code 12). */
        public int batchSize = 4;
        /** Adam learning rate of everything but the encoder. */
        public double lr = 1e-4;
        /** Adam learning rate of the encoder (paper 1e-5; the official code uses 1e-4, see fidelity). */
        public double encoderLr = 1e-5;
        /** Geometric augmentation (official stage 2: rotate 35 deg p 0.3, flips p 0.3, dropout p 0.3). */
        public AugmentConfig augment = AugmentConfig.stage2();
        /** Plateau scheduler and early stopping for this stage. */
        public Schedule schedule = new Schedule();
    }

    /** Keys under {@code train.stageN.schedule.}: the official code's scheduler and early stop, as switches. */
    public static class Schedule {
        /** ReduceLROnPlateau on the validation loss (official: on, patience 30, factor 0.1). */
        public boolean reduceLrOnPlateau = false;
        /** Epochs without a val-loss gain (relative threshold 1e-4) before the rate is scaled. */
        public int plateauPatience = 30;
        /** Factor applied to both learning rates on a plateau. */
        public double plateauFactor = 0.1;
        /** Stop after this many epochs whose val mIoU is below the best (official: on, 100). */
        public boolean earlyStopping = false;
        /** Early-stopping patience in epochs. */
        public int earlyStopPatience = 100;

        StageLoop.Schedule toLoop() {
            return new StageLoop.Schedule(reduceLrOnPlateau, plateauPatience, plateauFactor, earlyStopping,
                    earlyStopPatience);
        }
    }
}
