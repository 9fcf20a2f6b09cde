package dev.marquee.sql;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * The main class of {@link ChildMiniCluster}'s child JVM: a MiniCluster (1 TaskManager, 2 slots)
 * with every address on loopback and REST on the port given as the only argument, until stdin ends.
 * It uses Flink classes only, because the child's classpath is bin/runtime/flink's jars plus this
 * class.
 */
public final class MiniClusterChild {
    /** Printed with the REST URL once the cluster is up. */
    public static final String READY = "FLINK_REST_URL ";

    private MiniClusterChild() {}

    public static void main(String[] args) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, Integer.parseInt(args[0]));
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .build());
        cluster.start();
        System.out.println(READY + cluster.getRestAddress().get());
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // Runs until the parent closes stdin (or dies).
            }
        } finally {
            cluster.close();
        }
        System.exit(0);
    }
}
