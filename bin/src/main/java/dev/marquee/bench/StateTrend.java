package dev.marquee.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpointed state size of a running job, sampled at a fixed period over a live phase: the
 * issue's "state bounded under a sustained run" is a claim about the whole run, which two samples
 * (half way and at the end) cannot show. Each sample is the full state size of the first checkpoint
 * completed after the sample was asked for ({@link PlaybackBenchData#stateBytes}).
 */
final class StateTrend implements AutoCloseable {
    /** One sample: seconds since the trend started, and the checkpointed state in bytes. */
    record Sample(long seconds, long bytes) {}

    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private final long startNanos = System.nanoTime();

    StateTrend(int port, String jobId, Duration every) {
        sampler =
                new Thread(
                        () -> {
                            try {
                                while (true) {
                                    Thread.sleep(every.toMillis());
                                    long bytes =
                                            PlaybackBenchData.stateBytes(
                                                    port, jobId, System.currentTimeMillis());
                                    synchronized (samples) {
                                        samples.add(
                                                new Sample(
                                                        (System.nanoTime() - startNanos)
                                                                / 1_000_000_000L,
                                                        bytes));
                                    }
                                }
                            } catch (InterruptedException stop) {
                                Thread.currentThread().interrupt();
                            } catch (Exception failed) {
                                // the job went away: the trend ends with what it has
                            }
                        },
                        "bench-state-trend");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Stops sampling. */
    @Override
    public void close() throws InterruptedException {
        sampler.interrupt();
        sampler.join(Duration.ofSeconds(40).toMillis());
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The sample nearest half way, or -1 without samples. */
    long halfWay() {
        List<Sample> all = samples();
        return all.isEmpty() ? -1 : all.get((all.size() - 1) / 2).bytes();
    }

    /**
     * Largest state of the run's second half over the largest of its first half: about 1 when the
     * state is bounded, growing with the run's length when it is not; NaN with under two samples.
     */
    double secondHalfGrowth() {
        List<Sample> all = samples().stream().filter(s -> s.bytes() >= 0).toList();
        if (all.size() < 2) {
            return Double.NaN;
        }
        int half = all.size() / 2;
        long first = all.subList(0, half).stream().mapToLong(Sample::bytes).max().orElse(1);
        long second =
                all.subList(half, all.size()).stream().mapToLong(Sample::bytes).max().orElse(0);
        return second / (double) Math.max(1, first);
    }

    /** "60 s 1.2 MB, 120 s 1.3 MB, ..." for the bench's progress output. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (Sample s : samples()) {
            parts.add(
                    s.bytes() < 0
                            ? s.seconds() + " s ?"
                            : String.format("%d s %,.0f KB", s.seconds(), s.bytes() / 1024.0));
        }
        return String.join(", ", parts);
    }

    ArrayNode json(ObjectMapper mapper) {
        ArrayNode array = mapper.createArrayNode();
        for (Sample s : samples()) {
            array.addObject().put("seconds", s.seconds()).put("stateBytes", s.bytes());
        }
        return array;
    }
}
