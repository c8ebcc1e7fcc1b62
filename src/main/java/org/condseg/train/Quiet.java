package org.condseg.train;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Runs a library call with {@code System.out} silenced. SameDiff 1.0.0-M2.1 prints one line per op to stdout
 * ("Added differentiated op ...") while it builds a backward graph: thousands of lines for ConDSeg.
 */
final class Quiet {
    private Quiet() {
    }

    static synchronized void run(Runnable r) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            r.run();
        } finally {
            System.setOut(out);
        }
    }
}
