package dev.marquee.cli;

import picocli.CommandLine.Option;

/** Where Kafka and the registry are, for commands that talk to them (a picocli mixin). */
public final class ClientOptions {
    @Option(
            names = "--bootstrap-servers",
            description =
                    "Kafka bootstrap servers (default: the running stack's, or 127.0.0.1:9092)")
    String bootstrapServers;

    @Option(
            names = "--registry-url",
            description = "Schema registry URL(s), comma-separated (default: the running stack's)")
    String registryUrl;

    @Option(names = "--flink-url", description = "Flink REST URL (default: http://127.0.0.1:8081)")
    String flinkUrl;

    public Endpoints endpoints() {
        return Endpoints.resolve(MarqueeHome.detect())
                .override(bootstrapServers, registryUrl, flinkUrl);
    }
}
