package dev.marquee.jobs.common;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * Flink inside one machine listens on 127.0.0.1 only. A MiniCluster's defaults bind its blob server
 * (and, when it has one, the TaskManager's data port) to every interface; this sets the bind hosts
 * for the demo's, the bench's and the tests' MiniClusters. The standalone {@code stack up} cluster
 * writes the same keys into its config.yaml.
 */
public final class Loopback {
    public static final String HOST = "127.0.0.1";

    private Loopback() {}

    /** {@code conf} with every Flink listener bound to the loopback interface. */
    public static Configuration bind(Configuration conf) {
        conf.set(JobManagerOptions.BIND_HOST, HOST);
        conf.set(JobManagerOptions.ADDRESS, HOST);
        conf.set(TaskManagerOptions.BIND_HOST, HOST);
        conf.set(TaskManagerOptions.HOST, HOST);
        conf.set(RestOptions.BIND_ADDRESS, HOST);
        conf.set(RestOptions.ADDRESS, HOST);
        return conf;
    }

    /** A fresh configuration bound to loopback. */
    public static Configuration configuration() {
        return bind(new Configuration());
    }
}
