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
        // The web UI's and the benches' record counters come through the REST metric fetcher,
        // which by default refreshes every 10 s: too coarse to time a backlog of a few seconds.
        // Every 500 ms: at 100 ms the fetches and the REST answers took about a twentieth of the
        // machine from the job a bench was timing (JFR, playback-slo on 2 cores).
        if (!conf.contains(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL)) {
            conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(2);
        return env;
    }
}
