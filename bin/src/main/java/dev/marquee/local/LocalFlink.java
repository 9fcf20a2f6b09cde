package dev.marquee.local;

import dev.marquee.jobs.common.Loopback;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink MiniCluster in this JVM with its web UI and REST API on a loopback port, at the jobs'
 * parallelism of 2: the demo shows it to people, the bench reads checkpoint statistics from it.
 */
public final class LocalFlink {
    private LocalFlink() {}

    /** An environment with {@code conf} plus the REST endpoint on 127.0.0.1:{@code port}. */
    public static StreamExecutionEnvironment withWebUi(int port, Configuration conf) {
        Loopback.bind(conf);
        conf.set(RestOptions.PORT, port);
        // The web UI's record counters (and the metadata bench's) come through the REST metric
        // fetcher, which by default refreshes every 10 s: too coarse to follow a backlog of a few
        // seconds. Every 500 ms, not faster: the fetches and the REST answers take CPU from the
        // job (the other benches read their counters in this JVM instead, InJvmCounters).
        if (!conf.contains(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL)) {
            conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(2);
        return env;
    }
}
