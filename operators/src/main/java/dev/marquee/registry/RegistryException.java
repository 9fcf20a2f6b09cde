package dev.marquee.registry;

/**
 * A registry call failed. {@link #isUnreachable()} separates "no registry answered" (a
 * configuration or outage problem) from the registry refusing a request (e.g. an incompatible
 * schema, HTTP 409), because the command line and the jobs treat them differently.
 */
public class RegistryException extends RuntimeException {
    private final int status;

    public RegistryException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status, or 0 when no registry answered. */
    public int status() {
        return status;
    }

    public boolean isUnreachable() {
        return status == 0;
    }

    /** Confluent answers 409 when a schema is incompatible with the subject's history. */
    public boolean isIncompatible() {
        return status == 409;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
