package dev.marquee.sql;

import picocli.CommandLine.Command;

/** Placeholder: the Flink SQL client with every topic declared. */
@Command(name = "sql", description = "Flink SQL client with every topic already declared as a table.")
public final class SqlCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not yet");
    }
}
