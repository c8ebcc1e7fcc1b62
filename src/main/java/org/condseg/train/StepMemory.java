package org.condseg.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.condseg.nn.SessionMemory;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees a training step's off-heap arrays as soon as the step is done. ND4J frees an array's native memory when it is
 * closed or when Java collects its handle; the handles are tiny, so the heap seldom fills and gigabytes of
 * activations, gradients and optimiser temporaries wait for a collection (a 128² paper-width step reached the 8 GB
 * JavaCPP cap). Closing them after use keeps the process near one step's working set.
 * Switch: system property {@value #PROPERTY} = false keeps the old behaviour (measurements in docs/decisions.md).
 */
public final class StepMemory {
    /** System property; "false" leaves freeing to the garbage collector. */
    public static final String PROPERTY = "condseg.releaseStepArrays";

    private StepMemory() {
    }

    /** Whether arrays are closed after each step (default true). */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /**
     * Closes the step's gradients and requested outputs (read everything needed from them first), then, when the
     * step ran with a {@link SessionMemory} ({@code mem} not null), every other array the session handed out.
     */
    public static void release(OutAndGrad og, SessionMemory mem) {
        if (enabled()) {
            close(og.getGradients().values());
            close(og.getOutputs().values());
        }
        if (mem != null) { // the step's other arrays: freed now rather than at the next garbage collection
            List<INDArray> returned = new ArrayList<>(og.getGradients().values());
            returned.addAll(og.getOutputs().values());
            mem.closeAllBut(returned);
        }
    }

    /** Closes every array that can be closed (not a view, not already closed). */
    public static void close(Collection<INDArray> arrays) {
        for (INDArray a : arrays) {
            close(a);
        }
    }

    /** Closes {@code a} if it owns its buffer and is still open; views and nulls are left alone. */
    public static void close(INDArray a) {
        SessionMemory.closeArray(a);
    }
}
