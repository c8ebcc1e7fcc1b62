package org.condseg.experiment;

import java.util.ArrayList;
import java.util.List;

/** Small config POJOs shaped like the real sections (scalars, enums, lists, nested sections). */
public final class TestConfigs {
    private TestConfigs() {
    }

    public enum Encoder { RESNET50, VGG19, PVT_V2_B2 }

    public enum Strategy { ONE_STAGE, TWO_STAGE, TWO_STAGE_CR }

    public static class Root {
        /** Which behaviour to follow. */
        public String fidelity = "paper";
        public Data data = new Data();
        public Model model = new Model();
        public Train train = new Train();
    }

    public static class Data {
        public String dataset = "kvasir-seg";
        public int size = 256;
        public List<String> augment = new ArrayList<>(List.of("flip", "rotate"));
    }

    public static class Model {
        public Encoder encoder = Encoder.RESNET50;
        public int width = 64;
        public Cdfa cdfa = new Cdfa();
        public List<Integer> channels = new ArrayList<>(List.of(64, 128));
    }

    public static class Cdfa {
        public int window = 3;
        public int heads = 8;
        public boolean enabled = true;
    }

    public static class Train {
        public int epochs = 10;
        public double lr = 1e-4;
        public long steps = 5_000_000_000L;
        public List<Double> lrs = new ArrayList<>(List.of(1e-5, 1e-4));
        public Strategy strategy = Strategy.TWO_STAGE_CR;
        public int seed = 0;
        public boolean alignCorners = false;
        public Double clip = null;
    }
}
