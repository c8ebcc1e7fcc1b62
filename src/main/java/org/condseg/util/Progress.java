package org.condseg.util;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress for any loop that can take more than a few seconds. On a terminal it draws a progress bar; when
 * stdout is not a terminal (CI, a pipe, a log file) it logs a plain line at most every ten seconds and at the end.
 */
public final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    private static final long LOG_EVERY_MS = 10_000;

    private final String task;
    private final long total;
    private final ProgressBar bar;
    private long done;
    private long lastLog;
    private String extra = "";

    private Progress(String task, long total) {
        this.task = task;
        this.total = total;
        this.bar = System.console() != null
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                        .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build()
                : null;
        this.lastLog = System.currentTimeMillis();
    }

    public static Progress start(String task, long total) {
        return new Progress(task, total);
    }

    public void step() {
        stepBy(1);
    }

    public void stepBy(long n) {
        done += n;
        if (bar != null) {
            bar.stepBy(n);
        } else {
            long now = System.currentTimeMillis();
            if (now - lastLog >= LOG_EVERY_MS) {
                lastLog = now;
                LOG.info("{}: {}/{} {}", task, done, total, extra);
            }
        }
    }

    /** A short status (e.g. the running loss) shown after the bar or in the log line. */
    public void setExtra(String message) {
        this.extra = message;
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        } else {
            LOG.info("{}: {}/{} done {}", task, done, total, extra);
        }
    }
}
