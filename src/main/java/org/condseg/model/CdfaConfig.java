package org.condseg.model;

/** CDFA settings ({@code model.cdfa.*}). */
public class CdfaConfig {
    /** Attention window size K (odd; 3 in the paper and code, 1/3/5/7 in the Table 7 sweep). */
    public int window = 3;
    /** Number of attention heads (4 in the official code; the width must be divisible by it). */
    public int heads = 4;
    /** false: the official code's order (fg pass, fold, proj, then bg pass); true: paper Eq. 13–14 (bg then fg in one window, one fold). */
    public boolean paperOrder = false;
}
