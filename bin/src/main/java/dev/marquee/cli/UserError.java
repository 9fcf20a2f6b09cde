package dev.marquee.cli;

/**
 * Something the user can fix: a wrong topic, bad JSON, a stack that is not running. Main prints the
 * message as one sentence (no stack trace) and exits with {@link #exitCode()}.
 */
public class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(String message) {
        this(message, 2);
    }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
