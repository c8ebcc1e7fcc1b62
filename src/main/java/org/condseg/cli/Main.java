package org.condseg.cli;

import java.io.PrintWriter;
import org.condseg.util.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The ConDSeg-J command line. Every user-input problem ends as one line on stderr and exit status 2; an
 * unexpected failure as one line and status 1 (set CONDSEG_DEBUG=1 for the stack trace).
 */
@Command(name = "condseg", mixinStandardHelpOptions = true, version = "ConDSeg-J 0.1.0",
        description = "ConDSeg (Lei et al., AAAI 2025) on Deeplearning4j/SameDiff: train, evaluate, reproduce.",
        subcommands = {RunCommand.class, EvaluateCommand.class, PredictCommand.class, ParityCommand.class,
                BenchCommand.class, ModelsCommand.class, ReportCommand.class})
public final class Main {
    public static final int USER_ERROR = 2;

    public static void main(String[] args) {
        String extension = org.condseg.util.NativeBackend.select();
        try {
            org.condseg.util.CudaPreflight.check(org.condseg.util.NativeBackend.builtBackend(), extension);
        } catch (UserError e) {
            System.exit(report(e, new PrintWriter(System.err, true)));
        }
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, cmd.getErr()));
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage()
                    + " (see: condseg " + ex.getCommandLine().getCommandName() + " --help)");
            ex.getCommandLine().getErr().flush();
            return USER_ERROR;
        });
        try {
            return cl.execute(args);
        } catch (Throwable t) {                 // an Error (e.g. out of memory) that picocli does not handle
            return report(t, new PrintWriter(System.err, true));
        }
    }

    static int report(Throwable ex, PrintWriter err) {
        Throwable root = ex;
        while (!(root instanceof UserError) && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UserError) {
            err.println("error: " + oneLine(root.getMessage()));
            err.flush();
            return USER_ERROR;
        }
        if (System.getenv("CONDSEG_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        if (ex instanceof OutOfMemoryError) {
            err.println("error: out of memory (" + oneLine(String.valueOf(ex.getMessage())) + "): raise the caps in "
                    + "CONDSEG_JAVA_OPTS (default -Xmx3g -Dorg.bytedeco.javacpp.maxphysicalbytes=7G) or lower "
                    + "data.size, model.width or the batch size; finished epochs are kept, continue with --resume");
            err.flush();
            return 1;
        }
        err.println("internal error: " + ex.getClass().getSimpleName() + ": " + oneLine(String.valueOf(ex.getMessage()))
                + " (set CONDSEG_DEBUG=1 for the stack trace)");
        err.flush();
        return 1;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
