package dev.marquee.jobs.testing;

import dev.marquee.jobs.common.Loopback;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The MiniCluster the jobs' topology tests run on: one TaskManager with two slots (the jobs'
 * parallelism of 2 with slot sharing), every listener on 127.0.0.1.
 */
public final class LoopbackMiniCluster {
    private LoopbackMiniCluster() {}

    public static MiniClusterExtension extension() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(Loopback.configuration())
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }
}
