package org.condseg.nn;

import java.lang.reflect.Field;
import java.util.Map;
import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Registers this project's subclasses of SameDiff ops ({@link BatchNormOps}, {@link ConvOps}, {@link Relu},
 * {@link BroadcastMul}, {@link Add}, {@link Softmax}, {@link ColumnProduct}) as the classes of their libnd4j ops. SameDiff M2.1 builds a gradient function from a serialised copy of the graph and re-creates
 * each custom op there from the class registered for its libnd4j hash; a subclass that is not registered turns back
 * into the library's class in the copy, and its own {@code doDiff} is lost. A subclass must not rely on fields of the
 * library class that only its own constructor sets (the copy restores integer arguments, not e.g. SoftMax's axis
 * field): each reads what it needs from {@code iArgs()}. The library's registry has no public
 * way in, so the two maps are reached by reflection (they exist in M2.1, the only version the pom allows).
 */
final class CustomOps {
    private CustomOps() {
    }

    @SuppressWarnings("unchecked")
    static synchronized void register(String libnd4jOp, Class<?> cls) {
        try {
            DifferentialFunctionClassHolder holder = DifferentialFunctionClassHolder.getInstance();
            Field single = DifferentialFunctionClassHolder.class.getDeclaredField("customOpHashToClass");
            Field multi = DifferentialFunctionClassHolder.class.getDeclaredField("customOpHashToClasses");
            single.setAccessible(true);
            multi.setAccessible(true);
            long hash = Nd4j.getExecutioner().getCustomOperations().get(libnd4jOp).getHash();
            ((Map<Long, Class<?>>) single.get(holder)).put(hash, cls);
            Map<String, Class<?>> named = ((Map<Long, Map<String, Class<?>>>) multi.get(holder)).get(hash);
            if (named != null) {
                named.put(libnd4jOp, cls);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot register " + cls.getSimpleName() + " for libnd4j op " + libnd4jOp
                    + " with SameDiff: " + e, e);
        }
    }
}
