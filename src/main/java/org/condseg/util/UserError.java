package org.condseg.util;

/**
 * A problem with the user's input (config, data, paths) rather than a bug. The CLI prints its message as one
 * line and exits with status 2, never a stack trace. The message names the file or key at fault and, where
 * possible, says what to do.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
