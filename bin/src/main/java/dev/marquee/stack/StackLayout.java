package dev.marquee.stack;

import dev.marquee.cli.MarqueeHome;
import java.nio.file.Path;

/**
 * Where the local stack keeps its files, all under {@code <home>/.marquee/stack/}: one folder to
 * look in, one folder that {@code stack down --purge} deletes, and data (Kafka's logs, the
 * registry's database, Flink's checkpoints) that survives {@code down} and {@code up}.
 *
 * <pre>
 * stack/
 *   pids/&lt;component&gt;.pid     which process is which, for status and down
 *   logs/&lt;component&gt;.log     what the component logs (rolled by its own logger)
 *   logs/&lt;component&gt;.out     its raw stdout/stderr (JVM crashes), truncated on each start
 *   kafka/server.properties, kafka/log4j2.properties, kafka/data/
 *   registry/                 the registry's H2 database
 *   flink/conf/               config.yaml and log4j.properties of the session cluster
 *   flink/checkpoints/, flink/savepoints/, flink/tmp/
 * </pre>
 */
public record StackLayout(Path root) {

    public StackLayout {
        root = root.toAbsolutePath().normalize();
    }

    public static StackLayout of(MarqueeHome home) {
        return new StackLayout(home.dataDir().resolve("stack"));
    }

    public Path pids() {
        return root.resolve("pids");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path kafka() {
        return root.resolve("kafka");
    }

    public Path kafkaData() {
        return kafka().resolve("data");
    }

    public Path registry() {
        return root.resolve("registry");
    }

    public Path flink() {
        return root.resolve("flink");
    }

    public Path flinkConf() {
        return flink().resolve("conf");
    }
}
