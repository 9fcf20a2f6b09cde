package dev.marquee.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.junit.jupiter.api.Test;

class SharedRpcSystemLoaderTest {
    @Test
    void everyClusterGetsTheOneRpcSystemAndClosingItsHandleLeavesTheOthersWorking()
            throws Exception {
        Configuration conf = new Configuration();
        RpcSystem first = RpcSystem.load(conf);
        RpcSystem second = RpcSystem.load(conf);

        assertThat(Proxy.isProxyClass(first.getClass()))
                .as("RpcSystem.load picks the shared loader ahead of Flink's")
                .isTrue();
        // One Pekko class loader behind both handles: the RPC classes load (and compile) once.
        assertThat(first.getMaximumMessageSizeInBytes(conf))
                .isEqualTo(second.getMaximumMessageSizeInBytes(conf));

        // Flink's loader extracted its jar into the folder the shutdown hook deletes.
        try (Stream<Path> folders =
                Files.list(Path.of(System.getProperty("java.io.tmpdir")))
                        .filter(p -> p.getFileName().toString().startsWith("marquee-flink-rpc-"))) {
            assertThat(
                            folders.anyMatch(
                                    folder -> {
                                        try (Stream<Path> jars = Files.list(folder)) {
                                            return jars.anyMatch(
                                                    j -> j.toString().endsWith(".jar"));
                                        } catch (IOException e) {
                                            return false;
                                        }
                                    }))
                    .isTrue();
        }

        first.close(); // what a MiniCluster does at shutdown
        RpcService service = second.localServiceBuilder(conf).createAndStart();
        try {
            assertThat(service.getAddress()).isNotNull();
        } finally {
            service.closeAsync().get();
        }
    }
}
