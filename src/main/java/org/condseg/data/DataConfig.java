package org.condseg.data;

import java.util.List;

/** The {@code data} section of an experiment config: which dataset, where, at what size, how it is loaded. */
public class DataConfig {
    /** Dataset name: synthetic, kvasir-seg, kvasir-sessile, glas, isic2016, isic2017, synapse or folder. */
    public String dataset = "synthetic";
    /** Dataset folder; empty = ../shared/datasets/&lt;dataset&gt; for kvasir-seg/kvasir-sessile, data/&lt;dataset&gt; otherwise. */
    public String root = "";
    /** Generate synthetic data in this dataset's own folder layout (under cacheDir) and read it with the real reader. */
    public boolean synthetic = false;
    /** Folder for synthetic layouts; empty = &lt;java.io.tmpdir&gt;/condseg-j-synthetic. */
    public String cacheDir = "";
    /** Side of the square network input: every image and mask is resized to size x size. */
    public int size = 256;
    /** Use only the first N training samples of a seeded order (0 = all). */
    public int trainSubset = 0;
    /** Use only the first N validation samples of a seeded order (0 = all). */
    public int valSubset = 0;
    /** Use only the first N test samples of a seeded order (0 = all). */
    public int testSubset = 0;
    /** Mask threshold on the 0..255 grey scale: a resized mask pixel is foreground when its value &gt;= this. */
    public int maskThreshold = 128;
    /** Channel order of the image tensor: rgb (default) or bgr (official). */
    public ChannelOrder channelOrder = ChannelOrder.rgb;
    /** Normalise images with mean/std after scaling to [0,1] (official: off). */
    public boolean normalize = false;
    /** Per-channel mean for normalize, in R,G,B order (ImageNet by default). */
    public List<Double> mean = List.of(0.485, 0.456, 0.406);
    /** Per-channel standard deviation for normalize, in R,G,B order (ImageNet by default). */
    public List<Double> std = List.of(0.229, 0.224, 0.225);
    /** Seed of every seeded split and subset choice (Kvasir-Sessile, folder without lists, *Subset). */
    public long splitSeed = 42;
    /** Fraction of samples for val in a seeded split (folder reader without list files). */
    public double valFraction = 0.1;
    /** Fraction of samples for test in a seeded split (folder reader without list files). */
    public double testFraction = 0.1;
    /** Check every pair (mask present, same size, decodes, binary mask) before use. */
    public boolean check = true;
    /** Memory budget in MiB for caching resized samples (4 bytes per pixel); above it samples are decoded every epoch. */
    public int cacheMb = 1024;
    /** Number of batches the loader prepares ahead of the trainer. */
    public int prefetch = 4;
    /** Worker threads for decoding and augmentation; 0 = min(4, available processors). */
    public int workers = 0;
    /** Synthetic generator knobs (dataset synthetic, or synthetic: true). */
    public SyntheticConfig generator = new SyntheticConfig();

    /** The worker count after resolving 0 to a default. */
    public int resolvedWorkers() {
        return workers > 0 ? workers : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
