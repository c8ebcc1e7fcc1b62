package org.condseg.nn;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spatial sizes known only at run time. A graph accepts any input size divisible by 16, so the feature-map
 * sizes are read from tensor shapes inside the graph. Each map lives at a "stride" relative to the input
 * image (1, 2, 4, 8, 16); a tensor registered with {@link #anchor} gives the sizes at its stride, and the
 * other strides are derived by an exact integer multiplication (or division). Every derived size, shape
 * vector and interpolation matrix is built once per graph and cached, so resizing many tensors at the same
 * level adds only the ops of the resize itself.
 */
public final class Geometry {
    private final SameDiff sd;
    private final TreeMap<Integer, SDVariable> anchors = new TreeMap<>();
    private final Map<String, SDVariable> cache = new HashMap<>();

    public Geometry(SameDiff sd) {
        this.sd = sd;
    }

    /** Declares that {@code nchw} is a feature map at {@code stride} (its H and W define that level). */
    public void anchor(int stride, SDVariable nchw) {
        anchors.putIfAbsent(stride, nchw);
    }

    /** Size of axis 2 (H) or 3 (W) at a stride, as a LONG scalar. */
    public SDVariable dim(int axis, int stride) {
        if (axis != 2 && axis != 3) {
            throw new IllegalArgumentException("axis must be 2 or 3");
        }
        return cached("dim" + axis + "/" + stride, () -> {
            SDVariable a = anchors.get(stride);
            if (a != null) {
                return sd.shape(a).castTo(DataType.LONG).get(SDIndex.point(axis));
            }
            Map.Entry<Integer, SDVariable> up = anchors.higherEntry(stride);
            while (up != null && up.getKey() % stride != 0) {
                up = anchors.higherEntry(up.getKey());
            }
            if (up != null) {
                return dim(axis, up.getKey()).mul(up.getKey() / stride);
            }
            Map.Entry<Integer, SDVariable> down = anchors.lowerEntry(stride);
            if (down == null || stride % down.getKey() != 0) {
                throw new IllegalStateException("no anchor to derive stride " + stride + " from " + anchors.keySet());
            }
            return sd.math().floorDiv(dim(axis, down.getKey()), sd.constant(Nd4j.scalar((long) (stride / down.getKey()))));
        });
    }

    /** H*W at a stride, as a LONG scalar. */
    public SDVariable area(int stride) {
        return cached("area/" + stride, () -> dim(2, stride).mul(dim(3, stride)));
    }

    /**
     * A rank-1 LONG shape vector for a reshape. Each part is a Number (a static size, -1 allowed once) or a
     * LONG scalar from {@link #dim}/{@link #area}.
     */
    public SDVariable shape(Object... parts) {
        StringBuilder key = new StringBuilder("shape");
        for (Object p : parts) {
            key.append('|').append(p instanceof SDVariable v ? "v:" + v.name() : p.toString());
        }
        return cached(key.toString(), () -> {
            SDVariable[] pieces = new SDVariable[parts.length];
            for (int i = 0; i < parts.length; i++) {
                if (parts[i] instanceof SDVariable v) {
                    pieces[i] = v.reshape(1);
                } else {
                    pieces[i] = sd.constant(Nd4j.createFromArray(((Number) parts[i]).longValue()));
                }
            }
            return sd.concat(0, pieces);
        });
    }

    /** Get-or-build a cached graph value under a key (used for interpolation matrices). */
    public SDVariable cached(String key, Supplier<SDVariable> build) {
        SDVariable v = cache.get(key);
        if (v == null) {
            v = build.get();
            cache.put(key, v);
        }
        return v;
    }

    public SameDiff sd() {
        return sd;
    }
}
