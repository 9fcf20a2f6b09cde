package dev.marquee.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the resident memory of this JVM and all its descendants (registry, SQL client) twice a
 * second and keeps the peak of the sum: the demo's "whole stack under 4 GB" figure.
 */
public final class RssSampler implements AutoCloseable {
    private final AtomicLong peakKb = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public RssSampler() {
        thread = new Thread(this::loop, "rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            long total = rssKb(ProcessHandle.current());
            total += ProcessHandle.current().descendants().mapToLong(RssSampler::rssKb).sum();
            peakKb.accumulateAndGet(total, Math::max);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Peak of the summed resident set, in MiB. */
    public long peakMb() {
        return peakKb.get() / 1024;
    }

    static long rssKb(ProcessHandle process) {
        try {
            for (String line :
                    Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between listing and reading
        }
        return 0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
