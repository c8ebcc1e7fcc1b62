package org.condseg.nn;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.FrameIter;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;

/**
 * SameDiff's session, running four ops with this project's Java kernels instead of libnd4j: batched products of
 * small matrices ({@link SmallMatmul}), batch norm's backward ({@link BatchNormBackward}), im2col with stride 1 as
 * row copies ({@link RowIm2col}) and row-major reshapes, which
 * become views of their input under a {@link SessionMemory} ({@link SessionMemory#reshapeView}) and otherwise one bulk
 * copy ({@link FlatCopy}); every other op, and every one of those that its kernel does not take, executes as in the
 * library's session. The graph is unchanged: each op is still SameDiff's, with its shape function (the session
 * allocates its outputs as before), its gradient and its place in the order; only the code that fills the outputs
 * differs.
 * Installed for training steps ({@link SessionMemory}) and for inference ({@link #install}).
 */
public final class KernelSession extends InferenceSession {
    /**
     * Whether row-major reshapes of arrays a {@link SessionMemory} handed out are views of their input's buffer
     * ({@link SessionMemory#reshapeView}); CPU backend only, as the session's kernels; {@code
     * -Dcondseg.reshapeViews=false} copies them.
     */
    static final boolean VIEWS = !"false".equalsIgnoreCase(System.getProperty("condseg.reshapeViews"))
            && org.condseg.util.NativeBackend.isCpu();

    /** Whether reshapes may be views ({@link #VIEWS}). */
    public static boolean reshapeViews() {
        return VIEWS;
    }

    public KernelSession(SameDiff sd) {
        super(sd);
    }

    /**
     * This thread's session of {@code sd}: a KernelSession when any kernel is enabled (replacing the library's
     * session, which SameDiff may have made already), else whatever session the thread has or a new one of the
     * library's.
     */
    public static InferenceSession install(SameDiff sd) {
        boolean kernels = SmallMatmul.enabled() || BatchNormBackward.enabled() || FlatCopy.enabled() || VIEWS
                || RowIm2col.enabled();
        long thread = Thread.currentThread().getId();
        InferenceSession s = sd.getSessions().get(thread);
        if (kernels ? !(s instanceof KernelSession) : s == null) {
            s = kernels ? new KernelSession(sd) : new InferenceSession(sd);
            sd.getSessions().put(thread, s);
        }
        return s;
    }

    /** Whether x's elements lie in row-major order without gaps (a side of 1 may have any stride). */
    static boolean rowMajor(INDArray x) {
        long expected = 1;
        for (int d = x.rank() - 1; d >= 0; d--) {
            if (x.size(d) != 1 && x.stride(d) != expected) {
                return false;
            }
            expected *= x.size(d);
        }
        return true;
    }

    /** x's whole buffer as floats (index it from {@code x.offset()}); CPU backend. */
    static FloatBuffer floats(INDArray x) {
        return x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public ExecutionResult doExec(DifferentialFunction op, OpContext ctx, FrameIter frame, Set<VarId> opInputs,
            Set<VarId> allIterInputs, Set<String> constAndPhInputs, Map<String, SDValue> otherPlaceHolders) {
        if (op instanceof Mmul && ctx != null && ctx.getInputArrays().size() == 2
                && ctx.getOutputArrays().size() == 1) {
            INDArray a = ctx.getInputArray(0);
            INDArray b = ctx.getInputArray(1);
            INDArray c = ctx.getOutputArray(0);
            long[] i = ((Mmul) op).iArgs();
            double[] t = ((Mmul) op).tArgs();
            boolean tA = i.length > 0 && i[0] != 0;
            boolean tB = i.length > 1 && i[1] != 0;
            boolean tC = i.length > 2 && i[2] != 0;
            double alpha = t.length > 0 ? t[0] : 1.0;
            double beta = t.length > 1 ? t[1] : 0.0;
            if (SmallMatmul.handles(a, b, c, tA, tB, tC, alpha, beta)) {
                SmallMatmul.multiply(a, b, c, tA, tB);
                return ExecutionResult.createFrom(op, ctx);
            }
        }
        if (op instanceof DynamicCustomOp d && ctx != null && "batchnorm_bp".equals(d.opName())
                && BatchNormBackward.handles(ctx.getInputArrays(), ctx.getOutputArrays(), d.iArgs(), d.tArgs())) {
            BatchNormBackward.run(ctx.getInputArrays(), ctx.getOutputArrays(), d.tArgs()[0]);
            return ExecutionResult.createFrom(op, ctx);
        }
        if (op instanceof DynamicCustomOp d && ctx != null && "im2col".equals(d.opName())
                && ctx.getInputArrays().size() == 1 && ctx.getOutputArrays().size() == 1
                && RowIm2col.handles(ctx.getInputArray(0), ctx.getOutputArray(0), d.iArgs(), d.tArgs())) {
            RowIm2col.run(ctx.getInputArray(0), ctx.getOutputArray(0), d.iArgs());
            return ExecutionResult.createFrom(op, ctx);
        }
        if (op instanceof DynamicCustomOp d && ctx != null && "reshape".equals(d.opName())
                && ctx.getOutputArrays().size() == 1 && d.iArgs().length > 0 && d.iArgs()[0] == -'c') {
            INDArray x = ctx.getInputArray(0);
            INDArray z = ctx.getOutputArray(0);
            INDArray view = VIEWS && getMmgr() instanceof SessionMemory m
                    ? m.reshapeView(x, z, op.outputVariablesNames()[0]) : null;
            if (view != null) {
                ctx.setOutputArray(0, view);
                return ExecutionResult.createFrom(op, ctx);
            }
            if (FlatCopy.handles(x, z, d.iArgs())) {
                FlatCopy.copy(x, z);
                return ExecutionResult.createFrom(op, ctx);
            }
        }
        return super.doExec(op, ctx, frame, opInputs, allIterInputs, constAndPhInputs, otherPlaceHolders);
    }
}
