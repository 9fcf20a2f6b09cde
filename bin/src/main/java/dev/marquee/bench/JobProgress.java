package dev.marquee.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows one vertex of a running job through the MiniCluster's REST API and reads its record
 * counter, so a bench can report the rate <em>while the job processes</em>: from the first sample
 * in which the vertex has moved records to the first in which it has moved them all, the way
 * Nexmark reads throughput off a running job rather than off the wall clock around it (which would
 * count job start-up and the exactly-once commit delay as processing time).
 */
final class JobProgress implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which counter of the vertex: records it read from the network, or wrote to it. */
    enum Counter {
        READ("read-records"),
        WRITTEN("write-records");

        final String metric;

        Counter(String metric) {
            this.metric = metric;
        }
    }

    record Sample(long nanos, long records) {}

    private final String url;
    private final String vertexPrefix;
    private final Counter counter;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread poller;
    private volatile boolean stopped;

    /**
     * Starts polling every {@code every} in the background.
     *
     * @param vertexPrefix the start of the vertex's name (a chain is named after its operators)
     */
    JobProgress(String rest, String jobId, String vertexPrefix, Counter counter, Duration every) {
        this.url = rest + "/jobs/" + jobId;
        this.vertexPrefix = vertexPrefix;
        this.counter = counter;
        this.poller =
                new Thread(
                        () -> {
                            while (!stopped) {
                                try {
                                    long records = records();
                                    synchronized (samples) {
                                        samples.add(new Sample(System.nanoTime(), records));
                                    }
                                    Thread.sleep(every.toMillis());
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception notYet) {
                                    // the REST endpoint is still starting, or the job is
                                }
                            }
                        },
                        "bench-progress");
        poller.setDaemon(true);
        poller.start();
    }

    /** The vertex's counter now, summed over its subtasks (0 before it runs). */
    long records() throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        for (JsonNode vertex : JSON.readTree(response.body()).path("vertices")) {
            if (vertex.path("name").asText().startsWith(vertexPrefix)) {
                return vertex.path("metrics").path(counter.metric).asLong();
            }
        }
        throw new IllegalStateException("no vertex named '" + vertexPrefix + "...' in " + url);
    }

    /**
     * Records a second between the first sample with any record and the first with at least {@code
     * total}; NaN when the samples do not span such an interval (too fast to see).
     */
    double steadyRate(long total) {
        Sample first = null;
        Sample done = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (first == null && s.records() > 0) {
                    first = s;
                }
                if (done == null && s.records() >= total) {
                    done = s;
                }
            }
        }
        if (first == null || done == null || done.nanos() <= first.nanos()) {
            return Double.NaN;
        }
        return (done.records() - first.records()) / ((done.nanos() - first.nanos()) / 1e9);
    }

    /** The latest sample's count. */
    long latest() {
        synchronized (samples) {
            return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).records();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        poller.interrupt();
        poller.join(5000);
    }
}
