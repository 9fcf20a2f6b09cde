package dev.marquee.stack;

import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.Provisioner;
import dev.marquee.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A single Kafka 4.2 broker in KRaft combined mode (broker and controller in one JVM, no
 * ZooKeeper), started from the jars bin/runtime/kafka assembles, the same broker code a production
 * cluster runs.
 *
 * <p>One node means every internal topic (consumer offsets, transaction state, share-group state)
 * must use replication factor and min ISR 1, or the first consumer group or transactional producer
 * (Flink's exactly-once KafkaSink) would wait forever for replicas. {@code
 * transaction.max.timeout.ms} is spelled out (at Kafka's default, 15 minutes) because it is a
 * contract with the jobs: Flink's exactly-once Kafka sink keeps a transaction open across a
 * checkpoint, and a producer asking for a longer {@code transaction.timeout.ms} than this cap is
 * refused, so every exactly-once job sets its timeout at or below 15 minutes. Topics are not
 * auto-created: the {@link Provisioner} creates every topic with its partitions and cleanup policy,
 * and a typo in a topic name should fail loudly rather than create a one-partition topic that
 * nobody reads.
 */
final class KafkaBroker extends Component {
    static final int PORT = 9092;
    static final int CONTROLLER_PORT = 9093;

    private final MarqueeHome home;

    KafkaBroker(StackLayout layout, MarqueeHome home) {
        super(layout);
        this.home = home;
    }

    @Override
    String name() {
        return "kafka";
    }

    @Override
    List<Integer> ports() {
        return List.of(PORT, CONTROLLER_PORT);
    }

    @Override
    String address() {
        return Ports.LOOPBACK + ":" + PORT;
    }

    @Override
    Duration stopGrace() {
        // A clean shutdown writes the log end offsets and skips recovery on the next start.
        return Duration.ofSeconds(30);
    }

    @Override
    void preflight() {
        RuntimeLibs.classpath(home, "kafka");
    }

    Path serverProperties() {
        return layout.kafka().resolve("server.properties");
    }

    Path log4j() {
        return layout.kafka().resolve("log4j2.properties");
    }

    @Override
    void prepare() throws IOException {
        Files.createDirectories(layout.kafkaData());
        Files.createDirectories(layout.logs());
        Files.writeString(serverProperties(), serverConfig(), StandardCharsets.UTF_8);
        Files.writeString(log4j(), log4jConfig(), StandardCharsets.UTF_8);
        if (!Files.exists(layout.kafkaData().resolve("meta.properties"))) {
            format();
        }
    }

    String serverConfig() {
        String host = Ports.LOOPBACK;
        return String.join(
                        "\n",
                        "# Written by `marquee stack up` on every start"
                                + " (dev.marquee.stack.KafkaBroker).",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@" + host + ":" + CONTROLLER_PORT,
                        String.format(
                                "listeners=PLAINTEXT://%s:%d,CONTROLLER://%s:%d",
                                host, PORT, host, CONTROLLER_PORT),
                        "advertised.listeners=PLAINTEXT://" + host + ":" + PORT,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                        "log.dirs=" + layout.kafkaData(),
                        "num.partitions=1",
                        "auto.create.topics.enable=false",
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "transaction.max.timeout.ms=900000",
                        "group.initial.rebalance.delay.ms=0")
                + "\n";
    }

    String log4jConfig() {
        String log = logFile().toString();
        return String.join(
                        "\n",
                        "# Written by `marquee stack up`: Kafka's log, rolled at 20 MB, 5 kept.",
                        "name=kafka",
                        "appender.file.type=RollingFile",
                        "appender.file.name=file",
                        "appender.file.fileName=" + log,
                        "appender.file.filePattern=" + log + ".%i",
                        "appender.file.layout.type=PatternLayout",
                        "appender.file.layout.pattern=[%d] %p %m (%c)%n",
                        "appender.file.policies.type=Policies",
                        "appender.file.policies.size.type=SizeBasedTriggeringPolicy",
                        "appender.file.policies.size.size=20MB",
                        "appender.file.strategy.type=DefaultRolloverStrategy",
                        "appender.file.strategy.max=5",
                        "rootLogger.level=INFO",
                        "rootLogger.appenderRef.file.ref=file",
                        "logger.request.name=kafka.request.logger",
                        "logger.request.level=WARN",
                        "logger.authorizer.name=kafka.authorizer.logger",
                        "logger.authorizer.level=WARN",
                        "logger.statechange.name=state.change.logger",
                        "logger.statechange.level=WARN")
                + "\n";
    }

    /**
     * Formats the empty log directory once (KRaft needs a cluster id and the metadata bootstrap
     * before the first start). Skipped when meta.properties exists, so the topics and records
     * survive {@code down}/{@code up}.
     */
    private void format() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(JavaRuntime.current().toString());
        cmd.add("-Dlog4j2.configurationFile=" + log4j());
        cmd.add("-cp");
        cmd.add(RuntimeLibs.classpath(home, "kafka"));
        cmd.add("kafka.tools.StorageTool");
        cmd.add("format");
        cmd.add("-t");
        cmd.add(Uuid.randomUuid().toString());
        cmd.add("-c");
        cmd.add(serverProperties().toString());
        Path out = layout.logs().resolve("kafka-format.out");
        Process p = ChildProcesses.start(cmd, layout.kafka(), out, false);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                System.err.println(ChildProcesses.tails(20, out));
                throw new UserError("formatting Kafka's storage failed; see " + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while formatting Kafka's storage", e);
        }
    }

    @Override
    List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(JavaRuntime.current().toString());
        cmd.add("-Xms128m");
        cmd.add("-Xmx512m");
        // Kafka's own launcher flags (kafka-run-class.sh): short GC pauses for a broker.
        cmd.add("-XX:+UseG1GC");
        cmd.add("-XX:MaxGCPauseMillis=20");
        cmd.add("-XX:InitiatingHeapOccupancyPercent=35");
        cmd.add("-XX:+ExplicitGCInvokesConcurrent");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(marker());
        cmd.add("-Dlog4j2.configurationFile=" + log4j());
        cmd.add("-Dkafka.logs.dir=" + layout.logs());
        cmd.add("-cp");
        cmd.add(RuntimeLibs.classpath(home, "kafka"));
        cmd.add("kafka.Kafka");
        cmd.add(serverProperties().toString());
        return cmd;
    }

    @Override
    Path workDir() {
        return layout.kafka();
    }

    /** Ready means the broker answers an admin request, not just that the port is open. */
    @Override
    boolean answers() {
        if (!Ports.answers(PORT)) {
            return false; // refused at once: no need to spin up an admin client
        }
        Admin admin = Admin.create(Provisioner.adminProperties(address()));
        try {
            return describes(admin);
        } finally {
            // Do not wait for a request still pending against a broker that is not up.
            admin.close(Duration.ZERO);
        }
    }

    /**
     * One admin client for the whole wait: creating one per attempt costs a second of class loading
     * and connection setup on a busy machine, which showed up as seconds of delay between the
     * broker logging "started" and {@code up} noticing.
     */
    @Override
    ChildProcesses.Readiness awaitReady(long pid) {
        Admin admin = Admin.create(Provisioner.adminProperties(address()));
        try {
            return ChildProcesses.await(
                    pid, () -> Ports.answers(PORT) && describes(admin), readyTimeout());
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private static boolean describes(Admin admin) {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                    .nodes()
                    .get(3, TimeUnit.SECONDS)
                    .isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
