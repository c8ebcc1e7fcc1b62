package org.condseg.parity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.condseg.model.condseg.AuxiliaryHead;
import org.condseg.model.condseg.Cdfa;
import org.condseg.model.condseg.CdfaPreprocess;
import org.condseg.model.condseg.DilatedConv;
import org.condseg.model.condseg.OutputBlock;
import org.condseg.model.condseg.SaDecoder;
import org.condseg.model.condseg.Sid;
import org.condseg.nn.Cam;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Sam;
import org.condseg.nn.Scope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Builds one official module alone, from the constructor string a fixture manifest records (e.g.
 * {@code ContrastDrivenFeatureAggregation(in_c=256, dim=128, num_heads=4, kernel_size=3, padding=1, stride=1)}),
 * with its inputs as graph variables (so input gradients exist) and names local to the module, as in its own
 * state_dict. CAM uses the official hidden width C/16 here.
 */
final class ModuleHarness {
    private static final Pattern CALL = Pattern.compile("^\\s*(\\w+)\\s*\\((.*?)\\)");

    /** A module that the Java code does not implement. */
    static final class Unsupported extends Exception {
        Unsupported(String msg) {
            super(msg);
        }
    }

    /** The built graph: root scope (params, taps) and the module's outputs by the fixture's names. */
    record Built(SameDiff sd, Scope root, Map<String, SDVariable> outputs, List<String> inputs) {
    }

    private ModuleHarness() {
    }

    static Built build(String ctor, Map<String, INDArray> inputs, GraphMode mode) throws Unsupported {
        Matcher m = CALL.matcher(ctor == null ? "" : ctor);
        if (!m.find()) {
            throw new Unsupported("cannot parse module constructor '" + ctor + "'");
        }
        String cls = m.group(1);
        Map<String, Integer> args = parseArgs(m.group(2));
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, mode, 0);
        List<SDVariable> in = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : inputs.entrySet()) {
            in.add(sd.var(e.getKey(), e.getValue().dup()));
        }
        Map<String, SDVariable> out = new LinkedHashMap<>();
        switch (cls) {
            case "channel_attention" -> out.put("out", Cam.apply(root, need(in, 1, cls), arg(args, "in_planes", 0, -1), 1));
            case "spatial_attention" -> {
                if (arg(args, "kernel_size", 0, 7) != 7) {
                    throw new Unsupported("spatial_attention with kernel_size != 7");
                }
                out.put("out", Sam.apply(root, need(in, 1, cls)));
            }
            case "dilated_conv" -> out.put("out", DilatedConv.build(root, need(in, 1, cls), arg(args, "in_c", 0, -1),
                    arg(args, "out_c", 1, -1), 1));
            case "ContrastDrivenFeatureAggregation" -> {
                int k = arg(args, "kernel_size", 3, 3);
                if (arg(args, "padding", 4, k / 2) != k / 2 || arg(args, "stride", 5, 1) != 1) {
                    throw new Unsupported("CDFA with padding != kernel_size/2 or stride != 1");
                }
                need(in, 3, cls);
                out.put("out", Cdfa.build(root, in.get(0), in.get(1), in.get(2), arg(args, "in_c", 0, -1),
                        arg(args, "dim", 1, -1), arg(args, "num_heads", 2, 4), k, 1, false));
            }
            case "decoder_block" -> {
                if (arg(args, "scale", 2, 2) != 2) {
                    throw new Unsupported("decoder_block with scale != 2");
                }
                need(in, 2, cls);
                out.put("out", SaDecoder.build(root, in.get(0), in.get(1), arg(args, "in_c", 0, -1),
                        arg(args, "out_c", 1, -1), 2, 1));
            }
            case "output_block" -> {
                if (arg(args, "out_c", 1, 1) != 1) {
                    throw new Unsupported("output_block with out_c != 1");
                }
                need(in, 3, cls);
                SDVariable logit = OutputBlock.build(root, in.get(0), in.get(1), in.get(2), arg(args, "in_c", 0, -1), 2);
                out.put("out", sd.nn().sigmoid(logit));
            }
            case "DecoupleLayer" -> {
                SDVariable[] f = Sid.decouple(root, need(in, 1, cls), arg(args, "in_c", 0, -1), arg(args, "out_c", 1, -1), true);
                for (int i = 0; i < 3; i++) {
                    out.put("f_" + Sid.BRANCHES[i], f[i]);
                }
            }
            case "AuxiliaryHead" -> {
                need(in, 3, cls);
                for (int i = 0; i < 3; i++) {
                    SDVariable l = AuxiliaryHead.branch(root, Sid.BRANCHES[i], in.get(i), arg(args, "in_c", 0, -1), 16);
                    out.put("M_" + Sid.BRANCHES[i], sd.nn().sigmoid(l));
                }
            }
            case "CDFAPreprocess" -> {
                int up = arg(args, "up_scale", 2, -1);
                if (Integer.bitCount(up) != 1) {
                    throw new Unsupported("CDFAPreprocess with up_scale not a power of 2");
                }
                out.put("out", CdfaPreprocess.build(root, need(in, 1, cls), arg(args, "in_c", 0, -1),
                        arg(args, "out_c", 1, -1), up, up));
            }
            default -> throw new Unsupported("module type '" + cls + "' is not implemented in Java");
        }
        return new Built(sd, root, out, new ArrayList<>(inputs.keySet()));
    }

    private static SDVariable need(List<SDVariable> in, int n, String cls) throws Unsupported {
        if (in.size() != n) {
            throw new Unsupported(cls + " takes " + n + " input(s), the fixture gives " + in.size());
        }
        return in.get(0);
    }

    private static int arg(Map<String, Integer> args, String key, int position, int dflt) throws Unsupported {
        Integer v = args.get(key);
        if (v == null) {
            v = args.get("#" + position);
        }
        if (v == null) {
            if (dflt < 0) {
                throw new Unsupported("missing constructor argument " + key);
            }
            return dflt;
        }
        return v;
    }

    private static Map<String, Integer> parseArgs(String s) throws Unsupported {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (s.isBlank()) {
            return out;
        }
        String[] parts = s.split(",");
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            try {
                if (eq < 0) {
                    out.put("#" + i, Integer.parseInt(p));
                } else {
                    out.put(p.substring(0, eq).trim(), Integer.parseInt(p.substring(eq + 1).trim()));
                }
            } catch (NumberFormatException e) {
                throw new Unsupported("non-integer constructor argument '" + p + "'");
            }
        }
        return out;
    }
}
