package dev.marquee.avails;

/** The file cannot be read, or is not an EMA Avails file (XML or the Excel template). */
public final class NotAvailsException extends Exception {
    public NotAvailsException(String message) {
        super(message);
    }

    public NotAvailsException(String message, Throwable cause) {
        super(message, cause);
    }
}
