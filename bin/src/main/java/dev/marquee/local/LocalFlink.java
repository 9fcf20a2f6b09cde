package dev.marquee.local;

import dev.marquee.jobs.common.Loopback;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink MiniCluster in this JVM with its web UI and REST API on a loopback port, at the jobs'
 * parallelism of 2: the demo shows it to people, the bench reads checkpoint statistics from it.
 */
public final class LocalFlink {
    private LocalFlink() {}

    /** The jobs' parallelism, and the slots of the one TaskManager. */
    static final int PARALLELISM = 2;

    /**
     * An environment with {@code conf} plus the REST endpoint on 127.0.0.1:{@code port}: each job
     * it executes gets a MiniCluster of its own, started for it and shut down after it.
     */
    public static StreamExecutionEnvironment withWebUi(int port, Configuration conf) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(clusterConf(port, conf));
        env.setParallelism(PARALLELISM);
        return env;
    }

    private static Configuration clusterConf(int port, Configuration conf) {
        Loopback.bind(conf);
        conf.set(RestOptions.PORT, port);
        // The web UI's record counters (and the metadata bench's) come through the REST metric
        // fetcher, which by default refreshes every 10 s: too coarse to follow a backlog of a few
        // seconds. Every 500 ms, not faster: the fetches and the REST answers take CPU from the
        // job (the other benches read their counters in this JVM instead, InJvmCounters).
        if (!conf.contains(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL)) {
            conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(500));
        }
        return conf;
    }

    /**
     * A MiniCluster that outlives its jobs, as a session cluster or a deployed TaskManager does:
     * one JobManager and one TaskManager with {@link #PARALLELISM} slots, REST on 127.0.0.1:{@code
     * port}, jobs submitted to it over REST ({@link #env}). The bench runs a job's warm-up copies
     * and then the measured job on one of these, so the measured job finds a TaskManager that has
     * run the job before, as a deployed one has, instead of a JobManager, a TaskManager and their
     * RPC actors started for it. (It did not by itself quiet the JIT compiler during the warm-up:
     * that took more passes, docs/slo.md.)
     */
    public static final class Session implements AutoCloseable {
        private final MiniCluster cluster;
        private final int port;

        private Session(MiniCluster cluster, int port) {
            this.cluster = cluster;
            this.port = port;
        }

        /** Starts the cluster with {@code conf} (metric reporters, checkpoint storage, ...). */
        public static Session start(int port, Configuration conf) throws Exception {
            MiniCluster cluster =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(clusterConf(port, conf))
                                    .setNumTaskManagers(1)
                                    .setNumSlotsPerTaskManager(PARALLELISM)
                                    .build());
            try {
                cluster.start();
            } catch (Exception e) {
                cluster.close();
                throw e;
            }
            return new Session(cluster, cluster.getRestAddress().get().getPort());
        }

        /**
         * An environment whose jobs run on this cluster. The job's classes are this JVM's, so no
         * jar is shipped: the cluster resolves them from the class path it shares.
         */
        public StreamExecutionEnvironment env() {
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createRemoteEnvironment(
                            Loopback.HOST, port, Loopback.configuration());
            env.setParallelism(PARALLELISM);
            return env;
        }

        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }
}
