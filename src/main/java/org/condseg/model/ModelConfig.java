package org.condseg.model;

/** Network settings ({@code model.*}). */
public class ModelConfig {
    /**
     * Network to build: "condseg" (stage-2 ConDSeg), "net0" (stage-1 Net_0), the Table 4 ablations
     * "condseg_baseline" and "condseg_no_sad", or a comparison network: "unet", "unetpp", "attention_unet" (no
     * pretrained encoder; base width = width/2), "pranet", "cenet", "cpfnet" (on a ResNet model.encoder).
     */
    public String name = "condseg";
    /** Encoder: resnet50 (paper), resnet34, resnet18, vgg19, vgg19_bn or pvt_v2_b2 (Table 9). */
    public String encoder = "resnet50";
    /** Width of every module after the encoder (128 in the paper; quick profiles use 16 or 32). */
    public int width = 128;
    /** CDFA window, heads and order. */
    public CdfaConfig cdfa = new CdfaConfig();
    /** Smallest hidden width of the CAM MLPs; the official C/16 is kept when larger (8 at width 128). */
    public int camMinHidden = 4;
    /** Net_0 head width per encoder level (64 in the official code). */
    public int net0HeadWidth = 64;
    /** Leave the SID auxiliary head out of inference graphs (predict, bench); training always builds it. */
    public boolean skipAuxAtInference = true;
    /**
     * U-Net++ only: deep supervision, a head on each X^{0,j} (outputs side1..side4 and their *_logit, summed in
     * the loss) with mask = sigmoid of their mean logit; false = one head on X^{0,4}.
     */
    public boolean deepSupervision = false;
    /**
     * Output classes: 1 = binary (one sigmoid channel, the paper's setting); C &gt; 1 = multi-class (Synapse: 9),
     * C softmax channels in {@code mask} and C logits in {@code mask_logit}; the SID auxiliary maps stay binary
     * (foreground = any organ).
     */
    public int numClasses = 1;
    /**
     * How convolutions are computed: auto (what measured fastest for the whole network: conv2d at present),
     * native (libnd4j's conv2d) or im2col (im2col + batched matrix product everywhere). The system property
     * condseg.convImpl overrides it.
     */
    public String convImpl = "auto";
    /** Seed of the PyTorch-default initialisation of layers without loaded weights. */
    public long initSeed = 0;
}
