package org.condseg.model.condseg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.condseg.nn.GraphMode;
import org.condseg.nn.Scope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CDFA's attention core against a plain-loop implementation of reference §5.2 (outlook attention with external
 * guidance, window K, fold without normalisation): the official order (fg pass, fold, proj, bg pass, fold, proj)
 * and the paper order of Eq. 13–14 (A_fg·A_bg inside one window, one fold, proj), for several K. The official
 * K = 3 case is also pinned by the golden fixtures, which anchors the loop implementation itself.
 */
class CdfaTest {
    @ParameterizedTest
    @CsvSource({"3,false", "5,false", "1,false", "3,true", "5,true"})
    void attentionCoreMatchesPlainLoops(int k, boolean paper) {
        int b = 2;
        int dim = 8;
        int heads = 2;
        int h = 5;
        int w = 4;
        Nd4j.getRandom().setSeed(11);
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, GraphMode.EVAL, 3);
        SDVariable x = sd.var("x", Nd4j.randn(DataType.FLOAT, b, dim, h, w));
        SDVariable fg = sd.var("fg", Nd4j.randn(DataType.FLOAT, b, dim, h, w));
        SDVariable bg = sd.var("bg", Nd4j.randn(DataType.FLOAT, b, dim, h, w));
        Cdfa.build(root, x, fg, bg, dim, dim, heads, k, 1, paper);
        Map<String, SDVariable> t = root.taps();
        Map<String, INDArray> o = sd.output(Map.of(), t.get("v").name(), t.get("attn_fg").name(), t.get("attn_bg").name(),
                t.get("output_cbr.in0").name());
        double[][][][] v = arr(o.get(t.get("v").name()));
        double[][][][] gf = arr(o.get(t.get("attn_fg").name()));
        double[][][][] gb = arr(o.get(t.get("attn_bg").name()));
        INDArray pw = sd.getArrForVarName("proj.weight");
        INDArray pb = sd.getArrForVarName("proj.bias");
        double scale = Math.pow((double) dim / heads, -0.5);
        double[][][][] expect;
        if (!paper) {
            double[][][][] z = proj(fold(pass(v, gf, null, heads, k, scale), k), pw, pb);
            expect = proj(fold(pass(z, gb, null, heads, k, scale), k), pw, pb);
        } else {
            expect = proj(fold(pass(v, gb, gf, heads, k, scale), k), pw, pb);
        }
        INDArray got = o.get(t.get("output_cbr.in0").name());
        double err = 0;
        double max = 0;
        for (int n = 0; n < b; n++) {
            for (int c = 0; c < dim; c++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        err = Math.max(err, Math.abs(expect[n][c][y][xx] - got.getDouble(n, c, y, xx)));
                        max = Math.max(max, Math.abs(expect[n][c][y][xx]));
                    }
                }
            }
        }
        assertTrue(max > 0.1 && err <= 1e-5 * max, "K=" + k + " paper=" + paper + ": max error " + err + " of " + max);
    }

    @ParameterizedTest
    @CsvSource({"3,false", "5,true"})
    void everyCdfaTensorGetsAGradientInTrainMode(int k, boolean paper) {
        SameDiff sd = SameDiff.create();
        Scope root = Scope.root(sd, GraphMode.TRAIN, 4);
        Nd4j.getRandom().setSeed(2);
        SDVariable x = sd.var("x", Nd4j.randn(DataType.FLOAT, 2, 8, 6, 6));
        SDVariable out = Cdfa.build(root, x, sd.var("fg", Nd4j.randn(DataType.FLOAT, 2, 8, 6, 6)),
                sd.var("bg", Nd4j.randn(DataType.FLOAT, 2, 8, 6, 6)), 8, 8, 2, k, 1, paper);
        sd.setLossVariables(out.mul(sd.constant(Nd4j.randn(DataType.FLOAT, 2, 8, 6, 6))).sum().rename("L"));
        java.util.List<String> names = new java.util.ArrayList<>(root.params());
        names.add("x");
        Map<String, INDArray> g = org.condseg.nn.Graphs.gradients(sd, Map.of(), names);
        for (String n : names) {
            double m = g.get(n).amaxNumber().doubleValue();
            assertTrue(Double.isFinite(m) && m > 0, n + ": " + m);
        }
    }

    /**
     * One window pass, kept per slot before folding: Y[b][h][p][i][e] = Σ_j A[i][j] · V[h·hd+e][p+o_j], where A is
     * softmax over j of scale·logits (index h·K⁴ + i·K² + j); with {@code second}, A_second·(A_first·U).
     */
    static double[][][][][][] pass(double[][][][] v, double[][][][] first, double[][][][] second, int heads, int k,
            double scale) {
        int b = v.length;
        int dim = v[0].length;
        int hh = v[0][0].length;
        int ww = v[0][0][0].length;
        int hd = dim / heads;
        int k2 = k * k;
        double[][][][][][] y = new double[b][heads][hh][ww][k2][hd];
        for (int n = 0; n < b; n++) {
            for (int hp = 0; hp < heads; hp++) {
                for (int py = 0; py < hh; py++) {
                    for (int px = 0; px < ww; px++) {
                        double[][] u = new double[k2][hd];
                        for (int j = 0; j < k2; j++) {
                            int sy = py + j / k - k / 2;
                            int sx = px + j % k - k / 2;
                            for (int e = 0; e < hd; e++) {
                                u[j][e] = sy < 0 || sx < 0 || sy >= hh || sx >= ww ? 0 : v[n][hp * hd + e][sy][sx];
                            }
                        }
                        double[][] r = mul(softmax(first[n], hp, py, px, k2, scale), u);
                        if (second != null) {
                            r = mul(softmax(second[n], hp, py, px, k2, scale), r);
                        }
                        y[n][hp][py][px] = r;
                    }
                }
            }
        }
        return y;
    }

    /** Fold: every slot i of the window at p adds to pixel p + o_i (valid pixels only, no normalisation). */
    static double[][][][] fold(double[][][][][][] y, int k) {
        int b = y.length;
        int heads = y[0].length;
        int hh = y[0][0].length;
        int ww = y[0][0][0].length;
        int hd = y[0][0][0][0][0].length;
        double[][][][] z = new double[b][heads * hd][hh][ww];
        for (int n = 0; n < b; n++) {
            for (int hp = 0; hp < heads; hp++) {
                for (int py = 0; py < hh; py++) {
                    for (int px = 0; px < ww; px++) {
                        for (int i = 0; i < k * k; i++) {
                            int qy = py + i / k - k / 2;
                            int qx = px + i % k - k / 2;
                            if (qy < 0 || qx < 0 || qy >= hh || qx >= ww) {
                                continue;
                            }
                            for (int e = 0; e < hd; e++) {
                                z[n][hp * hd + e][qy][qx] += y[n][hp][py][px][i][e];
                            }
                        }
                    }
                }
            }
        }
        return z;
    }

    static double[][][][] proj(double[][][][] z, INDArray w, INDArray bias) {
        int dim = z[0].length;
        double[][][][] out = new double[z.length][dim][z[0][0].length][z[0][0][0].length];
        for (int n = 0; n < z.length; n++) {
            for (int o = 0; o < dim; o++) {
                for (int y = 0; y < z[0][0].length; y++) {
                    for (int x = 0; x < z[0][0][0].length; x++) {
                        double s = bias.getDouble(o);
                        for (int c = 0; c < dim; c++) {
                            s += w.getDouble(o, c) * z[n][c][y][x];
                        }
                        out[n][o][y][x] = s;
                    }
                }
            }
        }
        return out;
    }

    static double[][] softmax(double[][][] logits, int hp, int py, int px, int k2, double scale) {
        double[][] a = new double[k2][k2];
        for (int i = 0; i < k2; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k2; j++) {
                a[i][j] = scale * logits[hp * k2 * k2 + i * k2 + j][py][px];
                m = Math.max(m, a[i][j]);
            }
            double sum = 0;
            for (int j = 0; j < k2; j++) {
                a[i][j] = Math.exp(a[i][j] - m);
                sum += a[i][j];
            }
            for (int j = 0; j < k2; j++) {
                a[i][j] /= sum;
            }
        }
        return a;
    }

    static double[][] mul(double[][] a, double[][] u) {
        double[][] r = new double[a.length][u[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < u.length; j++) {
                for (int e = 0; e < u[0].length; e++) {
                    r[i][e] += a[i][j] * u[j][e];
                }
            }
        }
        return r;
    }

    static double[][][][] arr(INDArray a) {
        long[] s = a.shape();
        double[][][][] r = new double[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < s[1]; c++) {
                for (int y = 0; y < s[2]; y++) {
                    for (int x = 0; x < s[3]; x++) {
                        r[n][c][y][x] = a.getDouble(n, c, y, x);
                    }
                }
            }
        }
        return r;
    }
}
