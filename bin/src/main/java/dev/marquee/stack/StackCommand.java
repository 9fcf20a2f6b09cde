package dev.marquee.stack;

import picocli.CommandLine.Command;

/** Placeholder: stack up / down / status. */
@Command(name = "stack", description = "Local Kafka, schema registry and Flink cluster in the background.")
public final class StackCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("not yet");
    }
}
